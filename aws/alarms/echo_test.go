package alarms_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/alarms"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// TestNoPanicUnderAnEchoMock runs the component under the mock a new user
// writes first: every resource answers with its inputs only (no arn for
// the SNS topic). Reading a missing output must end the run with an error
// or a result, never a panic.
func TestNoPanicUnderAnEchoMock(t *testing.T) {
	t.Parallel()
	cases := map[string]func() *alarms.AlarmsArgs{
		"everything watched": fullArgs,
		"one load balancer": func() *alarms.AlarmsArgs {
			return &alarms.AlarmsArgs{
				Email:         "ops@example.com",
				LoadBalancers: []alarms.LoadBalancer{{Label: "public", ARNSuffix: pulumi.String(publicLB), TargetGroupARNSuffix: pulumi.String(publicTG)}},
			}
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
				east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
				if err != nil {
					return err
				}
				args := mk()
				args.USEast1 = east
				a, err := alarms.NewAlarms(ctx, "ops", args)
				if err != nil {
					return err
				}
				testkit.ExportOutputs(ctx, "", a)
				return nil
			}, testkit.Options{EchoInputs: true})
			testkit.RequireNoPanic(t, res, err, alarms.TypeToken)
		})
	}
}
