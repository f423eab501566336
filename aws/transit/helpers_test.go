package transit_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// Resource type tokens the tests look for.
const (
	tTGW         = "aws:ec2transitgateway/transitGateway:TransitGateway"
	tTGWRouteTab = "aws:ec2transitgateway/routeTable:RouteTable"
	tVPCAttach   = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
	tAssoc       = "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation"
	tProp        = "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation"
	tTGWRoute    = "aws:ec2transitgateway/route:Route"
	tPeering     = "aws:ec2transitgateway/peeringAttachment:PeeringAttachment"
	tAccepter    = "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter"
	tVPCRoute    = "aws:ec2/route:Route"
	tCGW         = "aws:ec2/customerGateway:CustomerGateway"
	tVPN         = "aws:ec2/vpnConnection:VpnConnection"
	tPassword    = "random:index/randomPassword:RandomPassword"
	tDXGW        = "aws:directconnect/gateway:Gateway"
	tDXAssoc     = "aws:directconnect/gatewayAssociation:GatewayAssociation"
	tAWSProvider = "pulumi:providers:aws"
)

// run evaluates fn under the mock engine.
func run(t *testing.T, fn pulumi.RunFunc) (*mocktest.Result, error) {
	t.Helper()
	return mocktest.Run(context.Background(), fn, mocktest.Options{Stack: "aws-production"})
}

// peerProvider registers the explicit provider for the peer side, as the
// stacks package does.
func peerProvider(ctx *pulumi.Context) (*aws.Provider, error) {
	return aws.NewProvider(ctx, "peer", &aws.ProviderArgs{Region: pulumi.String("eu-central-1")})
}

// under reports whether r sits below the component named comp.
func under(res *mocktest.Result, r *mocktest.Resource, compType, comp string) bool {
	c := res.Find(compType, comp)
	if c == nil {
		return false
	}
	for _, d := range res.Descendants(c.URN) {
		if d.URN == r.URN {
			return true
		}
	}
	return false
}

// ids lists the mock ids of resources, the values other resources receive
// for their id outputs.
func id(res *mocktest.Result, typ, name string) string {
	if r := res.Find(typ, name); r != nil {
		return r.ID
	}
	return ""
}
