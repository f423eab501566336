package testkit

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The canned template: what every template lookup answers besides its
// name, id and uuid (the components read guest id, firmware, disks, ...).
const (
	// VSphereTemplateName is a template name with a well-known uuid, for
	// tests that compare against a constant.
	VSphereTemplateName = "debian-12-cloudinit"
	// VSphereTemplateUUID is the uuid of VSphereTemplateName; every other
	// template has its own (VSphereTemplateUUIDOf).
	VSphereTemplateUUID = "4217c7e2-5a1c-6b0d-93c5-0f2c3a9d1e77"
	VSphereTemplateDisk = 20.0 // GiB
)

// VSphereTemplateUUIDOf is the uuid (and id) the canned vCenter gives the
// template of that name: VSphereTemplateUUID for VSphereTemplateName, and
// for any other name a UUID derived from the name, so two templates never
// share one and a run gives the same one as the last.
func VSphereTemplateUUIDOf(name string) string {
	if name == VSphereTemplateName {
		return VSphereTemplateUUID
	}
	return DeterministicUUID("vsphere:template", name)
}

// VSphereInventory lists the names a vCenter holds, by lookup kind, for a
// run that must refuse the others (Options.Inventory): a lookup of a name
// its kind's list lacks fails with the provider's error text, such as
// "error fetching datacenter: datacenter 'X' not found".
//
// A nil list answers every name of its kind; a non-nil empty list refuses
// them all. Without an inventory (Options.Inventory nil) every lookup
// answers, whatever the name. Either way a name's ids are derived from the
// name alone: distinct per name, the same in every run.
type VSphereInventory struct {
	Datacenters     []string `json:"datacenters"`
	ComputeClusters []string `json:"computeClusters"`
	Datastores      []string `json:"datastores"`
	// Networks are port groups and other networks (getNetwork).
	Networks      []string `json:"networks"`
	ResourcePools []string `json:"resourcePools"`
	// Folders are the paths getFolder finds ("LabDC/vm/hawebtier-dev").
	Folders       []string `json:"folders"`
	TagCategories []string `json:"tagCategories"`
	// Templates are the virtual machines getVirtualMachine finds.
	Templates []string `json:"templates"`
}

// vsphereKind is one lookup kind: the inventory list it checks and the
// words of its not-found error.
type vsphereKind struct {
	list     func(*VSphereInventory) []string
	fetching string // "error fetching <fetching>: ..."
	noun     string // "... <noun> 'X' not found"
}

// refuse returns the not-found error when inv is set and its list for k
// is set and lacks name.
func (k vsphereKind) refuse(inv *VSphereInventory, name string) error {
	if inv == nil {
		return nil
	}
	if l := k.list(inv); l != nil && !slices.Contains(l, name) {
		return fmt.Errorf("error fetching %s: %s '%s' not found", k.fetching, k.noun, name)
	}
	return nil
}

var (
	vsDatacenter = vsphereKind{func(i *VSphereInventory) []string { return i.Datacenters }, "datacenter", "datacenter"}
	vsCluster    = vsphereKind{func(i *VSphereInventory) []string { return i.ComputeClusters }, "compute cluster", "cluster"}
	vsDatastore  = vsphereKind{func(i *VSphereInventory) []string { return i.Datastores }, "datastore", "datastore"}
	vsNetwork    = vsphereKind{func(i *VSphereInventory) []string { return i.Networks }, "network", "network"}
	vsPool       = vsphereKind{func(i *VSphereInventory) []string { return i.ResourcePools }, "resource pool", "resource pool"}
	vsFolder     = vsphereKind{func(i *VSphereInventory) []string { return i.Folders }, "folder", "folder"}
	vsTagCat     = vsphereKind{func(i *VSphereInventory) []string { return i.TagCategories }, "tag category", "tag category"}
	vsTemplate   = vsphereKind{func(i *VSphereInventory) []string { return i.Templates }, "virtual machine", "vm"}
)

// stringArg is the call's argument key, "" when absent.
func stringArg(args resource.PropertyMap, key resource.PropertyKey) string {
	if v, ok := args[key]; ok && v.IsString() {
		return v.StringValue()
	}
	return ""
}

// nameArg is the call's "name" argument, "" when absent.
func nameArg(args resource.PropertyMap) string { return stringArg(args, "name") }

func init() {
	// lookup answers a kind found by its argument key (a folder by its
	// path, the others by name), with the id "<prefix>-<name>-<hash>".
	lookup := func(k vsphereKind, key resource.PropertyKey, prefix string) RunInvokeFunc {
		return func(opts Options, args resource.PropertyMap) (resource.PropertyMap, error) {
			name := stringArg(args, key)
			if err := k.refuse(opts.Inventory, name); err != nil {
				return nil, err
			}
			return resource.PropertyMap{
				"id": resource.NewProperty(prefix + "-" + DeterministicID("vsphere:"+prefix, name)),
				key:  resource.NewProperty(name),
			}, nil
		}
	}
	RegisterRunInvoke("vsphere:index/getDatacenter:getDatacenter", lookup(vsDatacenter, "name", "datacenter"))
	RegisterRunInvoke("vsphere:index/getDatastore:getDatastore", lookup(vsDatastore, "name", "datastore"))
	RegisterRunInvoke("vsphere:index/getNetwork:getNetwork", lookup(vsNetwork, "name", "network"))
	RegisterRunInvoke("vsphere:index/getResourcePool:getResourcePool", lookup(vsPool, "name", "resgroup"))
	RegisterRunInvoke("vsphere:index/getFolder:getFolder", lookup(vsFolder, "path", "folder"))
	RegisterRunInvoke("vsphere:index/getTagCategory:getTagCategory", lookup(vsTagCat, "name", "tagcategory"))
	RegisterRunInvoke("vsphere:index/getComputeCluster:getComputeCluster", func(opts Options, args resource.PropertyMap) (resource.PropertyMap, error) {
		name := nameArg(args)
		if err := vsCluster.refuse(opts.Inventory, name); err != nil {
			return nil, err
		}
		return Props(map[string]any{
			"id":             "domain-c" + DeterministicID("cluster", name)[len(name)+1:],
			"name":           name,
			"resourcePoolId": "resgroup-" + DeterministicID("pool", name)[len(name)+1:],
		}), nil
	})
	RegisterRunInvoke("vsphere:index/getVirtualMachine:getVirtualMachine", func(opts Options, args resource.PropertyMap) (resource.PropertyMap, error) {
		name := nameArg(args)
		if err := vsTemplate.refuse(opts.Inventory, name); err != nil {
			return nil, err
		}
		uuid := VSphereTemplateUUIDOf(name)
		return Props(map[string]any{
			"id":                    uuid,
			"uuid":                  uuid,
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
