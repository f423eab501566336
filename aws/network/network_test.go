package network_test

import (
	"context"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/network"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

const (
	tSubnet  = "aws:ec2/subnet:Subnet"
	tNAT     = "aws:ec2/natGateway:NatGateway"
	tRoute   = "aws:ec2/route:Route"
	tRT      = "aws:ec2/routeTable:RouteTable"
	tRTA     = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	tVPCE    = "aws:ec2/vpcEndpoint:VpcEndpoint"
	tFlowLog = "aws:ec2/flowLog:FlowLog"
	tLog     = "aws:cloudwatch/logGroup:LogGroup"
	tRole    = "aws:iam/role:Role"
	tPolicy  = "aws:iam/rolePolicy:RolePolicy"
)

func run(t *testing.T, args *network.NetworkArgs) (*mocktest.Result, *network.Network, error) {
	t.Helper()
	var n *network.Network
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		var err error
		n, err = network.NewNetwork(ctx, "vpc", args)
		return err
	}, mocktest.Options{})
	return res, n, err
}

func TestSubnetCIDR(t *testing.T) {
	t.Parallel()
	vpc := netip.MustParsePrefix("10.0.0.0/16")
	cases := map[string]struct {
		tier, az int
		want     string
	}{
		"public a": {0, 0, "10.0.0.0/21"},
		"public b": {0, 1, "10.0.8.0/21"},
		"app a":    {1, 0, "10.0.64.0/21"},
		"app c":    {1, 2, "10.0.80.0/21"},
		"data a":   {2, 0, "10.0.128.0/21"},
		"data f":   {2, 5, "10.0.168.0/21"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := network.SubnetCIDR(vpc, tc.tier, tc.az)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tc.want {
				t.Errorf("SubnetCIDR(%s, %d, %d) = %s, want %s", vpc, tc.tier, tc.az, got, tc.want)
			}
		})
	}
	if _, err := network.SubnetCIDR(netip.MustParsePrefix("10.0.0.0/24"), 0, 0); err == nil {
		t.Error("a /24 VPC would need /29 subnets; want an error")
	}
}

func TestNetworkShape(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		args             network.NetworkArgs
		azs, nats, appRT int
	}{
		"default three AZs, one NAT":     {network.NetworkArgs{CIDR: "10.110.0.0/16"}, 3, 1, 3},
		"NAT per AZ":                     {network.NetworkArgs{CIDR: "10.120.0.0/16", NATGatewayPerAZ: true}, 3, 3, 3},
		"two AZs, NAT per AZ, small VPC": {network.NetworkArgs{CIDR: "192.168.0.0/23", AZCount: 2, NATGatewayPerAZ: true}, 2, 2, 2},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, n, err := run(t, &tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(res.OfType(tSubnet)); got != 3*tc.azs {
				t.Errorf("%d subnets, want %d", got, 3*tc.azs)
			}
			if got := len(res.OfType(tNAT)); got != tc.nats {
				t.Errorf("%d NAT gateways, want %d", got, tc.nats)
			}
			if got := len(n.AvailabilityZones); got != tc.azs {
				t.Errorf("%d AZs, want %d", got, tc.azs)
			}
			// Every subnet inside the VPC, none overlapping, each in its own AZ per tier.
			vpc := netip.MustParsePrefix(tc.args.CIDR)
			var seen []netip.Prefix
			azsByTier := map[string]map[string]bool{}
			for _, sn := range res.OfType(tSubnet) {
				p := netip.MustParsePrefix(sn.String("cidrBlock"))
				if !vpc.Contains(p.Addr()) || p.Bits() < vpc.Bits() {
					t.Errorf("subnet %s %s outside VPC %s", sn.Name, p, vpc)
				}
				for _, o := range seen {
					if o.Overlaps(p) {
						t.Errorf("subnet %s %s overlaps %s", sn.Name, p, o)
					}
				}
				seen = append(seen, p)
				if sn.Input("mapPublicIpOnLaunch") != false {
					t.Errorf("subnet %s maps public IPs on launch", sn.Name)
				}
				tier := sn.Input("tags").(map[string]any)["hawebtier:tier"].(string)
				if azsByTier[tier] == nil {
					azsByTier[tier] = map[string]bool{}
				}
				azsByTier[tier][sn.String("availabilityZone")] = true
			}
			for _, tier := range []string{"public", "app", "data"} {
				if len(azsByTier[tier]) != tc.azs {
					t.Errorf("tier %s spans %d AZs, want %d", tier, len(azsByTier[tier]), tc.azs)
				}
			}
			// Default routes: public via IGW, app via a NAT gateway, data none.
			var igw, nat int
			for _, r := range res.OfType(tRoute) {
				switch {
				case r.Input("gatewayId") != nil:
					igw++
				case r.Input("natGatewayId") != nil:
					nat++
				}
			}
			if igw != 1 || nat != tc.appRT {
				t.Errorf("default routes: %d via IGW, %d via NAT; want 1 and %d", igw, nat, tc.appRT)
			}
			if got := len(res.OfType(tRTA)); got != 3*tc.azs {
				t.Errorf("%d route table associations, want %d", got, 3*tc.azs)
			}
		})
	}
}

