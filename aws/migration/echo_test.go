package migration_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/migration"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// TestNoPanicUnderAnEchoMock runs the component under the mock a new user
// writes first: every resource answers with its inputs only (no DMS arns,
// so no task resource id); region and partition keep their canned
// answers. Reading a missing output must end the run with an error or a
// result, never a panic.
func TestNoPanicUnderAnEchoMock(t *testing.T) {
	t.Parallel()
	cases := map[string]func() *migration.MigrationArgs{
		"replicate": validArgs,
		"account roles, customer key, own secrets endpoint": func() *migration.MigrationArgs {
			a := validArgs()
			a.CreateAccountRoles = true
			a.KMSKeyARN = pulumi.String(kmsARN)
			a.SkipSecretsManagerEndpoint = true
			return a
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
				m, err := migration.NewMigration(ctx, "mig", mk())
				if err != nil {
					return err
				}
				testkit.ExportOutputs(ctx, "", m)
				return nil
			}, testkit.Options{EchoInputs: true})
			if err != nil && strings.Contains(err.Error(), "panic") {
				t.Fatalf("panicked under an echo mock: %v", err)
			}
			if n := len(res.OfType(migration.TypeToken)); n != 1 {
				t.Fatalf("%d %s registered (error %v): the case did not reach the component", n, migration.TypeToken, err)
			}
			t.Logf("%d resources, error: %v", len(res.Resources), err)
		})
	}
}
