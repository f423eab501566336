package day2_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-command/sdk/go/command"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/day2"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// ExampleNewHost pushes a load balancer's haproxy.cfg, checked by haproxy
// before it is moved into place, and a secret file, after cloud-init has
// finished. The commands run through an explicit pulumi-command provider,
// passed down like any provider. The function given to testkit.Run is the
// Pulumi program: in your own main.go it is what you pass to pulumi.Run;
// the private key would come from secret config (config.RequireSecret).
func ExampleNewHost() {
	program := func(ctx *pulumi.Context) error {
		ssh, err := command.NewProvider(ctx, "ssh", &command.ProviderArgs{})
		if err != nil {
			return err
		}
		_, err = day2.NewHost(ctx, "lb-1", &day2.HostArgs{
			Host:       pulumi.String("10.0.10.21"),
			User:       pulumi.String("root"),
			PrivateKey: pulumi.ToSecret(pulumi.String("-----BEGIN OPENSSH PRIVATE KEY-----...")).(pulumi.StringOutput),
			Files: []day2.File{{
				Path:    "/etc/haproxy/haproxy.cfg",
				Content: pulumi.String("global\n  maxconn 100\n"),
				Check:   "haproxy -c -f {path}",
				Reload:  "systemctl reload haproxy",
			}, {
				Path:    "/etc/prometheus/exporter.password",
				Content: pulumi.ToSecret(pulumi.String("s3cret")).(pulumi.StringOutput),
				Secret:  true,
			}},
			WaitForCloudInit: true,
		}, pulumi.Providers(ssh))
		return err
	}
	res, err := testkit.Run(context.Background(), program, testkit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ssh := res.Find("pulumi:providers:command", "ssh")
	for _, r := range res.OfType("command:remote:Command") {
		fmt.Printf("%s secret=%v provider=%v\n", r.Name, r.SecretPaths, r.ProviderURN() == ssh.URN)
	}
	cfg := res.Find("command:remote:Command", "lb-1-etc-haproxy-haproxy.cfg")
	fmt.Println("checked by haproxy:", strings.Contains(cfg.String("create"), "haproxy -c -f"),
		"after cloud-init:", res.DependsOn(cfg, res.Find("command:remote:Command", "lb-1-cloud-init")))
	// Output:
	// lb-1-cloud-init secret=[connection] provider=true
	// lb-1-etc-haproxy-haproxy.cfg secret=[connection] provider=true
	// lb-1-etc-prometheus-exporter.password secret=[connection stdin triggers[0]] provider=true
	// checked by haproxy: true after cloud-init: true
}

// ExampleInstallScript prints the command registered for a file without a
// check or reload: the content arrives on stdin, never in the command.
func ExampleInstallScript() {
	script, err := day2.InstallScript(day2.File{Path: "/etc/motd"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(script)
	// Output:
	// # hawebtier day2: install /etc/motd from stdin: check, atomic move, reload
	// umask 077
	// dst='/etc/motd'
	// if [ -d "$dst" ]; then echo "day2: $dst is a directory" >&2; exit 1; fi
	// mkdir -p '/etc' || exit 1
	// tmp=$(mktemp '/etc/.motd.day2.XXXXXX') || exit 1
	// trap 'rm -f "$tmp" "$tmp.prev"' EXIT
	// if ! cat >"$tmp"; then echo "day2: $dst: cannot write the temp copy" >&2; exit 1; fi
	// if [ -f "$dst" ] && cmp -s "$tmp" "$dst"; then
	//   if [ "$(stat -c '%a %U:%G' "$dst")" = '644 root:root' ]; then
	//     echo "day2: $dst: unchanged"; exit 0
	//   fi
	//   chown 'root:root' "$dst" && chmod '0644' "$dst" || exit 1
	//   echo "day2: $dst: content unchanged, owner and mode set to 644 root:root"; exit 0
	// fi
	// chown 'root:root' "$tmp" && chmod '0644' "$tmp" || exit 1
	// had=0
	// if [ -e "$dst" ]; then ln -f "$dst" "$tmp.prev" || exit 1; had=1; fi
	// if ! mv -f "$tmp" "$dst"; then echo "day2: $dst: cannot move the new file into place" >&2; exit 1; fi
	// echo "day2: $dst: installed"
}