func TestNATPerAZRoutesStayInAZ(t *testing.T) {
	t.Parallel()
	res, _, err := run(t, &network.NetworkArgs{CIDR: "10.120.0.0/16", NATGatewayPerAZ: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.OfType(tRoute) {
		natID, _ := r.Input("natGatewayId").(string)
		if natID == "" {
			continue
		}
		// vpc-app-eu-west-1b-default must use the NAT gateway vpc-eu-west-1b.
		az := strings.TrimSuffix(strings.TrimPrefix(r.Name, "vpc-app-"), "-default")
		want := mocktest.DeterministicID(tNAT, "vpc-"+az)
		if natID != want {
			t.Errorf("route %s uses NAT %s, want the one in its AZ %s", r.Name, natID, want)
		}
	}
}

func TestS3EndpointOnPrivateRouteTables(t *testing.T) {
	t.Parallel()
	res, n, err := run(t, &network.NetworkArgs{CIDR: "10.110.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	eps := res.OfType(tVPCE)
	if len(eps) != 1 {
		t.Fatalf("%d VPC endpoints, want 1", len(eps))
	}
	ep := eps[0]
	if ep.String("serviceName") != "com.amazonaws."+mocktest.AWSRegion+".s3" || ep.String("vpcEndpointType") != "Gateway" {
		t.Errorf("endpoint %s %s", ep.String("serviceName"), ep.String("vpcEndpointType"))
	}
	var want []any
	for _, az := range n.AvailabilityZones {
		want = append(want, mocktest.DeterministicID(tRT, "vpc-app-"+az))
	}
	want = append(want, mocktest.DeterministicID(tRT, "vpc-data"))
	if diff := cmp.Diff(want, ep.Input("routeTableIds")); diff != "" {
		t.Errorf("endpoint route tables (-want +got):\n%s", diff)
	}
}

func TestFlowLogsLeastPrivilege(t *testing.T) {
	t.Parallel()
	res, _, err := run(t, &network.NetworkArgs{CIDR: "10.110.0.0/16", FlowLogRetentionDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	group := res.Find(tLog, "vpc-flow-logs")
	fl := res.Find(tFlowLog, "vpc")
	role := res.Find(tRole, "vpc-flow-logs")
	pol := res.Find(tPolicy, "vpc-flow-logs")
	if group == nil || fl == nil || role == nil || pol == nil {
		t.Fatalf("missing flow log resources:\n%s", mocktest.GoldenList(res))
	}
	if group.Input("retentionInDays") != 30.0 {
		t.Errorf("retention %v, want 30", group.Input("retentionInDays"))
	}
	groupARN := "arn:aws:logs:" + mocktest.AWSRegion + ":" + mocktest.AWSAccountID + ":log-group:vpc-flow-logs"
	if fl.String("logDestination") != groupARN || fl.String("trafficType") != "ALL" {
		t.Errorf("flow log to %q traffic %q", fl.String("logDestination"), fl.String("trafficType"))
	}
	if !res.DependsOn(fl, pol) {
		t.Error("flow log must wait for its role's policy")
	}
	var doc struct {
		Statement []struct {
			Effect   string
			Action   []string
			Resource []string
		}
	}
	if err := json.Unmarshal([]byte(pol.String("policy")), &doc); err != nil {
		t.Fatal(err)
	}
	want := []string{groupARN, groupARN + ":*"}
	if len(doc.Statement) != 1 || !cmp.Equal(doc.Statement[0].Resource, want) {
		t.Errorf("policy %s, want resources exactly %v", pol.String("policy"), want)
	}
	for _, a := range doc.Statement[0].Action {
		if strings.Contains(a, "*") || !strings.HasPrefix(a, "logs:") {
			t.Errorf("action %q is wider than writing logs", a)
		}
	}
	var trust struct{ Statement []map[string]any }
	if err := json.Unmarshal([]byte(role.String("assumeRolePolicy")), &trust); err != nil {
		t.Fatal(err)
	}
	if got := trust.Statement[0]["Principal"]; !cmp.Equal(got, map[string]any{"Service": "vpc-flow-logs.amazonaws.com"}) {
		t.Errorf("trust principal %v", got)
	}
}

func TestNetworkBadArgs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		args  *network.NetworkArgs
		wants []string
	}{
		"one AZ":            {&network.NetworkArgs{CIDR: "10.0.0.0/16", AZCount: 1}, []string{`network "vpc": AZCount:`, "got 1"}},
		"bad CIDR":          {&network.NetworkArgs{CIDR: "10.0.0/16"}, []string{`network "vpc": CIDR:`, `"10.0.0/16"`}},
		"not network":       {&network.NetworkArgs{CIDR: "10.0.0.1/16"}, []string{`network "vpc": CIDR:`, "10.0.0.0/16"}},
		"too small":         {&network.NetworkArgs{CIDR: "10.0.0.0/24"}, []string{`network "vpc": CIDR:`, "/24"}},
		"IPv6":              {&network.NetworkArgs{CIDR: "fd00::/56"}, []string{`network "vpc": CIDR:`}},
		"retention":         {&network.NetworkArgs{CIDR: "10.0.0.0/16", FlowLogRetentionDays: 8}, []string{`network "vpc": FlowLogRetentionDays:`, "got 8"}},
		"several at once":   {&network.NetworkArgs{CIDR: "x", AZCount: 9, FlowLogRetentionDays: 2}, []string{"CIDR:", "AZCount:", "FlowLogRetentionDays:"}},
		"nil args":          {nil, []string{`network "vpc": args are required`}},
		"seven AZs":         {&network.NetworkArgs{CIDR: "10.0.0.0/16", AZCount: 7}, []string{`network "vpc": AZCount:`, "got 7"}},
		"negative AZ count": {&network.NetworkArgs{CIDR: "10.0.0.0/16", AZCount: -1}, []string{`network "vpc": AZCount:`}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, _, err := run(t, tc.args)
			mocktest.RequireErrorMentions(t, err, tc.wants...)
			mocktest.RequireNothingRegistered(t, res)
		})
	}
}

func TestRegionWithTooFewZones(t *testing.T) {
	t.Parallel()
	_, _, err := run(t, &network.NetworkArgs{CIDR: "10.0.0.0/16", AZCount: 4})
	if err == nil || !strings.Contains(err.Error(), "AZCount: the region offers 3") {
		t.Errorf("error %v, want the AZCount named with the region's count", err)
	}
}
