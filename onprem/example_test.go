package onprem_test

import (
	"context"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/cloudinit"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/onprem"
)

// A single VM from a template, with its cloud-config and static address in
// guestinfo. The placement ids come from lookups (vsphere.GetDatastore ...)
// in a real program.
func ExampleNewNode() {
	var addr string
	res, _ := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		node, err := onprem.NewNode(ctx, "build-1", &onprem.NodeArgs{
			Name: "build-1",
			Template: onprem.Template{
				UUID: mocktest.VSphereTemplateUUID, GuestID: "debian12_64Guest", AdapterType: "vmxnet3",
				Disks: []onprem.TemplateDisk{{Label: "Hard disk 1", SizeGB: 20, ThinProvisioned: true}},
			},
			CPUs: 2, MemoryMB: 2048, DiskGB: 50,
			ResourcePoolID: pulumi.String("resgroup-9"),
			DatastoreID:    pulumi.String("datastore-12"),
			NetworkID:      pulumi.String("network-15"),
			Network: cloudinit.StaticNetwork{
				Interface: "ens192", Address: "10.20.30.50/24", Gateway: "10.20.30.1", DNS: []string{"10.20.0.53"},
			},
			UserData: cloudinit.Header + "packages: [git]\n",
		})
		if err != nil {
			return err
		}
		node.Address.ApplyT(func(a string) string { addr = a; return a })
		return nil
	}, mocktest.Options{})
	fmt.Println("address:", addr)
	vm := res.Find("vsphere:index/virtualMachine:VirtualMachine", "build-1")
	fmt.Println("disk GiB:", vm.Input("disks").([]any)[0].(map[string]any)["size"])
	fmt.Println("delete before replace:", vm.DeleteBeforeReplace)
	// Output:
	// address: 10.20.30.50
	// disk GiB: 50
	// delete before replace: true
}

// The whole tier: 2 load balancers sharing the VIP, web and app servers,
// the monitoring node, anti-affinity rules and tags, in one folder.
func ExampleNewWebTier() {
	size := onprem.Size{CPUs: 2, MemoryMB: 4096, DiskGB: 20}
	var vip, mon string
	var nodes map[string]string
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		tier, err := onprem.NewWebTier(ctx, "shop", &onprem.WebTierArgs{
			Topology: roles.Topology{
				Environment: "dev", Domain: "lab.example.internal", Connector: "proxy_http",
				VIP: "10.20.30.10", PrefixLen: 24, VRRPRouterID: 51,
				LBs:     []roles.Node{{Name: "lb-1", Address: "10.20.30.11"}, {Name: "lb-2", Address: "10.20.30.12"}},
				Web:     []roles.Node{{Name: "web-1", Address: "10.20.30.21"}, {Name: "web-2", Address: "10.20.30.22"}},
				App:     []roles.Node{{Name: "app-1", Address: "10.20.30.31"}, {Name: "app-2", Address: "10.20.30.32"}},
				Monitor: &roles.Node{Name: "mon-1", Address: "10.20.30.40"},
			},
			Gateway: "10.20.30.1", DNS: []string{"10.20.0.53"},
			DatacenterID: pulumi.String("datacenter-3"), ComputeClusterID: pulumi.String("domain-c8"),
			ResourcePoolID: pulumi.String("resgroup-9"), DatastoreID: pulumi.String("datastore-12"),
			NetworkID: pulumi.String("network-15"),
			Template: onprem.Template{
				UUID: mocktest.VSphereTemplateUUID, GuestID: "debian12_64Guest",
				Disks: []onprem.TemplateDisk{{Label: "Hard disk 1", SizeGB: 20, ThinProvisioned: true}},
			},
			Folder: "shop-dev",
			Sizes:  map[string]onprem.Size{"lb": size, "web": size, "app": size, "monitor": size},
		})
		if err != nil {
			return err
		}
		tier.VIPURL.ApplyT(func(s string) string { vip = s; return s })
		tier.MonitoringURL.ApplyT(func(s string) string { mon = s; return s })
		tier.Nodes.ApplyT(func(m map[string]string) map[string]string { nodes = m; return m })
		return nil
	}, mocktest.Options{})
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
}
