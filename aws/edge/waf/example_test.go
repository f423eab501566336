package waf_test

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge/waf"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// A CloudFront web ACL with a 1000 requests per 5 minutes limit per IP.
// CloudFront's web ACLs and their logs live in us-east-1, whatever the
// stack's region: the component takes that provider explicitly. The
// function given to testkit.Run is the Pulumi program: in your own
// main.go it is what you pass to pulumi.Run.
func ExampleNewWebACL() {
	var logGroup string
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		acl, err := waf.NewWebACL(ctx, "shop", &waf.WebACLArgs{RateLimit: 1000, USEast1: east})
		if err != nil {
			return err
		}
		// RunWithContext returns once every output has resolved, so the
		// value is set when testkit.Run returns.
		acl.LogGroupName.ApplyT(func(n string) string { logGroup = n; return n })
		return nil
	}, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	acl := res.Find("aws:wafv2/webAcl:WebAcl", "shop")
	fmt.Println("logs:", logGroup)
	fmt.Println("scope:", acl.String("scope"), "in us-east-1:", acl.ProviderURN() == res.Find("pulumi:providers:aws", "us-east-1").URN)
	for _, r := range acl.Input("rules").([]any) {
		rm := r.(map[string]any)
		fmt.Println(rm["priority"], rm["name"])
	}
	// Output:
	// logs: aws-waf-logs-shop
	// scope: CLOUDFRONT in us-east-1: true
	// 0 rate-limit-per-ip
	// 1 AWSManagedRulesAmazonIpReputationList
	// 2 AWSManagedRulesKnownBadInputsRuleSet
	// 3 AWSManagedRulesCommonRuleSet
	// 4 AWSManagedRulesSQLiRuleSet
}
