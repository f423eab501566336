package cache_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/cache"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// A staging cache of two nodes admitting only the WAS tier, in the region
// of an explicit provider. The function given to testkit.Run is the
// Pulumi program: in your own main.go it is what you pass to pulumi.Run.
func ExampleNewCache() {
	program := func(ctx *pulumi.Context) error {
		ireland, err := aws.NewProvider(ctx, "eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		c, err := cache.NewCache(ctx, "sessions", &cache.CacheArgs{
			NodeType:                "cache.t3.small",
			Nodes:                   2,
			SubnetIDs:               pulumi.ToStringArray([]string{"subnet-0a", "subnet-0b"}),
			VpcID:                   pulumi.String("vpc-0123"),
			AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{"sg-0was"}),
		}, pulumi.Providers(ireland))
		if err != nil {
			return err
		}
		ctx.Export("nodes", c.MemberClusterIDs)
		return nil
	}

	res, err := testkit.Run(context.Background(), program, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	rg := res.Find("aws:elasticache/replicationGroup:ReplicationGroup", "sessions")
	fmt.Println("nodes:", rg.Output("memberClusters"))
	fmt.Println("failover:", rg.Input("automaticFailoverEnabled"), "multi-AZ:", rg.Input("multiAzEnabled"))
	fmt.Println("encrypted at rest:", rg.Input("atRestEncryptionEnabled"), "in transit:", rg.Input("transitEncryptionEnabled"))
	fmt.Println("secret inputs:", rg.SecretPaths)
	fmt.Println("in eu-west-1:", rg.ProviderURN() == res.Find("pulumi:providers:aws", "eu-west-1").URN)
	// Output:
	// nodes: [sessions-001 sessions-002]
	// failover: true multi-AZ: true
	// encrypted at rest: true in transit: true
	// secret inputs: [authToken]
	// in eu-west-1: true
}
