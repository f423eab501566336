package database_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/database"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// TestNoPanicWhenRDSReturnsNoMasterSecret: under a mock that answers with
// the inputs only, the RDS-managed secret list is empty. Reading it must
// fail the run with an error that says so, never panic.
func TestNoPanicWhenRDSReturnsNoMasterSecret(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{database.ManagedPassword, database.GeneratedPassword} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			args := validArgs("mysql", false)
			args.MasterPassword = mode
			_, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
				d, err := database.NewDatabase(ctx, "db", args)
				if err != nil {
					return err
				}
				ctx.Export("secret", d.MasterSecretARN)
				return nil
			}, mocktest.Options{EchoInputs: true})
			if mode == database.ManagedPassword && err == nil {
				t.Fatal("no master user secret from RDS, and no error")
			}
			t.Logf("%s: %v", mode, err)
		})
	}
}
