package onprem_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/cloudinit"
	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/onprem"
)

func nodeArgs() *onprem.NodeArgs {
	return &onprem.NodeArgs{
		Name: "web-1", Template: labTemplate(), CPUs: 2, MemoryMB: 4096, DiskGB: 40,
		ResourcePoolID: pulumi.String("resgroup-9"), DatastoreID: pulumi.String("datastore-12"),
		NetworkID: pulumi.String("network-15"), Folder: pulumi.String("hawebtier-dev"),
		Network: cloudinit.StaticNetwork{
			Interface: "ens192", Address: "10.20.30.21/24", Gateway: "10.20.30.1", DNS: []string{"10.20.0.53"},
		},
		UserData: cloudinit.Header + "packages: [apache2]\n",
		TagIDs:   pulumi.StringArray{pulumi.String("urn:vmomi:InventoryServiceTag:role-web:GLOBAL")},
	}
}

func runNode(t *testing.T, args *onprem.NodeArgs) (*mocktest.Result, *onprem.Node, error) {
	t.Helper()
	var node *onprem.Node
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		var err error
		node, err = onprem.NewNode(ctx, "web-1", args)
		return err
	}, mocktest.Options{})
	return res, node, err
}

func TestNodeClonesTemplateWithCloudInitAndSafeLifecycle(t *testing.T) {
	t.Parallel()
	var addr, uuid string
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		node, err := onprem.NewNode(ctx, "web-1", nodeArgs())
		if err != nil {
			return err
		}
		node.Address.ApplyT(func(s string) string { addr = s; return s })
		node.UUID.ApplyT(func(s string) string { uuid = s; return s })
		return nil
	}, mocktest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	vm := res.Find(vmType, "web-1")
	if vm == nil {
		t.Fatal("no VM")
	}
	if vm.Parent != res.Find(onprem.NodeTypeToken, "web-1").URN {
		t.Errorf("VM parent %s", vm.Parent)
	}
	got := map[string]any{
		"clone": vm.Input("clone"), "disks": vm.Input("disks"), "networkInterfaces": vm.Input("networkInterfaces"),
		"numCpus": vm.Input("numCpus"), "memory": vm.Input("memory"), "guestId": vm.Input("guestId"),
		"firmware": vm.Input("firmware"), "scsiType": vm.Input("scsiType"), "folder": vm.Input("folder"),
		"waitForGuestNetTimeout": vm.Input("waitForGuestNetTimeout"), "waitForGuestIpTimeout": vm.Input("waitForGuestIpTimeout"),
		"tags": vm.Input("tags"),
	}
	want := map[string]any{
		"clone": map[string]any{"templateUuid": mocktest.VSphereTemplateUUID},
		"disks": []any{map[string]any{
			"label": "Hard disk 1", "size": 40.0, "unitNumber": 0.0, "thinProvisioned": true, "eagerlyScrub": false,
		}},
		"networkInterfaces": []any{map[string]any{"networkId": "network-15", "adapterType": "vmxnet3"}},
		"numCpus":           2.0, "memory": 4096.0, "guestId": "debian12_64Guest", "firmware": "efi", "scsiType": "pvscsi",
		"folder": "hawebtier-dev", "waitForGuestNetTimeout": 0.0, "waitForGuestIpTimeout": 0.0,
		"tags": []any{"urn:vmomi:InventoryServiceTag:role-web:GLOBAL"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("VM inputs (-want +got):\n%s", d)
	}
	if !vm.DeleteBeforeReplace {
		t.Error("not DeleteBeforeReplace: the replacement's static IP and name would clash")
	}
	if d := cmp.Diff(onprem.IgnoredChanges, vm.IgnoreChanges); d != "" {
		t.Errorf("ignoreChanges (-want +got):\n%s", d)
	}
	// Each ignored path must parse, and the guestinfo ones must address
	// the very keys the VM sets (a path with dots would silently address
	// nothing).
	for _, p := range vm.IgnoreChanges {
		path, err := resource.ParsePropertyPath(p)
		if err != nil {
			t.Errorf("ignoreChanges %q does not parse: %v", p, err)
			continue
		}
		if strings.HasPrefix(p, "extraConfig") || p == "clone.templateUuid" {
			if _, ok := path.Get(resource.NewObjectProperty(vm.Inputs)); !ok {
				t.Errorf("ignoreChanges %q addresses nothing in the VM's inputs", p)
			}
		}
	}
	if addr != "10.20.30.21" || addr == mocktest.VSphereGuestAddress {
		t.Errorf("Address = %q, want the configured static IP", addr)
	}
	if uuid != vm.ID {
		t.Errorf("UUID = %q, want the VM id %q", uuid, vm.ID)
	}
	if ud := guestinfo(t, vm, onprem.GuestinfoUserData); ud != nodeArgs().UserData {
		t.Errorf("user-data round trip: %q", ud)
	}
	if md := guestinfo(t, vm, onprem.GuestinfoMetadata); !strings.Contains(md, "instance-id: iid-web-1") {
		t.Errorf("metadata lacks the default instance-id:\n%s", md)
	}
}

func TestNodeDiskNeverSmallerThanTemplate(t *testing.T) {
	t.Parallel()
	args := nodeArgs()
	args.DiskGB = 5
	args.Template.Disks = append(args.Template.Disks, onprem.TemplateDisk{Label: "Hard disk 2", SizeGB: 8, UnitNumber: 1})
	res, _, err := runNode(t, args)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{
		map[string]any{"label": "Hard disk 1", "size": mocktest.VSphereTemplateDisk, "unitNumber": 0.0, "thinProvisioned": true, "eagerlyScrub": false},
		map[string]any{"label": "Hard disk 2", "size": 8.0, "unitNumber": 1.0, "thinProvisioned": false, "eagerlyScrub": false},
	}
	if d := cmp.Diff(want, res.Find(vmType, "web-1").Input("disks")); d != "" {
		t.Errorf("disks (-want +got):\n%s", d)
	}
}

func TestNewNodeRejectsBadArgsAndRegistersNothing(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		edit func(a *onprem.NodeArgs)
		want []string
	}{
		"name not a DNS label": {func(a *onprem.NodeArgs) { a.Name = "Web_1" }, []string{"Name:"}},
		"no template uuid":     {func(a *onprem.NodeArgs) { a.Template.UUID = "" }, []string{"Template: uuid: empty"}},
		"user-data with a private key": {
			func(a *onprem.NodeArgs) { a.UserData += "# -----BEGIN OPENSSH PRIVATE KEY-----\n" },
			[]string{"UserData: holds a secret"},
		},
		"user-data without header": {func(a *onprem.NodeArgs) { a.UserData = "packages: []\n" }, []string{"UserData: not a cloud-config"}},
		"address not CIDR":         {func(a *onprem.NodeArgs) { a.Network.Address = "10.20.30.21" }, []string{"Network:"}},
		"several at once": {
			func(a *onprem.NodeArgs) {
				a.CPUs, a.MemoryMB, a.DatastoreID, a.WaitForGuestNetMinutes = 0, 100, nil, -1
			},
			[]string{"CPUs:", "MemoryMB:", "DatastoreID: required", "WaitForGuestNetMinutes:"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := nodeArgs()
			tc.edit(args)
			res, _, err := runNode(t, args)
			assertRejected(t, res, err, tc.want...)
		})
	}
}
