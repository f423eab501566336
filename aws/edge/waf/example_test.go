package waf_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge/waf"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// A CloudFront web ACL with a 1000 requests per 5 minutes limit per IP.
func ExampleNewWebACL() {
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		acl, err := waf.NewWebACL(ctx, "shop", &waf.WebACLArgs{RateLimit: 1000, USEast1: east})
		if err != nil {
			return err
		}
		acl.LogGroupName.ApplyT(func(n string) string { fmt.Println("logs:", n); return n })
		return nil
	}, mocktest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	acl := res.Find("aws:wafv2/webAcl:WebAcl", "shop")
	fmt.Println("scope:", acl.String("scope"))
	for _, r := range acl.Input("rules").([]any) {
		rm := r.(map[string]any)
		fmt.Println(rm["priority"], rm["name"])
	}
	// Output:
	// logs: aws-waf-logs-shop
	// scope: CLOUDFRONT
	// 0 rate-limit-per-ip
	// 1 AWSManagedRulesAmazonIpReputationList
	// 2 AWSManagedRulesKnownBadInputsRuleSet
	// 3 AWSManagedRulesCommonRuleSet
	// 4 AWSManagedRulesSQLiRuleSet
}
