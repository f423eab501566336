package transit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/transit"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// TestNoPanicUnderAnEchoMock runs each component under the mock a new
// user writes first: every resource answers with its inputs only (a VPN
// connection without tunnel addresses or Transit Gateway attachment, no
// generated pre-shared keys); the Direct Connect lookup keeps its canned
// answer. Reading a missing output must end the run with an error or a
// result, never a panic.
func TestNoPanicUnderAnEchoMock(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		token   string
		program func(ctx *pulumi.Context) error
	}{
		"transit gateway": {"hawebtier:aws:TransitGateway", func(ctx *pulumi.Context) error {
			g, err := transit.NewTransitGateway(ctx, "prod", gatewayArgs())
			if err != nil {
				return err
			}
			testkit.ExportOutputs(ctx, "", g)
			return nil
		}},
		"peering": {"hawebtier:aws:TransitPeering", func(ctx *pulumi.Context) error {
			peer, err := peerProvider(ctx)
			if err != nil {
				return err
			}
			p, err := transit.NewPeering(ctx, "prod-stg", peeringArgs(peer))
			if err != nil {
				return err
			}
			testkit.ExportOutputs(ctx, "", p)
			return nil
		}},
		"peering accepter": {"hawebtier:aws:TransitPeeringAccepter", func(ctx *pulumi.Context) error {
			a, err := transit.NewPeeringAccepter(ctx, "stg-prod", &transit.PeeringAccepterArgs{
				AttachmentID: pulumi.String("tgw-attach-0fromprod"),
				RouteTableID: pulumi.String("tgw-rtb-0staging"),
				LocalCIDR:    "10.110.0.0/16",
				PeerCIDR:     "10.120.0.0/16",
			})
			if err != nil {
				return err
			}
			testkit.ExportOutputs(ctx, "", a)
			return nil
		}},
		"on-prem link with Direct Connect": {"hawebtier:aws:OnPremLink", func(ctx *pulumi.Context) error {
			args := onPremArgs()
			args.DirectConnect = &transit.DirectConnectArgs{ASN: 64620, AllowedPrefixes: []string{"10.120.0.0/16"}}
			l, err := transit.NewOnPremLink(ctx, "onprem", args)
			if err != nil {
				return err
			}
			testkit.ExportOutputs(ctx, "", l)
			for i := range l.Tunnels {
				testkit.ExportOutputs(ctx, fmt.Sprintf("tunnel%d.", i+1), &l.Tunnels[i])
			}
			return nil
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := testkit.Run(context.Background(), tc.program, testkit.Options{EchoInputs: true})
			testkit.RequireNoPanic(t, res, err, tc.token)
		})
	}
}
