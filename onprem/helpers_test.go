package onprem_test

import (
	"context"
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/onprem"
)

const vmType = "vsphere:index/virtualMachine:VirtualMachine"

// labTemplate is the canned inventory's template.
func labTemplate() onprem.Template {
	return onprem.Template{
		Name: "debian-12-cloudinit", UUID: mocktest.VSphereTemplateUUID, GuestID: "debian12_64Guest",
		Firmware: "efi", SCSIType: "pvscsi", AdapterType: "vmxnet3",
		Disks: []onprem.TemplateDisk{{Label: "Hard disk 1", SizeGB: int(mocktest.VSphereTemplateDisk), ThinProvisioned: true}},
	}
}

func labTopology(web, app int) roles.Topology {
	t := roles.Topology{
		Environment: "dev", Domain: "lab.example.internal", Connector: "proxy_http",
		VIP: "10.20.30.10", PrefixLen: 24, Interface: "ens192", VRRPRouterID: 51,
		LBs:     []roles.Node{{Name: "lb-1", Address: "10.20.30.11"}, {Name: "lb-2", Address: "10.20.30.12"}},
		Monitor: &roles.Node{Name: "mon-1", Address: "10.20.30.40"},
	}
	for i := 0; i < web; i++ {
		t.Web = append(t.Web, roles.Node{Name: "web-" + itoa(i+1), Address: "10.20.30." + itoa(21+i)})
	}
	for i := 0; i < app; i++ {
		t.App = append(t.App, roles.Node{Name: "app-" + itoa(i+1), Address: "10.20.30." + itoa(31+i)})
	}
	return t
}

func itoa(i int) string { return strconv.Itoa(i) }

func labArgs() *onprem.WebTierArgs {
	size := onprem.Size{CPUs: 2, MemoryMB: 2048, DiskGB: 30}
	return &onprem.WebTierArgs{
		Topology:         labTopology(2, 2),
		Gateway:          "10.20.30.1",
		DNS:              []string{"10.20.0.53", "10.20.0.54"},
		DatacenterID:     pulumi.String("datacenter-3"),
		ComputeClusterID: pulumi.String("domain-c8"),
		ResourcePoolID:   pulumi.String("resgroup-9"),
		DatastoreID:      pulumi.String("datastore-12"),
		NetworkID:        pulumi.String("network-15"),
		Template:         labTemplate(),
		Folder:           "hawebtier-dev",
		Sizes:            map[string]onprem.Size{roles.LB: size, roles.Web: size, roles.App: size, roles.Monitor: size},
	}
}

func runTier(t *testing.T, args *onprem.WebTierArgs) (*mocktest.Result, error) {
	t.Helper()
	return mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		_, err := onprem.NewWebTier(ctx, "tier", args)
		return err
	}, mocktest.Options{})
}

func mustRunTier(t *testing.T, args *onprem.WebTierArgs) *mocktest.Result {
	t.Helper()
	res, err := runTier(t, args)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// vms returns the VMs by their vSphere name (lb-1, web-2, ...).
func vms(res *mocktest.Result) map[string]*mocktest.Resource {
	out := map[string]*mocktest.Resource{}
	for _, r := range res.OfType(vmType) {
		out[r.String("name")] = r
	}
	return out
}

// guestinfo decodes one base64 guestinfo key of a VM.
func guestinfo(t *testing.T, vm *mocktest.Resource, key string) string {
	t.Helper()
	ec, _ := vm.Input("extraConfig").(map[string]any)
	if enc, _ := ec[key+".encoding"].(string); enc != "base64" {
		t.Fatalf("%s: %s.encoding = %q, want base64", vm.Name, key, enc)
	}
	s, _ := ec[key].(string)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("%s: %s is not base64: %v", vm.Name, key, err)
	}
	return string(b)
}

// fields returns field n of every line whose first fields are prefix.
func fields(text string, n int, prefix ...string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		f := strings.Fields(l)
		if len(f) <= n || len(f) < len(prefix) {
			continue
		}
		match := true
		for i, p := range prefix {
			match = match && f[i] == p
		}
		if match {
			out = append(out, f[n])
		}
	}
	sort.Strings(out)
	return out
}

func sorted(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}

func base64StdDecode(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }

// assertRejected checks that a run failed with every wanted text in its
// error and registered nothing but the stack.
func assertRejected(t *testing.T, res *mocktest.Result, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
	for _, r := range res.Resources {
		if r.Type != "pulumi:pulumi:Stack" {
			t.Errorf("registered %s %s despite invalid args", r.Type, r.Name)
		}
	}
}
