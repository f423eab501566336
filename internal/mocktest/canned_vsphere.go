package mocktest

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Canned vSphere inventory: what a small vCenter lab answers.
const (
	VSphereTemplateUUID = "4217c7e2-5a1c-6b0d-93c5-0f2c3a9d1e77"
	VSphereTemplateDisk = 20.0 // GiB
)

// VSphereTemplates are the templates the canned inventory holds; looking
// up any other name fails as vCenter would.
var VSphereTemplates = map[string]bool{"debian-12-cloudinit": true}

// VSphereInventory names what the canned vCenter holds, by lookup kind;
// looking up another name fails as vCenter would. Kinds not listed
// (resource pools, folders, tag categories) answer for any name.
var VSphereInventory = map[string]map[string]bool{
	"datacenter": {"LabDC": true},
	"cluster":    {"LabCluster": true},
	"datastore":  {"vsanDatastore": true},
	"network":    {"VM-Web-30": true},
}

func init() {
	lookup := func(kind string) InvokeFunc {
		return func(args resource.PropertyMap) (resource.PropertyMap, error) {
			name := ""
			if v, ok := args["name"]; ok && v.IsString() {
				name = v.StringValue()
			}
			if known, ok := VSphereInventory[kind]; ok && !known[name] {
				return nil, fmt.Errorf("error fetching %s: %s '%s' not found", kind, kind, name)
			}
			return Props(map[string]any{
				"id":   kind + "-" + DeterministicID("vsphere:"+kind, name),
				"name": name,
			}), nil
		}
	}
	RegisterInvoke("vsphere:index/getDatacenter:getDatacenter", lookup("datacenter"))
	RegisterInvoke("vsphere:index/getDatastore:getDatastore", lookup("datastore"))
	RegisterInvoke("vsphere:index/getNetwork:getNetwork", lookup("network"))
	RegisterInvoke("vsphere:index/getResourcePool:getResourcePool", lookup("resgroup"))
	RegisterInvoke("vsphere:index/getFolder:getFolder", lookup("folder"))
	RegisterInvoke("vsphere:index/getTagCategory:getTagCategory", lookup("tagcategory"))
	RegisterInvoke("vsphere:index/getComputeCluster:getComputeCluster", func(args resource.PropertyMap) (resource.PropertyMap, error) {
		name := args["name"].StringValue()
		if !VSphereInventory["cluster"][name] {
			return nil, fmt.Errorf("error fetching compute cluster: cluster '%s' not found", name)
		}
		return Props(map[string]any{
			"id":             "domain-c" + DeterministicID("cluster", name)[len(name)+1:],
			"name":           name,
			"resourcePoolId": "resgroup-" + DeterministicID("pool", name)[len(name)+1:],
		}), nil
	})
	RegisterInvoke("vsphere:index/getVirtualMachine:getVirtualMachine", func(args resource.PropertyMap) (resource.PropertyMap, error) {
		name := args["name"].StringValue()
		if !VSphereTemplates[name] {
			return nil, fmt.Errorf("error fetching virtual machine: vm '%s' not found", name)
		}
		return Props(map[string]any{
			"id":                    VSphereTemplateUUID,
			"uuid":                  VSphereTemplateUUID,
			"name":                  name,
			"guestId":               "debian12_64Guest",
			"firmware":              "efi",
			"numCpus":               2.0,
			"memory":                2048.0,
			"scsiType":              "pvscsi",
			"networkInterfaceTypes": []any{"vmxnet3"},
			"disks": []any{map[string]any{
				"label":           "Hard disk 1",
				"size":            VSphereTemplateDisk,
				"thinProvisioned": true,
				"eagerlyScrub":    false,
				"unitNumber":      0.0,
			}},
		}), nil
	})
}

// VSphereGuestAddress is the address the canned VMware Tools reports for
// every VM (defaultIpAddress): a link-local address that differs from any
// configured static IP, so a test catches code that uses it downstream.
const VSphereGuestAddress = "169.254.77.7"

func init() {
	RegisterState("vsphere:index/virtualMachine:VirtualMachine", func(name string, in resource.PropertyMap) resource.PropertyMap {
		id := DeterministicID("vsphere:index/virtualMachine:VirtualMachine", name)
		return Props(map[string]any{
			"uuid":             id,
			"moid":             "vm-" + DeterministicID("vsphere:moid", name)[len(name)+1:][:6],
			"defaultIpAddress": VSphereGuestAddress,
			"guestIpAddresses": []any{VSphereGuestAddress},
		})
	})
}
