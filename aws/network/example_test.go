package network_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/network"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// A production VPC over three AZs with a NAT gateway in each, in the
// region of an explicit provider: the AZ lookup asks that provider too.
// The function given to testkit.Run is the Pulumi program: in your own
// main.go it is what you pass to pulumi.Run.
func ExampleNewNetwork() {
	var n *network.Network
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		ireland, err := aws.NewProvider(ctx, "eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		n, err = network.NewNetwork(ctx, "production", &network.NetworkArgs{
			CIDR:            "10.120.0.0/16",
			NATGatewayPerAZ: true,
			Tags:            map[string]string{"environment": "production"},
		}, pulumi.Providers(ireland))
		return err
	}, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("zones:", n.AvailabilityZones)
	fmt.Println("public:", n.PublicSubnetCIDRs)
	fmt.Println("app:", n.AppSubnetCIDRs)
	fmt.Println("data:", n.DataSubnetCIDRs)
	fmt.Println("NAT gateways:", len(res.OfType("aws:ec2/natGateway:NatGateway")))
	ireland := res.Find("pulumi:providers:aws", "eu-west-1")
	for _, inv := range res.InvokesOf("aws:index/getAvailabilityZones:getAvailabilityZones") {
		fmt.Println("zones asked of eu-west-1:", inv.ProviderURN() == ireland.URN)
	}
	// Output:
	// zones: [eu-west-1a eu-west-1b eu-west-1c]
	// public: [10.120.0.0/21 10.120.8.0/21 10.120.16.0/21]
	// app: [10.120.64.0/21 10.120.72.0/21 10.120.80.0/21]
	// data: [10.120.128.0/21 10.120.136.0/21 10.120.144.0/21]
	// NAT gateways: 3
	// zones asked of eu-west-1: true
}
