package roles_test

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

func fileAt(t *testing.T, files []roles.Managed, path string) roles.Managed {
	t.Helper()
	for _, f := range files {
		if f.Path == path {
			return f
		}
	}
	t.Fatalf("no %s among %d files", path, len(files))
	return roles.Managed{}
}

type member struct {
	Name, Address string
	Port          int
}

// haproxyBackend reads the servers of one backend section of haproxy.cfg.
func haproxyBackend(t *testing.T, cfg, backend string) []member {
	t.Helper()
	var out []member
	in := false
	sc := bufio.NewScanner(strings.NewReader(cfg))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch f[0] {
		case "global", "defaults", "frontend", "backend", "listen":
			in = f[0] == "backend" && len(f) > 1 && f[1] == backend
			continue
		}
		if in && f[0] == "server" {
			out = append(out, hostPortMember(t, f[1], f[2]))
		}
	}
	return out
}

func hostPortMember(t *testing.T, name, hp string) member {
	t.Helper()
	h, p, err := net.SplitHostPort(hp)
	if err != nil {
		t.Fatalf("%q: %v", hp, err)
	}
	port, _ := strconv.Atoi(p)
	return member{name, h, port}
}

var balancerMemberRE = regexp.MustCompile(`^\s*BalancerMember "(\w+)://([^"]+)"(.*)$`)

// httpdMembers reads the BalancerMembers of balancer://app (proxy_http,
// proxy_ajp), named by route.
func httpdMembers(t *testing.T, conf string) (scheme string, out []member) {
	t.Helper()
	in := false
	for _, line := range strings.Split(conf, "\n") {
		switch {
		case strings.HasPrefix(strings.TrimSpace(line), `<Proxy "balancer://app">`):
			in = true
		case strings.HasPrefix(strings.TrimSpace(line), "</Proxy>"):
			in = false
		case in:
			m := balancerMemberRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			route := ""
			for _, kv := range strings.Fields(m[3]) {
				if v, ok := strings.CutPrefix(kv, "route="); ok {
					route = v
				}
			}
			scheme = m[1]
			out = append(out, hostPortMember(t, route, m[2]))
		}
	}
	return scheme, out
}

// jkMembers reads the lb worker's balanced workers from workers.properties.
func jkMembers(t *testing.T, props string) []member {
	t.Helper()
	kv := map[string]string{}
	for _, line := range strings.Split(props, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && !strings.HasPrefix(k, "#") {
			kv[k] = v
		}
	}
	var out []member
	for _, w := range strings.Split(kv["worker.lb.balance_workers"], ",") {
		port, _ := strconv.Atoi(kv["worker."+w+".port"])
		if kv["worker."+w+".route"] != w {
			t.Errorf("worker %s has route %q", w, kv["worker."+w+".route"])
		}
		out = append(out, member{w, kv["worker."+w+".host"], port})
	}
	return out
}

func TestLBBackendsAreTheWebNodes(t *testing.T) {
	t.Parallel()
	three := onPrem(httpd.ProxyHTTP)
	three.Web = append(three.Web, roles.Node{Name: "web-3", Address: "10.20.30.23"})
	for name, topo := range map[string]roles.Topology{"two web": onPrem(httpd.ProxyHTTP), "three web": three} {
		for i := range topo.LBs {
			t.Run(fmt.Sprintf("%s/lb[%d]", name, i), func(t *testing.T) {
				t.Parallel()
				files, err := roles.Files(topo, roles.LB, i)
				if err != nil {
					t.Fatal(err)
				}
				var want []member
				for _, w := range topo.Web {
					want = append(want, member{w.Name, w.Address, roles.WebPort})
				}
				got := haproxyBackend(t, fileAt(t, files, "/etc/haproxy/haproxy.cfg").Content, "web")
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("haproxy backend servers (-web nodes +got):\n%s", d)
				}
				kc := fileAt(t, files, "/etc/keepalived/keepalived.conf").Content
				self, peer := topo.LBs[i], topo.LBs[1-i]
				for _, w := range []string{"unicast_src_ip " + self.Address, peer.Address, topo.VIP + "/24"} {
					if !strings.Contains(kc, w) {
						t.Errorf("keepalived.conf lacks %q", w)
					}
				}
				if strings.Contains(kc, "unicast_peer {\n        "+self.Address) {
					t.Error("keepalived lists itself as its peer")
				}
			})
		}
	}
}

