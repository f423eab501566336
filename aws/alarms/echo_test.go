package alarms_test

import (
	"context"
	"strings"
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
			if err != nil && strings.Contains(err.Error(), "panic") {
				t.Fatalf("panicked under an echo mock: %v", err)
			}
			if n := len(res.OfType(alarms.TypeToken)); n != 1 {
				t.Fatalf("%d %s registered (error %v): the case did not reach the component", n, alarms.TypeToken, err)
			}
			t.Logf("%d resources, error: %v", len(res.Resources), err)
		})
	}
}
