package day2_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/day2"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// TestNoPanicUnderAnEchoMock runs the component under the mock a new user
// writes first: every resource answers with its inputs only (a remote
// command without stdout). Reading a missing output must end the run with
// an error or a result, never a panic.
func TestNoPanicUnderAnEchoMock(t *testing.T) {
	t.Parallel()
	key := pulumi.ToSecret(pulumi.String("-----BEGIN OPENSSH PRIVATE KEY-----...")).(pulumi.StringOutput)
	cases := map[string]day2.HostArgs{
		"one checked file": {
			Host: pulumi.String("10.0.10.21"), User: pulumi.String("root"), PrivateKey: key,
			Files: []day2.File{{Path: "/etc/haproxy/haproxy.cfg", Content: pulumi.String("global\n"), Check: "haproxy -c -f {path}", Reload: "systemctl reload haproxy"}},
		},
		"cloud-init wait, secret file, host key, port": {
			Host: pulumi.String("10.0.10.22"), Port: 2222, User: pulumi.String("root"), PrivateKey: key,
			HostKey:          pulumi.String("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEYEXAMPLEKEYEXAMPLEKEYEXAMPLEKEY"),
			WaitForCloudInit: true,
			Files: []day2.File{
				{Path: "/etc/motd", Content: pulumi.String("hello\n")},
				{Path: "/etc/prometheus/exporter.password", Content: pulumi.ToSecret(pulumi.String("s3cret")).(pulumi.StringOutput), Secret: true},
			},
		},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
				h, err := day2.NewHost(ctx, "lb-1", &args)
				if err != nil {
					return err
				}
				testkit.ExportOutputs(ctx, "", h)
				return nil
			}, testkit.Options{EchoInputs: true})
			testkit.RequireNoPanic(t, res, err, day2.TypeToken)
		})
	}
}