func TestBalancerMembersAreTheAppNodes(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		connector httpd.Connector
		scheme    string
		port      int
	}{
		"proxy_http": {httpd.ProxyHTTP, "http", roles.AppHTTPPort},
		"proxy_ajp":  {httpd.ProxyAJP, "ajp", roles.AppAJPPort},
		"jk":         {httpd.JK, "", roles.AppAJPPort},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			topo := onPrem(tc.connector)
			topo.App = append(topo.App, roles.Node{Name: "app-3", Address: "10.20.30.33"})
			var want []member
			for _, a := range topo.App {
				want = append(want, member{a.Name, a.Address, tc.port})
			}
			for i := range topo.Web {
				files, err := roles.Files(topo, roles.Web, i)
				if err != nil {
					t.Fatal(err)
				}
				var got []member
				if tc.connector == httpd.JK {
					got = jkMembers(t, fileAt(t, files, "/etc/apache2/hawebtier/workers.properties").Content)
				} else {
					var scheme string
					scheme, got = httpdMembers(t, fileAt(t, files, "/etc/apache2/apache2.conf").Content)
					if scheme != tc.scheme {
						t.Errorf("members use %s://, want %s://", scheme, tc.scheme)
					}
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("web[%d] balancer members (-app nodes +got):\n%s", i, d)
				}
			}
		})
	}
}

// junk breaks a file for the validator its check runs.
func junk(check string) string {
	switch {
	case strings.HasPrefix(check, "haproxy"):
		return "\nbogus_keyword on\n"
	case strings.Contains(check, "keepalived"):
		return "\nvrrp_instance {\n"
	case strings.HasPrefix(check, "sh -n"):
		return "\nif then fi\n"
	case strings.HasPrefix(check, "python3"):
		return "\n<unclosed>\n"
	case strings.HasPrefix(check, "apache2"):
		return "\nBogusDirective on\n"
	case strings.HasPrefix(check, "mtail"):
		return "\n}\n"
	}
	return "\nbogus_field: [\n" // YAML: promtool, amtool, blackbox exporter
}

