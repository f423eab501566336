package migration_test

import (
	"context"
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
			testkit.RequireNoPanic(t, res, err, migration.TypeToken)
		})
	}
}
