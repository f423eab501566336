// Command hawebtier-importer is a Pulumi program of the kind a team writes
// when it imports single hawebtier components instead of running the
// hawebtier stacks: the on-prem web tier on vSphere, the Multi-AZ database
// on AWS its data will move to, and the haproxy.cfg of the DMZ load balancer
// (run by another team) that balances over the same web servers. It lives
// in its own module, so it can use only what another module can import:
// `go build` here fails if a component needs an internal package.
package main

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-vsphere/sdk/v4/go/vsphere"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/hawebtier/hawebtier/aws/database"
	"github.com/hawebtier/hawebtier/components/haproxy"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/onprem"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		_, err := deploy(ctx)
		return err
	})
}

// deployment is what the program built, for its tests.
type deployment struct {
	Database *database.Database
	Tier     *onprem.WebTier
	// DMZConfig is the DMZ load balancer's haproxy.cfg, also exported as
	// the stack output dmzHaproxyCfg for the team that runs it.
	DMZConfig string
}

// topology is the on-prem tier: two load balancers sharing the VIP, two
// web and two app servers, the monitoring node.
var topology = roles.Topology{
	Environment: "production", Domain: "shop.example.internal", Connector: "proxy_http",
	VIP: "10.40.0.10", PrefixLen: 24, VRRPRouterID: 61,
	LBs:     []roles.Node{{Name: "lb-1", Address: "10.40.0.11"}, {Name: "lb-2", Address: "10.40.0.12"}},
	Web:     []roles.Node{{Name: "web-1", Address: "10.40.0.21"}, {Name: "web-2", Address: "10.40.0.22"}},
	App:     []roles.Node{{Name: "app-1", Address: "10.40.0.31"}, {Name: "app-2", Address: "10.40.0.32"}},
	Monitor: &roles.Node{Name: "mon-1", Address: "10.40.0.40"},
}

// settings are the stack's config (`pulumi config set importer:vpcId ...`).
type settings struct {
	VpcID, AppSecurityGroupID  string
	DataSubnetIDs              []string
	VCenterServer, VCenterUser string
	VCenterPassword            pulumi.StringOutput
	Placement                  onprem.PlacementNames
}

// readSettings reads every key and reports all the missing ones at once,
// before anything is registered (config.Require would panic on the first).
func readSettings(ctx *pulumi.Context) (*settings, error) {
	cfg := config.New(ctx, "")
	var missing []string
	str := func(key string) string {
		v, err := cfg.Try(key)
		if err != nil {
			missing = append(missing, ctx.Project()+":"+key)
		}
		return v
	}
	s := &settings{
		VpcID:              str("vpcId"),
		AppSecurityGroupID: str("appSecurityGroupId"),
		VCenterServer:      str("vcenterServer"),
		VCenterUser:        str("vcenterUser"),
		Placement: onprem.PlacementNames{
			Datacenter: str("datacenter"),
			Cluster:    str("cluster"),
			Datastore:  str("datastore"),
			PortGroup:  str("portGroup"),
			Template:   str("template"),
		},
	}
	if err := cfg.TryObject("dataSubnetIds", &s.DataSubnetIDs); err != nil {
		missing = append(missing, ctx.Project()+":dataSubnetIds")
	}
	pw, err := cfg.TrySecret("vcenterPassword")
	if err != nil {
		missing = append(missing, ctx.Project()+":vcenterPassword")
	}
	s.VCenterPassword = pw
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing or invalid config: %s", strings.Join(missing, ", "))
	}
	return s, nil
}

func deploy(ctx *pulumi.Context) (*deployment, error) {
	s, err := readSettings(ctx)
	if err != nil {
		return nil, err
	}
	d := &deployment{}

	ireland, err := aws.NewProvider(ctx, "eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
	if err != nil {
		return nil, fmt.Errorf("aws provider eu-west-1: %w", err)
	}
	d.Database, err = database.NewDatabase(ctx, "orders", &database.DatabaseArgs{
		Engine:        "mysql",
		EngineVersion: "8.0",
		InstanceClass: "db.m6i.large",
		DBName:        "orders",
		Production:    true,
		SubnetIDs:     pulumi.ToStringArray(s.DataSubnetIDs),
		VpcID:         pulumi.String(s.VpcID),
		// Only the AWS app tier that will replace the on-prem one.
		AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{s.AppSecurityGroupID}),
		// The final snapshot's name is unique in the account and region.
		ResourceName: "importer-orders",
	}, pulumi.Providers(ireland))
	if err != nil {
		return nil, fmt.Errorf("AWS side: %w", err)
	}
	ctx.Export("databaseEndpoint", d.Database.Endpoint)
	ctx.Export("databaseSecretArn", d.Database.MasterSecretARN)

	vcenter, err := vsphere.NewProvider(ctx, "vcenter", &vsphere.ProviderArgs{
		VsphereServer: pulumi.String(s.VCenterServer),
		User:          pulumi.String(s.VCenterUser),
		Password:      s.VCenterPassword,
	})
	if err != nil {
		return nil, fmt.Errorf("vsphere provider %s: %w", s.VCenterServer, err)
	}
	place, err := onprem.LookUpPlacement(ctx, s.Placement, pulumi.Provider(vcenter))
	if err != nil {
		return nil, fmt.Errorf("on-prem side: %w", err)
	}
	size := onprem.Size{CPUs: 2, MemoryMB: 4096, DiskGB: 30}
	tierArgs := &onprem.WebTierArgs{
		Topology: topology,
		Gateway:  "10.40.0.1",
		DNS:      []string{"10.40.0.53"},
		Folder:   "shop-production",
		Sizes:    map[string]onprem.Size{roles.LB: size, roles.Web: size, roles.App: size, roles.Monitor: size},
		Protect:  true,
	}
	place.SetOn(tierArgs)
	d.Tier, err = onprem.NewWebTier(ctx, "shop", tierArgs, pulumi.Providers(vcenter))
	if err != nil {
		return nil, fmt.Errorf("on-prem side: %w", err)
	}
	ctx.Export("vipUrl", d.Tier.VIPURL)

	servers := make([]haproxy.Server, 0, len(topology.Web))
	for _, w := range topology.Web {
		servers = append(servers, haproxy.Server{Name: w.Name, Address: w.Address, Port: 80})
	}
	d.DMZConfig, err = haproxy.Render(haproxy.Config{
		Bind:      "192.0.2.80:80",
		AdminBind: "10.40.0.5:8404",
		Servers:   servers,
	})
	if err != nil {
		return nil, fmt.Errorf("DMZ haproxy.cfg: %w", err)
	}
	ctx.Export("dmzHaproxyCfg", pulumi.String(d.DMZConfig))
	return d, nil
}
