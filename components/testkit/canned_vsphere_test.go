package testkit_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi-vsphere/sdk/v4/go/vsphere"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/testkit"
)

// vsphereLookups are the canned vCenter's lookups by kind; each returns
// the ids it answered for name, keyed by output.
var vsphereLookups = map[string]func(ctx *pulumi.Context, name string) (map[string]string, error){
	"datacenter": func(ctx *pulumi.Context, name string) (map[string]string, error) {
		r, err := vsphere.LookupDatacenter(ctx, &vsphere.LookupDatacenterArgs{Name: pulumi.StringRef(name)})
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": r.Id}, nil
	},
	"cluster": func(ctx *pulumi.Context, name string) (map[string]string, error) {
		r, err := vsphere.LookupComputeCluster(ctx, &vsphere.LookupComputeClusterArgs{Name: name})
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": r.Id, "resourcePoolId": r.ResourcePoolId}, nil
	},
	"datastore": func(ctx *pulumi.Context, name string) (map[string]string, error) {
		r, err := vsphere.GetDatastore(ctx, &vsphere.GetDatastoreArgs{Name: name})
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": r.Id}, nil
	},
	"network": func(ctx *pulumi.Context, name string) (map[string]string, error) {
		r, err := vsphere.GetNetwork(ctx, &vsphere.GetNetworkArgs{Name: name})
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": r.Id}, nil
	},
	"resource pool": func(ctx *pulumi.Context, name string) (map[string]string, error) {
		r, err := vsphere.LookupResourcePool(ctx, &vsphere.LookupResourcePoolArgs{Name: pulumi.StringRef(name)})
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": r.Id}, nil
	},
	"folder": func(ctx *pulumi.Context, name string) (map[string]string, error) {
		r, err := vsphere.LookupFolder(ctx, &vsphere.LookupFolderArgs{Path: name})
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": r.Id, "path": r.Path}, nil
	},
	"tag category": func(ctx *pulumi.Context, name string) (map[string]string, error) {
		r, err := vsphere.LookupTagCategory(ctx, &vsphere.LookupTagCategoryArgs{Name: name})
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": r.Id}, nil
	},
	"template": func(ctx *pulumi.Context, name string) (map[string]string, error) {
		r, err := vsphere.LookupVirtualMachine(ctx, &vsphere.LookupVirtualMachineArgs{Name: pulumi.StringRef(name)})
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": r.Id, "uuid": r.Uuid}, nil
	},
}

// lookUp runs one lookup per name of a kind under opts and returns the
// ids answered, by name.
func lookUp(t *testing.T, opts testkit.Options, kind string, names ...string) (map[string]map[string]string, error) {
	t.Helper()
	got := map[string]map[string]string{}
	_, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		for _, n := range names {
			ids, err := vsphereLookups[kind](ctx, n)
			if err != nil {
				return err
			}
			got[n] = ids
		}
		return nil
	}, opts)
	return got, err
}

func TestVSphereLookupsAnswerAnyNameWithIDsPerName(t *testing.T) {
	t.Parallel()
	for kind := range vsphereLookups {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			names := []string{"LabDC", "OtherDC-2", "nfs/old"}
			first, err := lookUp(t, testkit.Options{}, kind, names...)
			if err != nil {
				t.Fatalf("no inventory: %v", err)
			}
			again, err := lookUp(t, testkit.Options{}, kind, names...)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(first, again); d != "" {
				t.Errorf("ids differ between two runs (-first +again):\n%s", d)
			}
			seen := map[string]string{} // "<output> <id>" -> name
			for _, n := range names {
				for out, id := range first[n] {
					if out == "path" {
						if id != n {
							t.Errorf("folder %q answered path %q", n, id)
						}
						continue
					}
					if id == "" {
						t.Errorf("%s %q: empty %s", kind, n, out)
					}
					if other, dup := seen[out+" "+id]; dup {
						t.Errorf("%s %q: %s %s is also %q's", kind, n, out, id, other)
					}
					seen[out+" "+id] = n
				}
			}
		})
	}
}

