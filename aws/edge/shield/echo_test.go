package shield_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge/shield"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// TestNoPanicUnderAnEchoMock runs the component under the mock a new user
// writes first: every resource answers with its inputs only (no arn for
// the health check or the alarm topics); the caller identity keeps its
// canned answer. Reading a missing output must end the run with an error
// or a result, never a panic.
func TestNoPanicUnderAnEchoMock(t *testing.T) {
	t.Parallel()
	cases := map[string]func(*shield.ShieldArgs){
		"subscribed account": nil,
		"subscribe, contacts, alarm mail": func(a *shield.ShieldArgs) {
			a.Subscribe = true
			a.Contacts = []shield.Contact{{Email: "soc@example.com", Phone: "+15555550100"}}
			a.AlarmEmail = "ops@example.com"
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
				east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
				if err != nil {
					return err
				}
				args := &shield.ShieldArgs{
					DistributionARN: pulumi.String(distARN),
					LoadBalancerARN: pulumi.String(albARN),
					HealthCheckFQDN: pulumi.String("shop.example.com"),
					USEast1:         east,
				}
				if mutate != nil {
					mutate(args)
				}
				s, err := shield.NewShield(ctx, "edge", args)
				if err != nil {
					return err
				}
				testkit.ExportOutputs(ctx, "", s)
				return nil
			}, testkit.Options{EchoInputs: true})
			testkit.RequireNoPanic(t, res, err, shield.TypeToken)
		})
	}
}
