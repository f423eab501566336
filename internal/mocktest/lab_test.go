package mocktest_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi-vsphere/sdk/v4/go/vsphere"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// TestLabInventoryKeepsTheGoldenIDs: the onprem-dev golden files hold the
// ids the canned vCenter derives from the lab's names; a change to the
// derivation or to LabInventory shows here first, by name.
func TestLabInventoryKeepsTheGoldenIDs(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"datacenter LabDC":                                   "datacenter-LabDC-98e0d7f576df",
		"datastore vsanDatastore":                            "datastore-vsanDatastore-111085613834",
		"network VM-Web-30":                                  "network-VM-Web-30-2b8f402c9456",
		"cluster LabCluster":                                 "domain-c47977d1c6566",
		"cluster LabCluster resource pool":                   "resgroup-38e95e5e3b14",
		"template " + mocktest.VSphereTemplateName:           mocktest.VSphereTemplateUUID,
		"template " + mocktest.VSphereTemplateName + " uuid": mocktest.VSphereTemplateUUID,
	}
	got := map[string]string{}
	_, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		dc, err := vsphere.LookupDatacenter(ctx, &vsphere.LookupDatacenterArgs{Name: pulumi.StringRef("LabDC")})
		if err != nil {
			return err
		}
		got["datacenter LabDC"] = dc.Id
		ds, err := vsphere.GetDatastore(ctx, &vsphere.GetDatastoreArgs{Name: "vsanDatastore"})
		if err != nil {
			return err
		}
		got["datastore vsanDatastore"] = ds.Id
		nw, err := vsphere.GetNetwork(ctx, &vsphere.GetNetworkArgs{Name: "VM-Web-30"})
		if err != nil {
			return err
		}
		got["network VM-Web-30"] = nw.Id
		c, err := vsphere.LookupComputeCluster(ctx, &vsphere.LookupComputeClusterArgs{Name: "LabCluster"})
		if err != nil {
			return err
		}
		got["cluster LabCluster"], got["cluster LabCluster resource pool"] = c.Id, c.ResourcePoolId
		vm, err := vsphere.LookupVirtualMachine(ctx, &vsphere.LookupVirtualMachineArgs{Name: pulumi.StringRef(mocktest.VSphereTemplateName)})
		if err != nil {
			return err
		}
		got["template "+mocktest.VSphereTemplateName], got["template "+mocktest.VSphereTemplateName+" uuid"] = vm.Id, vm.Uuid
		return nil
	}, mocktest.Options{Inventory: mocktest.LabInventory()})
	if err != nil {
		t.Fatalf("the lab inventory refused one of its own names: %v", err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ids (-want +got):\n%s", d)
	}
}

// TestLabInventoryRefusesOtherNames: the inventory is what makes an
// offline run of the lab stack fail on a misspelt name, as vCenter would.
func TestLabInventoryRefusesOtherNames(t *testing.T) {
	t.Parallel()
	_, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		_, err := vsphere.LookupDatacenter(ctx, &vsphere.LookupDatacenterArgs{Name: pulumi.StringRef("LabDc")})
		return err
	}, mocktest.Options{Inventory: mocktest.LabInventory()})
	mocktest.RequireErrorMentions(t, err, "datacenter 'LabDc' not found")
}
