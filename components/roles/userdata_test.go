package roles_test

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hawebtier/hawebtier/components/cloudinit"
	"github.com/hawebtier/hawebtier/components/cloudinit/cloudinittest"
	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/components/tomcat"
)

type nodeCase struct {
	topo  roles.Topology
	role  string
	index int
}

// everyNode is every node of the on-prem topology for each connector, and
// both AWS roles (with and without app secrets).
func everyNode() map[string]nodeCase {
	cases := map[string]nodeCase{}
	for _, conn := range httpd.Connectors {
		t := onPrem(conn)
		for _, role := range t.Roles() {
			for i := range t.Nodes(role) {
				cases[fmt.Sprintf("onprem/%s/%s[%d]", conn, role, i)] = nodeCase{t, role, i}
			}
		}
	}
	plain := onAWS()
	plain.AppSecrets = nil
	for _, role := range onAWS().Roles() {
		cases["aws/"+role] = nodeCase{onAWS(), role, 0}
		cases["aws-no-secrets/"+role] = nodeCase{plain, role, 0}
	}
	return cases
}

var sizes sync.Map // case name -> bytes, reported by TestUserDataSizes

func TestUserDataPassesSchema(t *testing.T) {
	t.Parallel()
	for name, c := range everyNode() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc, err := roles.UserData(c.topo, c.role, c.index)
			if err != nil {
				t.Fatal(err)
			}
			if len(doc) > cloudinit.MaxUserDataBytes {
				t.Errorf("%d bytes, over the %d-byte AWS limit", len(doc), cloudinit.MaxUserDataBytes)
			}
			sizes.Store(name, len(doc))
			cloudinittest.RequireValid(t, doc)
		})
	}
}

// The sizes, for the report (go test -v -run TestUserDataSizes).
func TestUserDataSizes(t *testing.T) {
	t.Parallel()
	var lines []string
	largest := 0
	for name, c := range everyNode() {
		doc, err := roles.UserData(c.topo, c.role, c.index)
		if err != nil {
			t.Fatal(err)
		}
		if len(doc) > cloudinit.MaxUserDataBytes {
			t.Errorf("%s: %d bytes, over the limit", name, len(doc))
		}
		largest = max(largest, len(doc))
		lines = append(lines, fmt.Sprintf("%-36s %6d bytes", name, len(doc)))
	}
	sort.Strings(lines)
	t.Logf("user-data sizes (limit %d):\n%s\nlargest %d", cloudinit.MaxUserDataBytes, strings.Join(lines, "\n"), largest)
}

func TestBrokenUserDataIsRejected(t *testing.T) {
	t.Parallel()
	doc, err := roles.UserData(onPrem("proxy_http"), roles.LB, 0)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(doc, "write_files:", "write_files: {}\nwrite_files_was:", 1)
	if broken == doc {
		t.Fatal("no write_files in the user-data")
	}
	if res := cloudinittest.Schema(t, broken); res.ExitCode == 0 {
		t.Errorf("cloud-init schema accepted write_files as a mapping:\n%s", broken)
	}
}

// A known AJP secret in the topology never reaches user-data: the files
// that would hold it are left out, and Files marks exactly those Secret.
func TestNoSecretInUserData(t *testing.T) {
	t.Parallel()
	for name, c := range everyNode() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			topo := c.topo
			if !topo.OnAWS() && topo.Connector != httpd.ProxyHTTP {
				topo.AJPSecret = knownSecret
			}
			doc, err := roles.UserData(topo, c.role, c.index)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{knownSecret, cloudinit.SecretMarker, "PRIVATE KEY"} {
				if strings.Contains(doc, s) {
					t.Errorf("user-data contains %q", s)
				}
			}
			files, err := roles.Files(topo, c.role, c.index)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := cloudinittest.Parse(doc)
			if err != nil {
				t.Fatal(err)
			}
			inUserData := map[string]bool{}
			for _, f := range parsed.Files {
				inUserData[f.Path] = true
			}
			for _, f := range files {
				holds := topo.AJPSecret != "" && strings.Contains(f.Content, topo.AJPSecret)
				if holds != f.Secret {
					t.Errorf("%s: holds the secret %v, marked Secret %v", f.Path, holds, f.Secret)
				}
				if f.Secret && f.Permissions != "0600" && f.Permissions != "0640" {
					t.Errorf("%s: secret file with permissions %s", f.Path, f.Permissions)
				}
				if inUserData[f.Path] == f.Secret {
					t.Errorf("%s: Secret %v but in user-data %v", f.Path, f.Secret, inUserData[f.Path])
				}
			}
		})
	}
}

