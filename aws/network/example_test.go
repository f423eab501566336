package network_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/network"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// A production VPC over three AZs with a NAT gateway in each.
func ExampleNewNetwork() {
	var n *network.Network
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		var err error
		n, err = network.NewNetwork(ctx, "production", &network.NetworkArgs{
			CIDR:            "10.120.0.0/16",
			NATGatewayPerAZ: true,
			Tags:            map[string]string{"environment": "production"},
		})
		return err
	}, mocktest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("zones:", n.AvailabilityZones)
	fmt.Println("public:", n.PublicSubnetCIDRs)
	fmt.Println("app:", n.AppSubnetCIDRs)
	fmt.Println("data:", n.DataSubnetCIDRs)
	fmt.Println("NAT gateways:", len(res.OfType("aws:ec2/natGateway:NatGateway")))
	// Output:
	// zones: [eu-west-1a eu-west-1b eu-west-1c]
	// public: [10.120.0.0/21 10.120.8.0/21 10.120.16.0/21]
	// app: [10.120.64.0/21 10.120.72.0/21 10.120.80.0/21]
	// data: [10.120.128.0/21 10.120.136.0/21 10.120.144.0/21]
	// NAT gateways: 3
}
