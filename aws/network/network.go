package network

import (
	"encoding/json"
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "hawebtier:aws:Network"

// Defaults and limits of NetworkArgs.
const (
	DefaultAZCount              = 3
	MinAZCount                  = 2
	MaxAZCount                  = 6
	DefaultFlowLogRetentionDays = 90
)

// Tier names, in the order of their blocks in the VPC CIDR.
const (
	TierPublic = "public"
	TierApp    = "app"
	TierData   = "data"
)

// tiers lists the subnet tiers by block index (see SubnetCIDR).
var tiers = []string{TierPublic, TierApp, TierData}

// flowLogRetentionDays are the values CloudWatch Logs accepts.
var flowLogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// NetworkArgs shape the VPC. All fields are plain values: they decide how
// many resources there are.
type NetworkArgs struct {
	// CIDR is the VPC's IPv4 block, /16 to /23 (each subnet is 1/32 of it
	// and AWS subnets must be /28 or larger).
	CIDR string `json:"cidr"`
	// AZCount is the number of availability zones, default 3, at least 2.
	AZCount int `json:"azCount"`
	// NATGatewayPerAZ gives each AZ its own NAT gateway (an AZ outage then
	// leaves the other AZs' egress alone); false shares one NAT gateway in
	// the first AZ, which is cheaper.
	NATGatewayPerAZ bool `json:"natGatewayPerAz"`
	// FlowLogRetentionDays keeps VPC flow logs this long; default 90, one
	// of the values CloudWatch Logs accepts.
	FlowLogRetentionDays int `json:"flowLogRetentionDays"`
	// Tags are added to every resource (on top of the provider's default tags).
	Tags map[string]string `json:"-"`
}

// WithDefaults returns the args with every unset field that has a default
// filled in, as NewNetwork uses them. The json names are the keys of a
// config object that holds these args (hawebtier:aws.network).
func (args NetworkArgs) WithDefaults() NetworkArgs {
	a := args
	if a.AZCount == 0 {
		a.AZCount = DefaultAZCount
	}
	if a.FlowLogRetentionDays == 0 {
		a.FlowLogRetentionDays = DefaultFlowLogRetentionDays
	}
	return a
}

// Network is a VPC with public, app and data subnets in each AZ.
type Network struct {
	pulumi.ResourceState

	VpcID pulumi.StringOutput
	// CIDR is the VPC's block, as given.
	CIDR string
	// AvailabilityZones are the zones used, in subnet order.
	AvailabilityZones []string
	// Subnet ids per tier, one per AZ in AvailabilityZones order.
	PublicSubnetIDs pulumi.StringArrayOutput
	AppSubnetIDs    pulumi.StringArrayOutput
	DataSubnetIDs   pulumi.StringArrayOutput
	// Subnet CIDRs per tier, one per AZ (plain: computed from CIDR).
	PublicSubnetCIDRs []string
	AppSubnetCIDRs    []string
	DataSubnetCIDRs   []string
	// Route tables: one public, one per AZ for app (each to its NAT
	// gateway), one shared for data (no default route). The transit
	// component adds routes to these.
	PublicRouteTableID pulumi.StringOutput
	AppRouteTableIDs   pulumi.StringArrayOutput
	DataRouteTableIDs  pulumi.StringArrayOutput
	InternetGatewayID  pulumi.StringOutput
	NATGatewayIDs      pulumi.StringArrayOutput
	S3EndpointID       pulumi.StringOutput
	FlowLogID          pulumi.StringOutput
	FlowLogGroupName   pulumi.StringOutput
}

// SubnetPrefixBits is how many bits each subnet adds to the VPC prefix: the
// VPC is cut into 32 equal blocks.
const SubnetPrefixBits = 5

// SubnetCIDR returns the subnet of tier t (0 public, 1 app, 2 data) in AZ
// index az: block 8*t+az of the VPC's 32 equal blocks. So in 10.0.0.0/16
// the public subnets are 10.0.0.0/21, 10.0.8.0/21, ...; app starts at
// 10.0.64.0/21 and data at 10.0.128.0/21. Blocks 6-7 of each tier and the
// last quarter (24-31) stay free for later use (e.g. transit attachment
// subnets). The scheme depends only on the VPC CIDR, so adding an AZ never
// moves an existing subnet.
func SubnetCIDR(vpc netip.Prefix, t, az int) (netip.Prefix, error) {
	if t < 0 || t >= len(tiers) || az < 0 || az >= 8 {
		return netip.Prefix{}, fmt.Errorf("tier %d, az %d out of range", t, az)
	}
	bits := vpc.Bits() + SubnetPrefixBits
	if bits > 28 {
		return netip.Prefix{}, fmt.Errorf("VPC %s too small: subnets would be /%d, AWS needs /28 or larger", vpc, bits)
	}
	block := uint32(8*t + az)
	base := vpc.Masked().Addr().As4()
	v := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	v += block << (32 - bits)
	addr := netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	return netip.PrefixFrom(addr, bits), nil
}

// component is how errors name the component: `network "<name>": ...`.
const component = "network"

// validate fills defaults into a copy of args and reports every problem,
// naming the field.
func (args *NetworkArgs) validate(name string) (NetworkArgs, netip.Prefix, error) {
	if args == nil {
		return NetworkArgs{}, netip.Prefix{}, problem.Errorf(component, name, "args are required")
	}
	a := args.WithDefaults()
	probs := problem.List{Component: component, Instance: name}
	bad := probs.Add
	vpc, err := netip.ParsePrefix(a.CIDR)
	switch {
	case err != nil || !vpc.Addr().Is4():
		bad("CIDR", "expected an IPv4 CIDR such as 10.1.0.0/16, got %q", a.CIDR)
	case vpc.Masked() != vpc:
		bad("CIDR", "expected the network address %s, got %q", vpc.Masked(), a.CIDR)
	case vpc.Bits() < 16 || vpc.Bits() > 28-SubnetPrefixBits:
		bad("CIDR", "expected a /16 to /%d VPC (each subnet is 1/32 of it, AWS subnets are /28 or larger), got /%d", 28-SubnetPrefixBits, vpc.Bits())
	}
	if a.AZCount < MinAZCount || a.AZCount > MaxAZCount {
		bad("AZCount", "need %d to %d availability zones for HA, got %d", MinAZCount, MaxAZCount, a.AZCount)
	}
	if !contains(flowLogRetentionDays, a.FlowLogRetentionDays) {
		bad("FlowLogRetentionDays", "CloudWatch Logs accepts one of %v days, got %d", flowLogRetentionDays, a.FlowLogRetentionDays)
	}
	return a, vpc, probs.Err()
}

// NewNetwork builds the VPC. Invalid args return an error naming every bad
// field and register nothing.
func NewNetwork(ctx *pulumi.Context, name string, args *NetworkArgs, opts ...pulumi.ResourceOption) (*Network, error) {
	a, vpcPrefix, err := args.validate(name)
	if err != nil {
		return nil, err
	}
	n := &Network{CIDR: a.CIDR}
	if err := ctx.RegisterComponentResource(TypeToken, name, n, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(n)
	azs, err := availabilityZones(ctx, name, a.AZCount, parent)
	if err != nil {
		return nil, err
	}
	n.AvailabilityZones = azs
	tags := nameTags(a.Tags)

	vpc, igw, err := newVpc(ctx, name, a.CIDR, tags, parent)
	if err != nil {
		return nil, err
	}
	subnets, cidrs, err := newSubnets(ctx, name, vpcPrefix, azs, vpc, tags, parent)
	if err != nil {
		return nil, err
	}
	n.PublicSubnetCIDRs, n.AppSubnetCIDRs, n.DataSubnetCIDRs = cidrs[0], cidrs[1], cidrs[2]
	routes, err := newRouting(ctx, name, a, azs, vpc, igw, subnets, tags, parent)
	if err != nil {
		return nil, err
	}
	s3, err := newS3Endpoint(ctx, name, vpc, routes.privateRouteTableIDs(), tags, parent)
	if err != nil {
		return nil, err
	}
	flowLog, logGroup, err := newFlowLog(ctx, name, vpc, a, tags, parent)
	if err != nil {
		return nil, err
	}

	n.VpcID = vpc.ID().ToStringOutput()
	n.InternetGatewayID = igw.ID().ToStringOutput()
	n.PublicSubnetIDs = idsOf(subnets[0]).ToStringArrayOutput()
	n.AppSubnetIDs = idsOf(subnets[1]).ToStringArrayOutput()
	n.DataSubnetIDs = idsOf(subnets[2]).ToStringArrayOutput()
	n.PublicRouteTableID = routes.public.ID().ToStringOutput()
	n.AppRouteTableIDs = idsOf(routes.app).ToStringArrayOutput()
	n.DataRouteTableIDs = pulumi.StringArray{routes.data.ID()}.ToStringArrayOutput()
	n.NATGatewayIDs = idsOf(routes.natGateways).ToStringArrayOutput()
	n.S3EndpointID = s3.ID().ToStringOutput()
	n.FlowLogID = flowLog.ID().ToStringOutput()
	n.FlowLogGroupName = logGroup.Name
	if err := n.registerOutputs(ctx); err != nil {
		return nil, err
	}
	return n, nil
}

// registerOutputs completes the component's registration with the outputs
// that stacks export and other components read.
func (n *Network) registerOutputs(ctx *pulumi.Context) error {
	return ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":              n.VpcID,
		"cidr":               pulumi.String(n.CIDR),
		"publicSubnetIds":    n.PublicSubnetIDs,
		"appSubnetIds":       n.AppSubnetIDs,
		"dataSubnetIds":      n.DataSubnetIDs,
		"publicRouteTableId": n.PublicRouteTableID,
		"appRouteTableIds":   n.AppRouteTableIDs,
		"dataRouteTableIds":  n.DataRouteTableIDs,
		"natGatewayIds":      n.NATGatewayIDs,
		"s3EndpointId":       n.S3EndpointID,
		"flowLogId":          n.FlowLogID,
	})
}

