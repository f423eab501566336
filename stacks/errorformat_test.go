package stacks_test

import (
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/cache"
	"github.com/hawebtier/hawebtier/aws/database"
	"github.com/hawebtier/hawebtier/aws/network"
	"github.com/hawebtier/hawebtier/aws/transit"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/onprem"
)

// formatMocks answer every resource with its inputs, an RDS instance with
// the secret of its managed password (but the one called "analytics": it
// has none, as a provider could answer), and the availability zone lookup
// with two zones.
type formatMocks struct{}

func (formatMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	out := args.Inputs.Copy()
	if args.TypeToken == "aws:rds/instance:Instance" && args.Name != "analytics" {
		out["masterUserSecrets"] = resource.NewPropertyValue([]any{map[string]any{"secretArn": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:" + args.Name}})
	}
	return args.Name + "_id", out, nil
}

func (formatMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if args.Token == "aws:index/getAvailabilityZones:getAvailabilityZones" {
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": "eu-west-1", "names": []any{"eu-west-1a", "eu-west-1b"}, "zoneIds": []any{"euw1-az1", "euw1-az2"},
		}), nil
	}
	return args.Args, nil
}

// TestErrorsNameTheirInstance: one program with two instances of each
// component, each with its own mistake. Every error reads
// `<component> "<instance>": <Field>: <message>` (a problem of a field) or
// `<component> "<instance>": <message>` (any other), so a reader tells the
// two databases apart.
func TestErrorsNameTheirInstance(t *testing.T) {
	t.Parallel()
	ids := pulumi.StringArray{pulumi.String("subnet-1"), pulumi.String("subnet-2")}
	vpc := pulumi.String("vpc-1")
	tier := func(gateway string, dns []string) *onprem.WebTierArgs {
		return &onprem.WebTierArgs{
			Topology: roles.Topology{
				Environment: "dev", Domain: "lab.example.internal", Connector: "proxy_http",
				VIP: "10.20.30.10", PrefixLen: 24, VRRPRouterID: 51,
				LBs:     []roles.Node{{Name: "lb-1", Address: "10.20.30.11"}, {Name: "lb-2", Address: "10.20.30.12"}},
				Web:     []roles.Node{{Name: "web-1", Address: "10.20.30.21"}, {Name: "web-2", Address: "10.20.30.22"}},
				App:     []roles.Node{{Name: "app-1", Address: "10.20.30.31"}, {Name: "app-2", Address: "10.20.30.32"}},
				Monitor: &roles.Node{Name: "mon-1", Address: "10.20.30.40"},
			},
			Gateway: gateway, DNS: dns, Folder: "hawebtier-dev",
			DatacenterID: pulumi.String("dc"), ComputeClusterID: pulumi.String("cl"), ResourcePoolID: pulumi.String("rp"),
			DatastoreID: pulumi.String("ds"), NetworkID: pulumi.String("net"),
			Template: onprem.Template{UUID: "uuid", GuestID: "debian12_64Guest", Disks: []onprem.TemplateDisk{{Label: "Hard disk 1", SizeGB: 10}}},
		}
	}
	link := func(customerASN int) *transit.OnPremLinkArgs {
		return &transit.OnPremLinkArgs{
			TransitGatewayID: pulumi.String("tgw-1"), RouteTableID: pulumi.String("tgw-rtb-1"),
			TransitGatewayASN: 64602, PeerASN: 65010, CustomerGatewayIP: "198.51.100.10", CustomerGatewayASN: customerASN,
			OnPremCIDRs: []string{"10.20.0.0/16"}, LocalCIDRs: []string{"10.120.0.0/16"},
		}
	}
	builds := map[string]func(ctx *pulumi.Context) error{
		"orders": func(ctx *pulumi.Context) error {
			_, err := database.NewDatabase(ctx, "orders", &database.DatabaseArgs{SubnetIDs: ids, VpcID: vpc, InstanceClass: "m6i.large"})
			return err
		},
		"billing": func(ctx *pulumi.Context) error {
			_, err := database.NewDatabase(ctx, "billing", &database.DatabaseArgs{SubnetIDs: ids, VpcID: vpc, AllocatedStorageGB: 5})
			return err
		},
		"reports": func(ctx *pulumi.Context) error {
			// Built with inline rules, it refuses a rule of its own.
			db, err := database.NewDatabase(ctx, "reports", &database.DatabaseArgs{SubnetIDs: ids, VpcID: vpc, AllowedSecurityGroupIDs: pulumi.StringArray{pulumi.String("sg-web")}})
			if err != nil {
				return err
			}
			return db.Admit(ctx, "was", pulumi.String("sg-was"))
		},
		"analytics": func(ctx *pulumi.Context) error {
			// Valid args; RDS answers without the managed password's secret,
			// an error of the run (below).
			_, err := database.NewDatabase(ctx, "analytics", &database.DatabaseArgs{SubnetIDs: ids, VpcID: vpc})
			return err
		},
		"sessions": func(ctx *pulumi.Context) error {
			_, err := cache.NewCache(ctx, "sessions", &cache.CacheArgs{SubnetIDs: ids, VpcID: vpc, Nodes: 1})
			return err
		},
		"carts": func(ctx *pulumi.Context) error {
			_, err := cache.NewCache(ctx, "carts", &cache.CacheArgs{SubnetIDs: ids, VpcID: vpc, NodeType: "m6g.large"})
			return err
		},
		"prod": func(ctx *pulumi.Context) error {
			// Valid args; the region has too few zones.
			_, err := network.NewNetwork(ctx, "prod", &network.NetworkArgs{CIDR: "10.1.0.0/16", AZCount: 3})
			return err
		},
		"staging": func(ctx *pulumi.Context) error {
			_, err := network.NewNetwork(ctx, "staging", &network.NetworkArgs{CIDR: "10.2.0.0/24"})
			return err
		},
		"dc1": func(ctx *pulumi.Context) error {
			_, err := transit.NewOnPremLink(ctx, "dc1", link(64602))
			return err
		},
		"dc2": func(ctx *pulumi.Context) error {
			_, err := transit.NewOnPremLink(ctx, "dc2", link(65010))
			return err
		},
		"blue": func(ctx *pulumi.Context) error {
			_, err := onprem.NewWebTier(ctx, "blue", tier("10.20.30.300", []string{"10.20.0.53"}))
			return err
		},
		"green": func(ctx *pulumi.Context) error {
			_, err := onprem.NewWebTier(ctx, "green", tier("10.20.30.1", nil))
			return err
		},
	}
	var mu sync.Mutex
	got := map[string]string{}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		for name, build := range builds {
			if err := build(ctx); err != nil {
				mu.Lock()
				got[name] = err.Error()
				mu.Unlock()
			}
		}
		return nil
	}, pulumi.WithMocks("hawebtier", "format", formatMocks{}))
	// An error of the run (in an apply, once RDS answered) names its
	// instance too.
	run := `database "analytics": RDS returned no master user secret (masterUserSecrets is empty) for the managed password`
	if err == nil || !strings.HasSuffix(err.Error(), ": "+run) {
		t.Errorf("the run failed with %v, want ...: %s", err, run)
	}

	tests := map[string]string{
		"orders":   `database "orders": InstanceClass: expected an RDS instance class such as db.m6i.large, got "m6i.large"`,
		"billing":  `database "billing": AllocatedStorageGB: expected 20 to 16384 GiB, got 5`,
		"reports":  `database "reports": admit was: ` + "the tier was built with AllowedSecurityGroupIDs (inline rules, which would delete a standalone one); pass every group there, or none and Admit each",
		"sessions": `cache "sessions": Nodes: need 2 to 6 nodes (a primary and at least one replica for automatic failover), got 1`,
		"carts":    `cache "carts": NodeType: expected an ElastiCache node type such as cache.m6g.large, got "m6g.large"`,
		"prod":     `network "prod": AZCount: the region offers 2 availability zones, asked for 3`,
		"staging":  `network "staging": CIDR: expected a /16 to /23 VPC (each subnet is 1/32 of it, AWS subnets are /28 or larger), got /24`,
		"dc1":      `transit onprem link "dc1": CustomerGatewayASN: ASN 64602 equals TransitGatewayASN: each gateway needs its own ASN`,
		"dc2":      `transit onprem link "dc2": CustomerGatewayASN: ASN 65010 equals PeerASN: each gateway needs its own ASN`,
		"blue":     `onprem web tier "blue": Gateway: expected an IP address, got "10.20.30.300"`,
		"green":    `onprem web tier "green": DNS: need at least one DNS server`,
	}
	// Every line of any error: a component, its instance, then the rest.
	line := regexp.MustCompile(`^[a-z][a-z0-9 ]* "[^"]+": [^ ]`)
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text, ok := got[name]
			if !ok {
				t.Fatalf("%s built without an error", name)
			}
			if text != want {
				t.Errorf("error:\n%s\nwant:\n%s", text, want)
			}
			for _, l := range strings.Split(text, "\n") {
				if !line.MatchString(l) || !strings.Contains(l, ` "`+name+`": `) {
					t.Errorf("line %q does not begin with its component and %q", l, name)
				}
			}
		})
	}
}
