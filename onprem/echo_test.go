package onprem_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/testkit"
	"github.com/hawebtier/hawebtier/onprem"
)

// TestNoPanicUnderAnEchoMock runs each component under the mock a new
// user writes first: every resource answers with its inputs only (a VM
// without uuid, moid or guest address, no generated secrets); the vCenter
// lookups keep their canned answers. Reading a missing output must end
// the run with an error or a result, never a panic.
func TestNoPanicUnderAnEchoMock(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		token   string
		program func(ctx *pulumi.Context) error
	}{
		"node": {onprem.NodeTypeToken, func(ctx *pulumi.Context) error {
			n, err := onprem.NewNode(ctx, "web-1", nodeArgs())
			if err != nil {
				return err
			}
			testkit.ExportOutputs(ctx, "", n)
			return nil
		}},
		"web tier": {onprem.WebTierTypeToken, func(ctx *pulumi.Context) error {
			w, err := onprem.NewWebTier(ctx, "tier", labArgs())
			if err != nil {
				return err
			}
			testkit.ExportOutputs(ctx, "", w)
			return nil
		}},
		"placement looked up, day-2 over SSH": {onprem.WebTierTypeToken, func(ctx *pulumi.Context) error {
			place, err := onprem.LookUpPlacement(ctx, onprem.PlacementNames{
				Datacenter: "LabDC", Cluster: "LabCluster", Datastore: "vsanDatastore",
				PortGroup: "VM-Web-30", Template: "debian-12-cloudinit",
			})
			if err != nil {
				return err
			}
			args := labArgs()
			place.SetOn(args)
			args.SSH = &onprem.SSH{PrivateKey: pulumi.ToSecret(pulumi.String("-----BEGIN OPENSSH PRIVATE KEY-----...")).(pulumi.StringOutput)}
			w, err := onprem.NewWebTier(ctx, "tier", args)
			if err != nil {
				return err
			}
			testkit.ExportOutputs(ctx, "", w)
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
