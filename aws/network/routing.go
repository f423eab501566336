package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// routing is the VPC's route tables and the NAT gateways the app tables
// route through.
type routing struct {
	public *ec2.RouteTable
	// app has one table per AZ.
	app         []*ec2.RouteTable
	data        *ec2.RouteTable
	natGateways []*ec2.NatGateway
}

// privateRouteTableIDs are the app tables and the data table.
func (r *routing) privateRouteTableIDs() pulumi.StringArray {
	return append(idsOf(r.app), r.data.ID())
}

// newRouting builds each tier's route tables, the NAT gateways and the
// subnets' associations; subnets are indexed by tier, then AZ.
func newRouting(ctx *pulumi.Context, name string, a NetworkArgs, azs []string, vpc *ec2.Vpc, igw *ec2.InternetGateway, subnets [][]*ec2.Subnet, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*routing, error) {
	publicRT, err := newPublicRouteTable(ctx, name, azs, vpc, igw, subnets[0], tags, parent)
	if err != nil {
		return nil, err
	}
	nats, err := newNATGateways(ctx, name, a, azs, igw, subnets[0], tags, parent)
	if err != nil {
		return nil, err
	}
	appRTs, err := newAppRouteTables(ctx, name, a, azs, vpc, nats, subnets[1], tags, parent)
	if err != nil {
		return nil, err
	}
	dataRT, err := newDataRouteTable(ctx, name, azs, vpc, subnets[2], tags, parent)
	if err != nil {
		return nil, err
	}
	return &routing{public: publicRT, app: appRTs, data: dataRT, natGateways: nats}, nil
}

// newPublicRouteTable is one route table with the default route to the
// internet gateway, for every public subnet.
func newPublicRouteTable(ctx *pulumi.Context, name string, azs []string, vpc *ec2.Vpc, igw *ec2.InternetGateway, subnets []*ec2.Subnet, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*ec2.RouteTable, error) {
	publicRT, err := ec2.NewRouteTable(ctx, name+"-public", &ec2.RouteTableArgs{VpcId: vpc.ID(), Tags: tags(name + "-public")}, parent)
	if err != nil {
		return nil, err
	}
	// Routes are separate resources (never inline) so the transit component
	// can add its own routes to the same tables without a tug of war.
	if _, err := ec2.NewRoute(ctx, name+"-public-default", &ec2.RouteArgs{
		RouteTableId: publicRT.ID(), DestinationCidrBlock: pulumi.String("0.0.0.0/0"), GatewayId: igw.ID(),
	}, parent); err != nil {
		return nil, err
	}
	if err := associate(ctx, name, TierPublic, azs, subnets, func(int) *ec2.RouteTable { return publicRT }, parent); err != nil {
		return nil, err
	}
	return publicRT, nil
}

// newNATGateways builds one NAT gateway per AZ, or one in the first AZ,
// each with its Elastic IP. NAT gateways live in the public subnets.
func newNATGateways(ctx *pulumi.Context, name string, a NetworkArgs, azs []string, igw *ec2.InternetGateway, publicSubnets []*ec2.Subnet, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) ([]*ec2.NatGateway, error) {
	natCount := 1
	if a.NATGatewayPerAZ {
		natCount = a.AZCount
	}
	var nats []*ec2.NatGateway
	for i := 0; i < natCount; i++ {
		az := azs[i]
		eip, err := ec2.NewEip(ctx, fmt.Sprintf("%s-nat-%s", name, az), &ec2.EipArgs{Domain: pulumi.String("vpc"), Tags: tags(fmt.Sprintf("%s-nat-%s", name, az))}, parent)
		if err != nil {
			return nil, err
		}
		nat, err := ec2.NewNatGateway(ctx, fmt.Sprintf("%s-%s", name, az), &ec2.NatGatewayArgs{
			AllocationId: eip.AllocationId,
			SubnetId:     publicSubnets[i].ID(),
			Tags:         tags(fmt.Sprintf("%s-%s", name, az)),
		}, parent, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, err
		}
		nats = append(nats, nat)
	}
	return nats, nil
}

