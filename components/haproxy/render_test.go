package haproxy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/components/haproxy"
	"github.com/hawebtier/hawebtier/components/haproxy/haproxytest"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

func twoServers() []haproxy.Server {
	return []haproxy.Server{
		{Name: "web1", Address: "10.20.30.21", Port: 80},
		{Name: "web2", Address: "10.20.30.22", Port: 80},
	}
}

// valid is a complete config; cases change one thing.
func valid() haproxy.Config {
	return haproxy.Config{
		Bind:      "10.20.30.10:80",
		AdminBind: "10.20.30.11:8404",
		Servers:   twoServers(),
		Log:       "stdout",
	}
}

// haproxyCheck runs the real `haproxy -c -dW` (warnings fatal) on text.
func haproxyCheck(t *testing.T, text string) realtool.Result {
	t.Helper()
	path := realtool.WriteTemp(t, "haproxy.cfg", text)
	res, err := realtool.Run(20*time.Second, "haproxy", "-c", "-dW", "-f", path)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRenderedConfigsPassHaproxyCheck(t *testing.T) {
	realtool.Need(t, "haproxy")
	t.Parallel()
	five := twoServers()
	for i := 3; i <= 5; i++ {
		five = append(five, haproxy.Server{Name: "web" + string(rune('0'+i)), Address: "10.20.30.2" + string(rune('0'+i)), Port: 8080})
	}
	cases := map[string]struct {
		change func(*haproxy.Config)
		want   []string // lines the rendered file must contain
	}{
		"defaults, two servers": {
			change: func(*haproxy.Config) {},
			want: []string{
				"    default-server check inter 500ms fall 2 rise 2 init-addr last,libc,none",
				"    http-check send meth GET uri /healthz",
				"    http-check expect status 200",
				"    retries 3",
				"    option redispatch 1",
				"    option forwardfor",
				"    bind 10.20.30.10:80",
				"    bind 10.20.30.11:8404",
				"    http-request use-service prometheus-exporter if { path /metrics }",
				"    stats socket /run/haproxy/admin.sock mode 600 level admin",
				"    log stdout format raw local0",
				"    maxconn 4096",
				"    timeout check 500ms",
			},
		},
		"five servers, wildcard bind, syslog": {
			change: func(c *haproxy.Config) {
				c.Servers, c.Bind, c.Log = five, "*:80", "/dev/log"
			},
			want: []string{"    server web5 10.20.30.25:8080", "    bind *:80", "    log /dev/log local0"},
		},
		"custom check timing and retry-on": {
			change: func(c *haproxy.Config) {
				c.Check = haproxy.Check{InterMs: 2000, Fall: 3, Rise: 5}
				c.RetryOn = "conn-failure empty-response"
				c.Retries = 2
				c.MaxConn = 100
			},
			want: []string{
				"    default-server check inter 2000ms fall 3 rise 5 init-addr last,libc,none",
				"    timeout check 2000ms",
				"    retry-on conn-failure empty-response",
				"    retries 2",
				"    maxconn 100",
			},
		},
		"host names, IPv6, health host, pid file, chroot, user": {
			change: func(c *haproxy.Config) {
				c.Servers = []haproxy.Server{
					// A name that resolves here: with -dW an unresolvable name is a
					// (fatal) warning, though init-addr none lets HAProxy start.
					{Name: "web1", Address: "localhost", Port: 80},
					{Name: "web2", Address: "fd00::22", Port: 80},
				}
				c.HealthHost = "www.example.internal"
				c.HealthPath = "/health/check?deep=0"
				c.PIDFile, c.Chroot = "/run/haproxy.pid", "/var/lib/haproxy"
				c.User, c.Group = "haproxy", "haproxy"
				c.StatsSocket = "/run/hawebtier-haproxy.sock"
			},
			want: []string{
				"    server web1 localhost:80",
				"    server web2 [fd00::22]:80",
				"    http-check send meth GET uri /health/check?deep=0 ver HTTP/1.1 hdr Host www.example.internal",
				"    pidfile /run/haproxy.pid",
				"    chroot /var/lib/haproxy",
				"    user haproxy",
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := valid()
			tc.change(&c)
			text, err := haproxy.Render(c)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if missing := haproxytest.MissingLines(text, tc.want); len(missing) > 0 {
				t.Errorf("missing lines %q in:\n%s", missing, text)
			}
			if res := haproxyCheck(t, text); res.ExitCode != 0 {
				t.Errorf("haproxy -c -dW exit %d:\n%s\n%s", res.ExitCode, res.Output(), text)
			}
		})
	}
}

// The check must be able to fail: broken variants of a rendered file are
// rejected by haproxy.
func TestHaproxyRejectsBrokenVariants(t *testing.T) {
	realtool.Need(t, "haproxy")
	t.Parallel()
	good, err := haproxy.Render(valid())
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(string) string{
		"unknown keyword": func(s string) string {
			return strings.Replace(s, "    balance roundrobin", "    balance roundrobin\n    balancing leastconn", 1)
		},
		"bad port": func(s string) string { return strings.Replace(s, "10.20.30.21:80", "10.20.30.21:99999", 1) },
		"missing timeouts (warning made fatal)": func(s string) string {
			var keep []string
			for _, l := range strings.Split(s, "\n") {
				if !strings.HasPrefix(l, "    timeout ") {
					keep = append(keep, l)
				}
			}
			return strings.Join(keep, "\n")
		},
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			bad := breakIt(good)
			if bad == good {
				t.Fatal("the variant is not broken: the rendered text changed")
			}
			if res := haproxyCheck(t, bad); res.ExitCode == 0 {
				t.Errorf("haproxy accepted a broken file:\n%s", bad)
			}
		})
	}
}

