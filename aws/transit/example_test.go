package transit_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/transit"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// Production's Transit Gateway on its three app subnets, routing the
// staging VPC and on-prem from every app route table, in the region of an
// explicit provider. The function given to testkit.Run is the Pulumi
// program: in your own main.go it is what you pass to pulumi.Run.
func ExampleNewTransitGateway() {
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		ireland, err := aws.NewProvider(ctx, "eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		_, err = transit.NewTransitGateway(ctx, "production", &transit.TransitGatewayArgs{
			AmazonSideASN:   64602,
			VpcID:           pulumi.String("vpc-0prod"),
			SubnetIDs:       pulumi.ToStringArray([]string{"subnet-a", "subnet-b", "subnet-c"}),
			VpcCIDR:         "10.120.0.0/16",
			RouteTableIDs:   pulumi.ToStringArray([]string{"rtb-a", "rtb-b", "rtb-c"}),
			RouteTableCount: 3,
			PeerCIDR:        "10.110.0.0/16",
			OnPremCIDRs:     []string{"10.20.0.0/16"},
		}, pulumi.Providers(ireland))
		return err
	}, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	tgw := res.Find("aws:ec2transitgateway/transitGateway:TransitGateway", "production")
	fmt.Println("ASN:", tgw.Input("amazonSideAsn"), "default association:", tgw.Input("defaultRouteTableAssociation"))
	for _, r := range res.OfType("aws:ec2/route:Route") {
		fmt.Println(r.String("routeTableId"), r.String("destinationCidrBlock"), "-> transit gateway")
	}
	// Output:
	// ASN: 64602 default association: disable
	// rtb-a 10.110.0.0/16 -> transit gateway
	// rtb-a 10.20.0.0/16 -> transit gateway
	// rtb-b 10.110.0.0/16 -> transit gateway
	// rtb-b 10.20.0.0/16 -> transit gateway
	// rtb-c 10.110.0.0/16 -> transit gateway
	// rtb-c 10.20.0.0/16 -> transit gateway
}

// Production peers with staging in the same account: it requests the
// peering, accepts it with a provider for staging's region, and routes both
// sides once accepted. The staging ids come from staging's StackReference.
func ExampleNewPeering() {
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		production, err := aws.NewProvider(ctx, "production", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		staging, err := aws.NewProvider(ctx, "staging", &aws.ProviderArgs{Region: pulumi.String("eu-central-1")})
		if err != nil {
			return err
		}
		_, err = transit.NewPeering(ctx, "production-staging", &transit.PeeringArgs{
			TransitGatewayID:       pulumi.String("tgw-0prod"),
			RouteTableID:           pulumi.String("tgw-rtb-0prod"),
			LocalCIDR:              "10.120.0.0/16",
			PeerTransitGatewayID:   pulumi.String("tgw-0staging"),
			PeerRouteTableID:       pulumi.String("tgw-rtb-0staging"),
			PeerRegion:             "eu-central-1",
			PeerCIDR:               "10.110.0.0/16",
			PeerVpcRouteTableIDs:   pulumi.ToStringArray([]string{"rtb-0stga", "rtb-0stgb"}),
			PeerVpcRouteTableCount: 2,
			PeerProvider:           staging,
		}, pulumi.Providers(production))
		return err
	}, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	side := map[string]string{}
	for _, p := range res.OfType("pulumi:providers:aws") {
		side[p.URN] = p.Name
	}
	for _, r := range res.Resources {
		if !r.Custom || r.Type == "pulumi:providers:aws" {
			continue
		}
		fmt.Printf("%-10s %s %s\n", side[r.ProviderURN()], r.Type[len("aws:"):], r.Name)
	}
	// Output:
	// staging    ec2/route:Route production-staging-peer-rt0-10-120-0-0-16
	// staging    ec2/route:Route production-staging-peer-rt1-10-120-0-0-16
	// production ec2transitgateway/peeringAttachment:PeeringAttachment production-staging
	// staging    ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter production-staging-accept
	// production ec2transitgateway/route:Route production-staging-10-110-0-0-16
	// staging    ec2transitgateway/route:Route production-staging-peer-10-120-0-0-16
	// production ec2transitgateway/routeTableAssociation:RouteTableAssociation production-staging
	// staging    ec2transitgateway/routeTableAssociation:RouteTableAssociation production-staging-peer
}