// newAppRouteTables builds one route table per AZ, default route to that
// AZ's NAT gateway (or the shared one). Kept per AZ even with one NAT
// gateway so switching NATGatewayPerAZ only changes routes, not tables or
// associations.
func newAppRouteTables(ctx *pulumi.Context, name string, a NetworkArgs, azs []string, vpc *ec2.Vpc, nats []*ec2.NatGateway, subnets []*ec2.Subnet, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) ([]*ec2.RouteTable, error) {
	var appRTs []*ec2.RouteTable
	for i, az := range azs {
		rt, err := ec2.NewRouteTable(ctx, fmt.Sprintf("%s-app-%s", name, az), &ec2.RouteTableArgs{VpcId: vpc.ID(), Tags: tags(fmt.Sprintf("%s-app-%s", name, az))}, parent)
		if err != nil {
			return nil, err
		}
		nat := nats[0]
		if a.NATGatewayPerAZ {
			nat = nats[i]
		}
		if _, err := ec2.NewRoute(ctx, fmt.Sprintf("%s-app-%s-default", name, az), &ec2.RouteArgs{
			RouteTableId: rt.ID(), DestinationCidrBlock: pulumi.String("0.0.0.0/0"), NatGatewayId: nat.ID(),
		}, parent); err != nil {
			return nil, err
		}
		appRTs = append(appRTs, rt)
	}
	if err := associate(ctx, name, TierApp, azs, subnets, func(i int) *ec2.RouteTable { return appRTs[i] }, parent); err != nil {
		return nil, err
	}
	return appRTs, nil
}

// newDataRouteTable is one shared table with only the local route:
// databases and caches never talk to the internet.
func newDataRouteTable(ctx *pulumi.Context, name string, azs []string, vpc *ec2.Vpc, subnets []*ec2.Subnet, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*ec2.RouteTable, error) {
	dataRT, err := ec2.NewRouteTable(ctx, name+"-data", &ec2.RouteTableArgs{VpcId: vpc.ID(), Tags: tags(name + "-data")}, parent)
	if err != nil {
		return nil, err
	}
	if err := associate(ctx, name, TierData, azs, subnets, func(int) *ec2.RouteTable { return dataRT }, parent); err != nil {
		return nil, err
	}
	return dataRT, nil
}

func associate(ctx *pulumi.Context, name, tier string, azs []string, subnets []*ec2.Subnet, rt func(int) *ec2.RouteTable, parent pulumi.ResourceOption) error {
	for i, sn := range subnets {
		if _, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-%s-%s", name, tier, azs[i]), &ec2.RouteTableAssociationArgs{
			SubnetId: sn.ID(), RouteTableId: rt(i).ID(),
		}, parent); err != nil {
			return err
		}
	}
	return nil
}

// newS3Endpoint is the S3 gateway endpoint on routeTableIDs: package
// mirrors and backups reach S3 without NAT charges, and data subnets reach
// it at all.
func newS3Endpoint(ctx *pulumi.Context, name string, vpc *ec2.Vpc, routeTableIDs pulumi.StringArray, tags func(string) pulumi.StringMap, parent pulumi.ResourceOrInvokeOption) (*ec2.VpcEndpoint, error) {
	region, err := aws.GetRegion(ctx, nil, parent)
	if err != nil {
		return nil, problem.Errorf(component, name, "region: %w", err)
	}
	return ec2.NewVpcEndpoint(ctx, name+"-s3", &ec2.VpcEndpointArgs{
		VpcId:           vpc.ID(),
		ServiceName:     pulumi.String("com.amazonaws." + region.Name + ".s3"),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   routeTableIDs,
		Tags:            tags(name + "-s3"),
	}, parent)
}