func TestRenderRejectsBadInput(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		change func(*haproxy.Config)
		want   []string // every error line, in order
	}{
		"no servers": {
			change: func(c *haproxy.Config) { c.Servers = nil },
			want:   []string{"haproxy: servers: at least one web server is required"},
		},
		"empty bind": {
			change: func(c *haproxy.Config) { c.Bind = "" },
			want:   []string{"haproxy: bind: is empty"},
		},
		"wildcard admin bind": {
			change: func(c *haproxy.Config) { c.AdminBind = "*:8404" },
			want:   []string{`haproxy: adminBind: "*:8404": must be one address of this node, not a wildcard`},
		},
		"bad address and port out of range": {
			change: func(c *haproxy.Config) {
				c.Servers[0].Address = "10.20.30.300"
				c.Servers[1].Port = 70000
			},
			want: []string{
				`haproxy: servers[0].address: "10.20.30.300" is neither an IP address nor a host name`,
				"haproxy: servers[1].port: port 70000 is out of range 1-65535",
			},
		},
		"duplicate and bad names": {
			change: func(c *haproxy.Config) {
				c.Servers = append(c.Servers, haproxy.Server{Name: "web1", Address: "10.0.0.1", Port: 80},
					haproxy.Server{Name: "web 4", Address: "10.0.0.2", Port: 80})
			},
			want: []string{
				`haproxy: servers[2].name: "web1" is used twice`,
				`haproxy: servers[3].name: "web 4": want letters, digits and - _ . : only`,
			},
		},
		"fall 0": {
			change: func(c *haproxy.Config) { c.Check = haproxy.Check{InterMs: 500, Fall: 0, Rise: 2} },
			want:   []string{"haproxy: check.fall: 0: must be at least 1"},
		},
		"bind port not a number, health path relative": {
			change: func(c *haproxy.Config) {
				c.Bind = "10.20.30.10:http"
				c.HealthPath = "healthz"
			},
			want: []string{
				`haproxy: bind: "10.20.30.10:http": port "http" is not a number`,
				`haproxy: healthPath: "healthz": want an absolute URL path without spaces`,
			},
		},
		"negative numbers, relative socket, bad log": {
			change: func(c *haproxy.Config) {
				c.Retries, c.MaxConn, c.Timeouts.ServerMs = -1, -5, -1
				c.StatsSocket = "admin.sock"
				c.Log = "syslog"
			},
			want: []string{
				"haproxy: timeouts.serverMs: -1: must be at least 1",
				"haproxy: retries: -1: must be at least 1",
				"haproxy: maxConn: -5: must be at least 1",
				`haproxy: statsSocket: "admin.sock": want an absolute path without spaces or quotes`,
				`haproxy: log: want stdout, stderr, a socket path or ip:port: "syslog": want address:port`,
			},
		},
		"admin paths clash": {
			change: func(c *haproxy.Config) { c.StatsPath = "/metrics" },
			want:   []string{`haproxy: metricsPath: "/metrics" is also statsPath`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := valid()
			c.Servers = twoServers() // a fresh slice per case
			tc.change(&c)
			text, err := haproxy.Render(c)
			if err == nil {
				t.Fatalf("Render accepted bad input:\n%s", text)
			}
			if text != "" {
				t.Errorf("Render returned text with an error")
			}
			if diff := cmp.Diff(tc.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckCommand(t *testing.T) {
	t.Parallel()
	if got, want := haproxy.CheckCommand("/etc/haproxy/haproxy.cfg"), "haproxy -c -f /etc/haproxy/haproxy.cfg"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Layer-7 retries must never resend a request that may have changed
// something: with RetryOn, only GET and HEAD are retried.
func TestL7RetriesOnlyForIdempotentRequests(t *testing.T) {
	t.Parallel()
	base := haproxy.Config{
		Bind:      "10.20.30.10:80",
		AdminBind: "10.20.30.11:8404",
		Servers:   []haproxy.Server{{Name: "web-1", Address: "10.20.30.21", Port: 80}, {Name: "web-2", Address: "10.20.30.22", Port: 80}},
	}
	const guard = "http-request disable-l7-retry if !METH_GET !METH_HEAD"
	withRetry := base
	withRetry.RetryOn = "conn-failure empty-response 502 503"
	for name, tc := range map[string]struct {
		cfg       haproxy.Config
		wantGuard bool
	}{
		"no layer-7 retries": {base, false},
		"layer-7 retries":    {withRetry, true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out, err := haproxy.Render(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(out, guard); got != tc.wantGuard {
				t.Errorf("guard present = %v, want %v:\n%s", got, tc.wantGuard, out)
			}
		})
	}
}
