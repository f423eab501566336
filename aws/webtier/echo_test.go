package webtier_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/webtier"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// TestNoPanicUnderAnEchoMock runs the component under the mock a new user
// writes first: every resource answers with its inputs only (no template
// version, no ALB dns name or arn suffix); invokes (the AMI parameter)
// keep their canned answers. Reading a missing output must end the run
// with an error or a result, never a panic; here the error names the
// output the user-data needs.
func TestNoPanicUnderAnEchoMock(t *testing.T) {
	t.Parallel()
	cases := map[string]func() *webtier.WebTierArgs{
		"HTTP, database and cache": validArgs,
		"HTTPS, database only": func() *webtier.WebTierArgs {
			a := validArgs()
			a.CertificateARN = cert
			a.CacheEndpoint, a.CacheSecretARN = nil, nil
			return a
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
				w, err := webtier.NewWebTier(ctx, "web", mk())
				if err != nil {
					return err
				}
				testkit.ExportOutputs(ctx, "", w)
				return nil
			}, testkit.Options{EchoInputs: true})
			testkit.RequireNoPanic(t, res, err, webtier.TypeToken)
			testkit.RequireErrorMentions(t, err, `webtier "web": the internal ALB's dnsName output is empty`)
		})
	}
}
