package onprem_test

import (
	"context"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-vsphere/sdk/v4/go/vsphere"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/cloudinit"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/components/testkit"
	"github.com/hawebtier/hawebtier/onprem"
)

// newVCenter is the explicit vSphere provider of the examples; in a real
// program the password comes from secret config (config.RequireSecret).
func newVCenter(ctx *pulumi.Context) (*vsphere.Provider, error) {
	return vsphere.NewProvider(ctx, "vcenter", &vsphere.ProviderArgs{
		VsphereServer: pulumi.String("vcenter.lab.example.internal"),
		User:          pulumi.String("pulumi@vsphere.local"),
		Password:      pulumi.ToSecret(pulumi.String("from-secret-config")).(pulumi.StringOutput),
	})
}

// A single VM from a template, with its cloud-config and static address in
// guestinfo. The placement ids and the template's uuid, guest id and disks
// are looked up in vCenter by name first (LookUpPlacement), through the
// same provider the VM is created with. The function given to testkit.Run
// is the Pulumi program: in your own main.go it is what you pass to
// pulumi.Run.
func ExampleNewNode() {
	var addr string
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		vc, err := newVCenter(ctx)
		if err != nil {
			return err
		}
		place, err := onprem.LookUpPlacement(ctx, onprem.PlacementNames{
			Datacenter: "LabDC", Cluster: "LabCluster", Datastore: "vsanDatastore",
			PortGroup: "VM-Web-30", Template: "debian-12-cloudinit",
		}, pulumi.Provider(vc))
		if err != nil {
			return err
		}
		node, err := onprem.NewNode(ctx, "build-1", &onprem.NodeArgs{
			Name:     "build-1",
			Template: place.Template,
			CPUs:     2, MemoryMB: 2048, DiskGB: 50,
			ResourcePoolID: pulumi.String(place.ResourcePoolID),
			DatastoreID:    pulumi.String(place.DatastoreID),
			NetworkID:      pulumi.String(place.NetworkID),
			Network: cloudinit.StaticNetwork{
				Interface: "ens192", Address: "10.20.30.50/24", Gateway: "10.20.30.1", DNS: []string{"10.20.0.53"},
			},
			UserData: cloudinit.Header + "packages: [git]\n",
		}, pulumi.Providers(vc))
		if err != nil {
			return err
		}
		// RunWithContext returns once every output has resolved, so addr
		// is set when testkit.Run returns.
		node.Address.ApplyT(func(a string) string { addr = a; return a })
		return nil
	}, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	vm := res.Find("vsphere:index/virtualMachine:VirtualMachine", "build-1")
	fmt.Println("address:", addr)
	fmt.Println("cloned from:", vm.Input("clone").(map[string]any)["templateUuid"] == testkit.VSphereTemplateUUIDOf("debian-12-cloudinit"),
		"guest:", vm.String("guestId"))
	fmt.Println("disk GiB:", vm.Input("disks").([]any)[0].(map[string]any)["size"])
	fmt.Println("delete before replace:", vm.DeleteBeforeReplace)
	fmt.Println("through vcenter:", vm.ProviderURN() == res.Find("pulumi:providers:vsphere", "vcenter").URN)
	// Output:
	// address: 10.20.30.50
	// cloned from: true guest: debian12_64Guest
	// disk GiB: 50
	// delete before replace: true
	// through vcenter: true
}

// The whole tier: 2 load balancers sharing the VIP, web and app servers,
// the monitoring node, anti-affinity rules and tags, in one folder,
// placed by the vCenter names an operator knows.
func ExampleNewWebTier() {
	size := onprem.Size{CPUs: 2, MemoryMB: 4096, DiskGB: 20}
	var vip, mon string
	var nodes map[string]string
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		vc, err := newVCenter(ctx)
		if err != nil {
			return err
		}
		place, err := onprem.LookUpPlacement(ctx, onprem.PlacementNames{
			Datacenter: "LabDC", Cluster: "LabCluster", Datastore: "vsanDatastore",
			PortGroup: "VM-Web-30", Template: "debian-12-cloudinit",
		}, pulumi.Provider(vc))
		if err != nil {
			return err
		}
		args := &onprem.WebTierArgs{
			Topology: roles.Topology{
				Environment: "dev", Domain: "lab.example.internal", Connector: "proxy_http",
				VIP: "10.20.30.10", PrefixLen: 24, VRRPRouterID: 51,
				LBs:     []roles.Node{{Name: "lb-1", Address: "10.20.30.11"}, {Name: "lb-2", Address: "10.20.30.12"}},
				Web:     []roles.Node{{Name: "web-1", Address: "10.20.30.21"}, {Name: "web-2", Address: "10.20.30.22"}},
				App:     []roles.Node{{Name: "app-1", Address: "10.20.30.31"}, {Name: "app-2", Address: "10.20.30.32"}},
				Monitor: &roles.Node{Name: "mon-1", Address: "10.20.30.40"},
			},
			Gateway: "10.20.30.1", DNS: []string{"10.20.0.53"},
			Folder: "shop-dev",
			Sizes:  map[string]onprem.Size{"lb": size, "web": size, "app": size, "monitor": size},
		}
		place.SetOn(args)
		tier, err := onprem.NewWebTier(ctx, "shop", args, pulumi.Providers(vc))
		if err != nil {
			return err
		}
		tier.VIPURL.ApplyT(func(s string) string { vip = s; return s })
		tier.MonitoringURL.ApplyT(func(s string) string { mon = s; return s })
		tier.Nodes.ApplyT(func(m map[string]string) map[string]string { nodes = m; return m })
		return nil
	}, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("vip:", vip)
	fmt.Println("monitoring:", mon)
	names := make([]string, 0, len(nodes))
	for n := range nodes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Println(n, nodes[n])
	}
	rule := res.Find("vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule", "shop-web")
	fmt.Println("web anti-affinity VMs:", len(rule.Input("virtualMachineIds").([]any)))
	fmt.Println("VMs:", len(res.OfType("vsphere:index/virtualMachine:VirtualMachine")))
	// Output:
	// vip: http://10.20.30.10/
	// monitoring: http://10.20.30.40:9090/
	// app-1 10.20.30.31
	// app-2 10.20.30.32
	// lb-1 10.20.30.11
	// lb-2 10.20.30.12
	// mon-1 10.20.30.40
	// web-1 10.20.30.21
	// web-2 10.20.30.22
	// web anti-affinity VMs: 2
	// VMs: 7
}