func TestVSphereTemplatesHaveTheirOwnUUID(t *testing.T) {
	t.Parallel()
	type tmpl struct {
		UUID, ID, GuestID, Firmware, SCSIType string
		Disks                                 []vsphere.GetVirtualMachineDisk
		Adapters                              []string
	}
	got := map[string]tmpl{}
	_, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		for _, n := range []string{testkit.VSphereTemplateName, "debian-13-cloudinit"} {
			vm, err := vsphere.LookupVirtualMachine(ctx, &vsphere.LookupVirtualMachineArgs{Name: pulumi.StringRef(n)})
			if err != nil {
				return err
			}
			got[n] = tmpl{vm.Uuid, vm.Id, vm.GuestId, *vm.Firmware, vm.ScsiType, vm.Disks, vm.NetworkInterfaceTypes}
		}
		return nil
	}, testkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := got[testkit.VSphereTemplateName], got["debian-13-cloudinit"]
	if a.UUID != testkit.VSphereTemplateUUID || a.ID != a.UUID {
		t.Errorf("%s: uuid %s id %s, want both %s", testkit.VSphereTemplateName, a.UUID, a.ID, testkit.VSphereTemplateUUID)
	}
	if b.UUID == a.UUID || b.ID != b.UUID {
		t.Errorf("debian-13-cloudinit: uuid %s id %s; want its own uuid, not %s", b.UUID, b.ID, a.UUID)
	}
	if b.UUID != testkit.VSphereTemplateUUIDOf("debian-13-cloudinit") {
		t.Errorf("uuid %s, VSphereTemplateUUIDOf says %s", b.UUID, testkit.VSphereTemplateUUIDOf("debian-13-cloudinit"))
	}
	// Everything but the uuid is the same canned template.
	a.UUID, a.ID, b.UUID, b.ID = "", "", "", ""
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("templates differ beyond the uuid (-%s +other):\n%s", testkit.VSphereTemplateName, d)
	}
}

func TestVSphereInventoryRefusesNamesItLacks(t *testing.T) {
	t.Parallel()
	inv := &testkit.VSphereInventory{
		Datacenters:     []string{"DC1"},
		ComputeClusters: []string{"C1"},
		Datastores:      []string{"DS1"},
		Networks:        []string{"PG1"},
		ResourcePools:   []string{"RP1"},
		Folders:         []string{"DC1/vm/f1"},
		TagCategories:   []string{"TC1"},
		Templates:       []string{"T1"},
	}
	tests := map[string]struct{ known, unknown, want string }{
		"datacenter":    {"DC1", "OtherDC", "error fetching datacenter: datacenter 'OtherDC' not found"},
		"cluster":       {"C1", "C9", "error fetching compute cluster: cluster 'C9' not found"},
		"datastore":     {"DS1", "nfs-old", "error fetching datastore: datastore 'nfs-old' not found"},
		"network":       {"PG1", "PG9", "error fetching network: network 'PG9' not found"},
		"resource pool": {"RP1", "RP9", "error fetching resource pool: resource pool 'RP9' not found"},
		"folder":        {"DC1/vm/f1", "DC1/vm/f9", "error fetching folder: folder 'DC1/vm/f9' not found"},
		"tag category":  {"TC1", "TC9", "error fetching tag category: tag category 'TC9' not found"},
		"template":      {"T1", "debian-13-nope", "error fetching virtual machine: vm 'debian-13-nope' not found"},
	}
	if len(tests) != len(vsphereLookups) {
		t.Fatalf("%d cases for %d lookup kinds", len(tests), len(vsphereLookups))
	}
	for kind, tc := range tests {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			opts := testkit.Options{Inventory: inv}
			if _, err := lookUp(t, opts, kind, tc.known); err != nil {
				t.Errorf("%s %q is in the inventory: %v", kind, tc.known, err)
			}
			_, err := lookUp(t, opts, kind, tc.unknown)
			testkit.RequireErrorMentions(t, err, tc.want)
			// The same name answers in a run without an inventory, in
			// parallel with the runs above: the inventory is per run.
			if _, err := lookUp(t, testkit.Options{}, kind, tc.unknown); err != nil {
				t.Errorf("without an inventory: %v", err)
			}
		})
	}
}

func TestVSphereInventoryNilListAnswersEmptyListRefuses(t *testing.T) {
	t.Parallel()
	// Resource pools are left open (nil); one datacenter is listed.
	lab := testkit.Options{Inventory: &testkit.VSphereInventory{Datacenters: []string{"LabDC"}}}
	if _, err := lookUp(t, lab, "resource pool", "any-pool"); err != nil {
		t.Errorf("nil list refused a name: %v", err)
	}
	if _, err := lookUp(t, lab, "datacenter", "LabDC"); err != nil {
		t.Errorf("lab datacenter refused: %v", err)
	}
	none := testkit.Options{Inventory: &testkit.VSphereInventory{Templates: []string{}}}
	_, err := lookUp(t, none, "template", testkit.VSphereTemplateName)
	testkit.RequireErrorMentions(t, err, "vm '"+testkit.VSphereTemplateName+"' not found")
}
