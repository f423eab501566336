package network_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/network"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// TestNoPanicUnderAnEchoMock runs the component under the mock a new user
// writes first: every resource answers with its inputs only (no arn for
// the flow log role or log group); the AZ lookup keeps its canned answer.
// Reading a missing output must end the run with an error or a result,
// never a panic.
func TestNoPanicUnderAnEchoMock(t *testing.T) {
	t.Parallel()
	cases := map[string]network.NetworkArgs{
		"one NAT":                {CIDR: "10.110.0.0/16"},
		"NAT per AZ, flow logs":  {CIDR: "10.120.0.0/16", NATGatewayPerAZ: true, FlowLogRetentionDays: 30},
		"two AZs, small network": {CIDR: "192.168.0.0/23", AZCount: 2, NATGatewayPerAZ: true},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
				n, err := network.NewNetwork(ctx, "net", &args)
				if err != nil {
					return err
				}
				testkit.ExportOutputs(ctx, "", n)
				return nil
			}, testkit.Options{EchoInputs: true})
			testkit.RequireNoPanic(t, res, err, network.TypeToken)
		})
	}
}