// Every file's Check command is run by the real validator on the file
// installed at its real path (inside a private mount and network
// namespace, so nothing on this machine changes): it passes on what Files
// renders and fails on a broken copy. Owners must exist (chown).
func TestChecksRunOnInstalledFiles(t *testing.T) {
	t.Parallel()
	realtool.NeedRoot(t)
	realtool.Need(t, "haproxy", "keepalived", "apache2", "promtool", "mtail", "ip")
	// Directories the files go to that the namespace covers with tmpfs.
	dirs := []string{"/etc/haproxy", "/etc/keepalived", "/etc/apache2", "/etc/prometheus", "/etc/mtail",
		"/etc/tomcat10", "/var/lib/tomcat10", "/etc/default", "/etc/sysctl.d", "/usr/local/sbin", "/etc/systemd/system"}
	cases := map[string]nodeCase{}
	for _, conn := range httpd.Connectors {
		topo := onPrem(conn)
		if conn != httpd.ProxyHTTP {
			topo.AJPSecret = knownSecret
		}
		for _, role := range topo.Roles() {
			cases["onprem/"+string(conn)+"/"+role] = nodeCase{topo, role, 0}
		}
	}
	cases["onprem/lb[1]"] = nodeCase{onPrem(httpd.ProxyHTTP), roles.LB, 1}
	// At scale: haproxy -c on 100 servers, apache2 -t on 100 balancer
	// members (and jk's 100 workers), promtool on the monitor's 200 app
	// and web targets and their rules.
	for _, role := range []string{roles.LB, roles.Web, roles.Monitor} {
		cases["onprem/100+100/"+role] = nodeCase{scaled(100, httpd.ProxyHTTP), role, 0}
	}
	jk100 := scaled(100, httpd.JK)
	jk100.AJPSecret = knownSecret
	cases["onprem/100+100/jk/web"] = nodeCase{jk100, roles.Web, 0}
	cases["aws/app"] = nodeCase{onAWS(), roles.App, 0}
	cases["aws/web"] = nodeCase{onAWS(), roles.Web, 0}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			files, err := roles.Files(c.topo, c.role, c.index)
			if err != nil {
				t.Fatal(err)
			}
			stage := t.TempDir()
			var sh strings.Builder
			sh.WriteString("set -u\nip link add ens192 type veth peer name ens192p || exit 90\n")
			for _, d := range dirs {
				fmt.Fprintf(&sh, "if [ -d %s ]; then mount -t tmpfs none %s || exit 91; fi\n", d, d)
			}
			checks := 0
			for i, f := range files {
				covered := false
				for _, d := range dirs {
					covered = covered || strings.HasPrefix(f.Path, d+"/")
				}
				if !covered {
					if f.Check != "" {
						t.Fatalf("%s is checked but outside the directories this test covers with tmpfs", f.Path)
					}
					continue // nothing reads it here
				}
				src := filepath.Join(stage, strconv.Itoa(i))
				if err := os.WriteFile(src, []byte(f.Content), 0o600); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&sh, "install -D -m %s %s %s && chown %s %s || echo INSTALL %d failed\n", f.Permissions, src, f.Path, f.Owner, f.Path, i)
			}
			for i, f := range files {
				if f.Check == "" {
					continue
				}
				checks++
				check := strings.ReplaceAll(f.Check, "{path}", f.Path)
				fmt.Fprintf(&sh, "echo '== %d good'; %s 2>&1; echo \"RC %d good $?\"\n", i, check, i)
				fmt.Fprintf(&sh, "cp -p %s %s.orig; printf '%%s' %s >> %s\n", f.Path, f.Path, shellQuote(junk(f.Check)), f.Path)
				fmt.Fprintf(&sh, "echo '== %d broken'; %s 2>&1; echo \"RC %d broken $?\"; mv %s.orig %s\n", i, check, i, f.Path, f.Path)
			}
			script := filepath.Join(stage, "run.sh")
			if err := os.WriteFile(script, []byte(sh.String()), 0o700); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			res, err := realtool.Run(120*time.Second, "unshare", "--mount", "--net", "--propagation", "private", "sh", script)
			if err != nil || res.ExitCode != 0 {
				t.Fatalf("namespace script: %v exit %d\n%s", err, res.ExitCode, res.Output())
			}
			t.Logf("%d checks, each on a good and a broken copy, in %v", checks, time.Since(start).Round(time.Millisecond))
			out := res.Output()
			if strings.Contains(out, "INSTALL") {
				t.Errorf("installing failed:\n%s", out)
			}
			for i, f := range files {
				if f.Check == "" {
					continue
				}
				if !strings.Contains(out, fmt.Sprintf("RC %d good 0\n", i)) {
					t.Errorf("%s: %q failed on the rendered file:\n%s", f.Path, f.Check, section(out, i, "good"))
				}
				if strings.Contains(out, fmt.Sprintf("RC %d broken 0\n", i)) {
					t.Errorf("%s: %q accepted a broken file:\n%s", f.Path, f.Check, section(out, i, "broken"))
				}
			}
		})
	}
}

func section(out string, i int, kind string) string {
	start := strings.Index(out, fmt.Sprintf("== %d %s", i, kind))
	end := strings.Index(out, fmt.Sprintf("RC %d %s", i, kind))
	if start < 0 || end < start {
		return out
	}
	return out[start:end]
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// Every checked or reloaded service is one the role installs and enables.
func TestReloadsNameEnabledServices(t *testing.T) {
	t.Parallel()
	for name, c := range everyNode() {
		files, err := roles.Files(c.topo, c.role, c.index)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			fields := strings.Fields(f.Reload)
			if len(fields) == 3 && fields[0] == "systemctl" && fields[1] != "daemon-reload" {
				doc, err := roles.UserData(c.topo, c.role, c.index)
				if err != nil {
					t.Fatal(err)
				}
				if !regexp.MustCompile(`- \[systemctl, enable,[^\]]*\b` + regexp.QuoteMeta(fields[2]) + `\b`).MatchString(doc) {
					t.Errorf("%s: %s reloads %s, which user-data does not enable", name, f.Path, fields[2])
				}
			}
		}
	}
}
