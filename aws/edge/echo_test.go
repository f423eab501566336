package edge_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// TestNoPanicWhenACMReturnsNoValidationRecord: under a mock that answers
// with the inputs only, a certificate has no DNS validation options.
// Reading them must fail the run with an error that says so, never panic.
func TestNoPanicWhenACMReturnsNoValidationRecord(t *testing.T) {
	t.Parallel()
	_, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		args, err := validArgs(ctx)
		if err != nil {
			return err
		}
		args.Domain, args.HostedZoneID = "www.example.com", "Z0123456789ABC"
		e, err := edge.NewEdge(ctx, "edge", args)
		if err != nil {
			return err
		}
		ctx.Export("validation", e.CertificateValidationRecord)
		return nil
	}, mocktest.Options{EchoInputs: true})
	if err == nil || !strings.Contains(err.Error(), "ACM returned no DNS validation record") {
		t.Fatalf("want the missing validation record named, got %v", err)
	}
}