// nameTags returns a function that tags one resource: its Name and the
// caller's tags.
func nameTags(extra map[string]string) func(resName string) pulumi.StringMap {
	return func(resName string) pulumi.StringMap {
		m := pulumi.StringMap{"Name": pulumi.String(resName)}
		for k, v := range extra {
			m[k] = pulumi.String(v)
		}
		return m
	}
}

// availabilityZones returns the region's first count zones that are
// available.
func availabilityZones(ctx *pulumi.Context, name string, count int, parent pulumi.InvokeOption) ([]string, error) {
	azs, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
		State: pulumi.StringRef("available"),
		// Local and Wavelength zones have no NAT gateways or RDS.
		Filters: []aws.GetAvailabilityZonesFilter{{Name: "opt-in-status", Values: []string{"opt-in-not-required"}}},
	}, parent)
	if err != nil {
		return nil, problem.Errorf(component, name, "list availability zones: %w", err)
	}
	if len(azs.Names) < count {
		probs := problem.List{Component: component, Instance: name}
		probs.Add("AZCount", "the region offers %d availability zones, asked for %d", len(azs.Names), count)
		return nil, probs.Err()
	}
	return azs.Names[:count], nil
}

// newVpc builds the VPC and its internet gateway.
func newVpc(ctx *pulumi.Context, name, cidr string, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*ec2.Vpc, *ec2.InternetGateway, error) {
	vpc, err := ec2.NewVpc(ctx, name, &ec2.VpcArgs{
		CidrBlock:          pulumi.String(cidr),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true), // RDS and ElastiCache endpoints resolve through VPC DNS
		Tags:               tags(name),
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	igw, err := ec2.NewInternetGateway(ctx, name, &ec2.InternetGatewayArgs{VpcId: vpc.ID(), Tags: tags(name)}, parent)
	if err != nil {
		return nil, nil, err
	}
	return vpc, igw, nil
}

// newSubnets builds one subnet per tier and AZ, tier by tier, at the CIDR
// SubnetCIDR gives it. Both results are indexed by tier, then AZ.
func newSubnets(ctx *pulumi.Context, name string, vpcPrefix netip.Prefix, azs []string, vpc *ec2.Vpc, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) ([][]*ec2.Subnet, [][]string, error) {
	subnets := make([][]*ec2.Subnet, len(tiers))
	cidrs := make([][]string, len(tiers))
	for t, tier := range tiers {
		for i, az := range azs {
			p, err := SubnetCIDR(vpcPrefix, t, i)
			if err != nil {
				return nil, nil, problem.Errorf(component, name, "%w", err)
			}
			snName := fmt.Sprintf("%s-%s-%s", name, tier, az)
			sn, err := ec2.NewSubnet(ctx, snName, &ec2.SubnetArgs{
				VpcId:            vpc.ID(),
				CidrBlock:        pulumi.String(p.String()),
				AvailabilityZone: pulumi.String(az),
				// Nothing launched in a subnet gets a public address: the
				// instances sit in app subnets behind the public ALB.
				MapPublicIpOnLaunch: pulumi.Bool(false),
				Tags:                withTier(tags(snName), tier),
			}, parent)
			if err != nil {
				return nil, nil, err
			}
			subnets[t] = append(subnets[t], sn)
			cidrs[t] = append(cidrs[t], p.String())
		}
	}
	return subnets, cidrs, nil
}

// newFlowLog sends all of the VPC's traffic records to a CloudWatch log
// group through a role that can write to that group only.
func newFlowLog(ctx *pulumi.Context, name string, vpc *ec2.Vpc, a NetworkArgs, tags func(string) pulumi.StringMap, parent pulumi.ResourceOrInvokeOption) (*ec2.FlowLog, *cloudwatch.LogGroup, error) {
	group, err := cloudwatch.NewLogGroup(ctx, name+"-flow-logs", &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(a.FlowLogRetentionDays),
		Tags:            tags(name + "-flow-logs"),
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	caller, err := aws.GetCallerIdentity(ctx, nil, parent)
	if err != nil {
		return nil, nil, problem.Errorf(component, name, "caller identity: %w", err)
	}
	trust, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "vpc-flow-logs.amazonaws.com"},
			"Action":    "sts:AssumeRole",
			// Confused-deputy guard: only flow logs of this account.
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": caller.AccountId}},
		}},
	})
	if err != nil {
		return nil, nil, err
	}
	role, err := iam.NewRole(ctx, name+"-flow-logs", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(string(trust)),
		Description:      pulumi.String("VPC flow logs of " + name + " write to their log group"),
		Tags:             tags(name + "-flow-logs"),
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	policy := group.Arn.ApplyT(func(arn string) (string, error) {
		b, err := json.Marshal(map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Effect":   "Allow",
				"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
				"Resource": []string{arn, arn + ":*"},
			}},
		})
		return string(b), err
	}).(pulumi.StringOutput)
	rp, err := iam.NewRolePolicy(ctx, name+"-flow-logs", &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, parent)
	if err != nil {
		return nil, nil, err
	}
	fl, err := ec2.NewFlowLog(ctx, name, &ec2.FlowLogArgs{
		VpcId:                  vpc.ID(),
		TrafficType:            pulumi.String("ALL"),
		LogDestinationType:     pulumi.String("cloud-watch-logs"),
		LogDestination:         group.Arn,
		IamRoleArn:             role.Arn,
		MaxAggregationInterval: pulumi.Int(60),
		Tags:                   tags(name),
	}, parent, pulumi.DependsOn([]pulumi.Resource{rp}))
	if err != nil {
		return nil, nil, err
	}
	return fl, group, nil
}

// idsOf returns the resources' ids, in order.
func idsOf[R pulumi.CustomResource](resources []R) pulumi.StringArray {
	var ids pulumi.StringArray
	for _, r := range resources {
		ids = append(ids, r.ID())
	}
	return ids
}

func withTier(m pulumi.StringMap, tier string) pulumi.StringMap {
	m["hawebtier:tier"] = pulumi.String(tier)
	return m
}

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