// With an AJP connector the secret-bearing files are exactly httpd's
// secret file on web nodes and server.xml on app nodes, and the services
// they configure are not restarted by cloud-init.
func TestAJPWithheldFiles(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		role         string
		withheld     []string
		notRestart   string
		stillRestart []string
	}{
		"web": {roles.Web, []string{"/etc/apache2/hawebtier/" + httpd.SecretFile}, "apache2", []string{"mtail", "prometheus-apache-exporter"}},
		"app": {roles.App, []string{"/etc/tomcat10/server.xml"}, "tomcat10", []string{"prometheus-node-exporter"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			topo := onPrem(httpd.JK)
			topo.AJPSecret = knownSecret
			files, err := roles.Files(topo, tc.role, 1)
			if err != nil {
				t.Fatal(err)
			}
			var secret []string
			for _, f := range files {
				if f.Secret {
					secret = append(secret, f.Path)
				}
			}
			if fmt.Sprint(secret) != fmt.Sprint(tc.withheld) {
				t.Errorf("secret files %v, want %v", secret, tc.withheld)
			}
			doc, err := roles.UserData(topo, tc.role, 1)
			if err != nil {
				t.Fatal(err)
			}
			u, err := cloudinittest.Parse(doc)
			if err != nil {
				t.Fatal(err)
			}
			restarted := map[string]bool{}
			enabled := map[string]bool{}
			for _, c := range u.RunCmd {
				if len(c) == 3 && c[0] == "systemctl" && c[1] == "restart" {
					restarted[c[2]] = true
				}
				if len(c) > 2 && c[0] == "systemctl" && c[1] == "enable" {
					for _, s := range c[2:] {
						enabled[s] = true
					}
				}
			}
			if restarted[tc.notRestart] || !enabled[tc.notRestart] {
				t.Errorf("%s: restarted %v, enabled %v; want enabled and not restarted", tc.notRestart, restarted[tc.notRestart], enabled[tc.notRestart])
			}
			for _, s := range tc.stillRestart {
				if !restarted[s] {
					t.Errorf("%s is not restarted", s)
				}
			}
		})
	}
}

// The placeholders of the renderers that hold the AJP secret carry the
// marker cloudinit.Render refuses.
func TestPlaceholdersCarryTheMarker(t *testing.T) {
	t.Parallel()
	for name, p := range map[string]string{"httpd": httpd.SecretPlaceholder, "tomcat": tomcat.SecretPlaceholder, "cloudinit": cloudinit.SecretPlaceholder} {
		if !strings.Contains(p, cloudinit.SecretMarker) {
			t.Errorf("%s.SecretPlaceholder %q lacks %q", name, p, cloudinit.SecretMarker)
		}
	}
}

func TestAWSUserData(t *testing.T) {
	t.Parallel()
	topo := onAWS()
	app, err := roles.UserData(topo, roles.App, 0)
	if err != nil {
		t.Fatal(err)
	}
	u, err := cloudinittest.Parse(app)
	if err != nil {
		t.Fatal(err)
	}
	if u.Hostname != "" {
		t.Errorf("AWS user-data sets hostname %q; instances of an ASG share it", u.Hostname)
	}
	var script string
	for _, f := range u.Files {
		if f.Path == "/usr/local/sbin/hawebtier-fetch-secrets" {
			script = f.Content
		}
	}
	for _, want := range []string{
		"aws secretsmanager get-secret-value --region eu-central-1",
		"fetch database.json '" + topo.AppSecrets.DatabaseSecretARN + "'",
		"fetch cache.json '" + topo.AppSecrets.CacheSecretARN + "'",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("fetch script lacks %q:\n%s", want, script)
		}
	}
	if !contains(u.Packages, "awscli") {
		t.Errorf("packages %v lack awscli", u.Packages)
	}
	// The RDS-managed password rotates: the secrets are fetched again on a
	// timer (its own oneshot: a timer does not re-run one that stays active),
	// and a file changes only when its secret did.
	files := map[string]string{}
	for _, f := range u.Files {
		files[f.Path] = f.Content
	}
	timer := files["/etc/systemd/system/hawebtier-app-secrets-refresh.timer"]
	refresh := files["/etc/systemd/system/hawebtier-app-secrets-refresh.service"]
	if !strings.Contains(timer, fmt.Sprintf("OnUnitActiveSec=%ds", roles.SecretsRefreshSeconds)) || !strings.Contains(timer, "WantedBy=timers.target") {
		t.Errorf("refresh timer:\n%s", timer)
	}
	if !strings.Contains(refresh, "ExecStart=/usr/local/sbin/hawebtier-fetch-secrets") || strings.Contains(refresh, "RemainAfterExit") {
		t.Errorf("refresh service:\n%s", refresh)
	}
	if !strings.Contains(script, `if cmp -s "$dir/.$1.tmp" "$dir/$1"`) {
		t.Errorf("fetch script replaces unchanged files:\n%s", script)
	}
	started := false
	for _, c := range u.RunCmd {
		started = started || strings.Join(c, " ") == "systemctl restart hawebtier-app-secrets-refresh.timer"
	}
	if !started {
		t.Errorf("the refresh timer is not started at first boot: %v", u.RunCmd)
	}
	if !strings.Contains(files[roles.AppPropertiesPath], "db.secret.refresh.seconds=") {
		t.Errorf("app.properties does not tell the app the secret refreshes:\n%s", files[roles.AppPropertiesPath])
	}
	web, err := roles.UserData(topo, roles.Web, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(web, `BalancerMember "http://`+topo.AppEndpoint+`:80"`) {
		t.Errorf("web user-data does not proxy to the internal ALB %s", topo.AppEndpoint)
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
