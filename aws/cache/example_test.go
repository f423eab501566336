package cache_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/cache"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// A staging cache of two nodes admitting only the WAS tier.
func ExampleNewCache() {
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		c, err := cache.NewCache(ctx, "sessions", &cache.CacheArgs{
			NodeType:                "cache.t3.small",
			Nodes:                   2,
			SubnetIDs:               pulumi.ToStringArray([]string{"subnet-0a", "subnet-0b"}),
			VpcID:                   pulumi.String("vpc-0123"),
			AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{"sg-0was"}),
		})
		if err != nil {
			return err
		}
		c.MemberClusterIDs.ApplyT(func(ids []string) []string { fmt.Println("nodes:", ids); return ids })
		return nil
	}, mocktest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	rg := res.Find("aws:elasticache/replicationGroup:ReplicationGroup", "sessions")
	fmt.Println("failover:", rg.Input("automaticFailoverEnabled"), "multi-AZ:", rg.Input("multiAzEnabled"))
	fmt.Println("encrypted at rest:", rg.Input("atRestEncryptionEnabled"), "in transit:", rg.Input("transitEncryptionEnabled"))
	fmt.Println("secret inputs:", rg.SecretPaths)
	// Output:
	// nodes: [sessions-001 sessions-002]
	// failover: true multi-AZ: true
	// encrypted at rest: true in transit: true
	// secret inputs: [authToken]
}