// The VPN to the on-prem router over BGP, attached to the Transit Gateway,
// with generated pre-shared keys and a Direct Connect gateway. The tunnel
// addresses are what the router's administrator needs; the keys stay
// secret.
func ExampleNewOnPremLink() {
	var link *transit.OnPremLink
	tunnels := make([]string, 2)
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		ireland, err := aws.NewProvider(ctx, "eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		link, err = transit.NewOnPremLink(ctx, "onprem", &transit.OnPremLinkArgs{
			TransitGatewayID:   pulumi.String("tgw-0prod"),
			RouteTableID:       pulumi.String("tgw-rtb-0prod"),
			TransitGatewayASN:  64602,
			CustomerGatewayIP:  "198.51.100.10",
			CustomerGatewayASN: 65010,
			OnPremCIDRs:        []string{"10.20.0.0/16"},
			LocalCIDRs:         []string{"10.120.0.0/16"},
			TunnelInsideCIDRs:  []string{"169.254.10.0/30", "169.254.10.4/30"},
			DirectConnect:      &transit.DirectConnectArgs{ASN: 64620, AllowedPrefixes: []string{"10.120.0.0/16"}},
		}, pulumi.Providers(ireland))
		if err != nil {
			return err
		}
		for i, t := range link.Tunnels {
			pulumi.All(t.OutsideAddress, t.CustomerInsideAddress, t.AwsInsideAddress).ApplyT(func(v []any) error {
				tunnels[i] = fmt.Sprintf("tunnel %d: AWS endpoint %s, router %s, BGP neighbour %s", i+1, v[0], v[1], v[2])
				return nil
			})
		}
		return nil
	}, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	vpn := res.Find("aws:ec2/vpnConnection:VpnConnection", "onprem")
	fmt.Println("transitGatewayId:", vpn.Input("transitGatewayId"), "vpnGatewayId:", vpn.Input("vpnGatewayId"))
	fmt.Println("secret:", vpn.SecretPaths)
	for _, s := range tunnels {
		fmt.Println(s)
	}
	fmt.Println("key secret:", pulumi.IsSecret(link.Tunnels[0].PresharedKey))
	dx := res.Find("aws:directconnect/gatewayAssociation:GatewayAssociation", "onprem-dx")
	fmt.Println("direct connect advertises:", dx.Input("allowedPrefixes"))
	// Output:
	// transitGatewayId: tgw-0prod vpnGatewayId: <nil>
	// secret: [tunnel1PresharedKey tunnel2PresharedKey]
	// tunnel 1: AWS endpoint 203.0.113.11, router 169.254.10.2, BGP neighbour 169.254.10.1
	// tunnel 2: AWS endpoint 203.0.113.12, router 169.254.10.6, BGP neighbour 169.254.10.5
	// key secret: true
	// direct connect advertises: [10.120.0.0/16]
}

// A reserved tunnel inside CIDR and a customer gateway sharing the Transit
// Gateway's ASN: both are reported at once, each naming its field, and
// nothing is registered.
func ExampleArgsError() {
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		_, err := transit.NewOnPremLink(ctx, "onprem", &transit.OnPremLinkArgs{
			TransitGatewayID:   pulumi.String("tgw-0prod"),
			RouteTableID:       pulumi.String("tgw-rtb-0prod"),
			TransitGatewayASN:  64602,
			CustomerGatewayIP:  "198.51.100.10",
			CustomerGatewayASN: 64602,
			TunnelInsideCIDRs:  []string{"169.254.169.252/30", "169.254.10.4/30"},
		})
		return err
	}, testkit.Options{})
	var ae *transit.ArgsError
	if errors.As(err, &ae) {
		for _, p := range ae.Problems {
			fmt.Printf("%s: %s\n", p.Field, p.Message)
		}
	}
	fmt.Println("registered:", len(res.OfType("aws:ec2/vpnConnection:VpnConnection")))
	// Output:
	// CustomerGatewayASN: ASN 64602 equals TransitGatewayASN: each gateway needs its own ASN
	// TunnelInsideCIDRs[0]: "169.254.169.252/30" is reserved by AWS; pick another /30 in 169.254.0.0/16
	// registered: 0
}
