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

func init() {
	lookup := func(kind string) InvokeFunc {
		return func(args resource.PropertyMap) (resource.PropertyMap, error) {
			name := ""
			if v, ok := args["name"]; ok && v.IsString() {
				name = v.StringValue()
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
