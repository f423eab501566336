package waf_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge/waf"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// TestNoPanicUnderAnEchoMock runs the component under the mock a new user
// writes first: every resource answers with its inputs only (no arn for
// the web ACL or its log group). Reading a missing output must end the
// run with an error or a result, never a panic.
func TestNoPanicUnderAnEchoMock(t *testing.T) {
	t.Parallel()
	cases := map[string]waf.WebACLArgs{
		"defaults":                   {},
		"rate limit, long retention": {RateLimit: 1000, LogRetentionDays: 365, ResourceName: "prod-shop"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
				east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
				if err != nil {
					return err
				}
				args.USEast1 = east
				acl, err := waf.NewWebACL(ctx, "shop", &args)
				if err != nil {
					return err
				}
				testkit.ExportOutputs(ctx, "", acl)
				return nil
			}, testkit.Options{EchoInputs: true})
			testkit.RequireNoPanic(t, res, err, waf.TypeToken)
		})
	}
}
