package httpd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/httpd/httpdtest"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

const testSecret = "s3cret-for-tests-only-0123456789"

func onPrem(connector httpd.Connector) httpd.Config {
	c := httpd.Config{
		ServerName: "web1.example.internal",
		Listen:     "10.20.30.21:80",
		Connector:  connector,
		AppServers: []httpd.AppServer{
			{Route: "app1", Address: "10.20.30.31"},
			{Route: "app2", Address: "10.20.30.32"},
		},
		StatusAllow: []string{"10.20.30.50"},
		Layout:      httpd.DebianLayout(),
	}
	if connector != httpd.ProxyHTTP {
		c.AJPSecret = testSecret
	}
	return c
}

func TestRenderRejectsBadInput(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		mutate func(*httpd.Config)
		want   []string
	}{
		"unknown connector": {
			mutate: func(c *httpd.Config) { c.Connector = "mod_cluster" },
			want:   []string{`httpd: connector: unknown connector "mod_cluster" (want one of proxy_http, proxy_ajp, jk)`},
		},
		"ajp without secret": {
			mutate: func(c *httpd.Config) { c.Connector = httpd.ProxyAJP },
			want:   []string{"httpd: ajp_secret: required for connector proxy_ajp (use SecretPlaceholder in user-data)"},
		},
		"jk with a secret httpd cannot quote": {
			mutate: func(c *httpd.Config) { c.Connector, c.AJPSecret = httpd.JK, "abc def ghi jkl mno" },
			want:   []string{"httpd: ajp_secret: must be 16-128 characters of A-Z a-z 0-9 . _ ~ - (got 19 characters)"},
		},
		"secret for proxy_http": {
			mutate: func(c *httpd.Config) { c.AJPSecret = testSecret },
			want:   []string{"httpd: ajp_secret: set but connector proxy_http does not use AJP"},
		},
		"no app servers": {
			mutate: func(c *httpd.Config) { c.AppServers = nil },
			want:   []string{"httpd: app_servers: at least one app server is required"},
		},
		"bad listen": {
			mutate: func(c *httpd.Config) { c.Listen = "web1:80" },
			want:   []string{`httpd: listen: "web1:80": "web1" is not an IP address (or *)`},
		},
		"listen without port": {
			mutate: func(c *httpd.Config) { c.Listen = "10.20.30.21" },
			want:   []string{`httpd: listen: "10.20.30.21": want IP:port or *:port`},
		},
		"duplicate routes": {
			mutate: func(c *httpd.Config) { c.AppServers[1].Route = "app1" },
			want:   []string{`httpd: app_servers[1].route: "app1" duplicates app_servers[0].route`},
		},
		"duplicate members": {
			mutate: func(c *httpd.Config) { c.AppServers[1].Address = "10.20.30.31" },
			want:   []string{"httpd: app_servers[1]: 10.20.30.31:8080 duplicates app_servers[0]"},
		},
		"two members without routes": {
			mutate: func(c *httpd.Config) { c.AppServers[0].Route, c.AppServers[1].Route = "", "" },
			want:   []string{"httpd: app_servers: every member needs a route (Tomcat jvmRoute) for sticky sessions when there is more than one"},
		},
		"jk needs routes to name workers": {
			mutate: func(c *httpd.Config) {
				c.Connector, c.AJPSecret = httpd.JK, testSecret
				c.AppServers = []httpd.AppServer{{Address: "10.20.30.31"}, {Route: "lb", Address: "10.20.30.32"}}
			},
			want: []string{
				"httpd: app_servers[0].route: required for jk (it names the worker)",
				`httpd: app_servers[1].route: "lb" is a worker name the jk configuration uses itself`,
			},
		},
		"app path that swallows the health URL": {
			mutate: func(c *httpd.Config) { c.AppPaths = []string{"/app/", "/", "/app/", "/server-status/x", "app"} },
			want: []string{
				`httpd: app_paths[1]: "/" would send everything to the app servers; static content and /healthz must stay on httpd`,
				`httpd: app_paths[2]: "/app/" duplicates app_paths[0]`,
				`httpd: app_paths[4]: "app" is not an absolute URL path`,
			},
		},
		"health path under an app path": {
			mutate: func(c *httpd.Config) { c.HealthPath = "/app/healthz" },
			want:   []string{`httpd: app_paths[0]: "/app/" would send the health URL /app/healthz to the app servers`},
		},
		"everything else wrong at once": {
			mutate: func(c *httpd.Config) {
				c.ServerName = "web 1"
				c.AppServers[0].Address = "bad_host!"
				c.AppServers[1].HTTPPort = 99999
				c.StatusAllow = []string{"10.20.30.0/24", "monitor"}
				c.MaxRequestWorkers = 160
				c.HealthCheckInterval = -1
				c.Layout.LogDir = "var/log"
				c.Layout.User = ""
			},
			want: []string{
				`httpd: server_name: "web 1" is not a host name`,
				`httpd: app_servers[0].address: "bad_host!" is neither an IP address nor a DNS name`,
				"httpd: app_servers[1].http_port: 99999 is not a TCP port",
				`httpd: status_allow[1]: "monitor" is not an IP address or CIDR`,
				"httpd: health_check_interval: -1: want 1 to 3600 seconds",
				"httpd: max_request_workers: 160: want a multiple of 25 between 25 and 20000",
				`httpd: layout.log_dir: "var/log" must be an absolute path without spaces, quotes or backslashes`,
				`httpd: layout.user: "" is not a user or group name`,
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := onPrem(httpd.ProxyHTTP)
			tc.mutate(&c)
			files, err := httpd.Render(c)
			if err == nil {
				t.Fatalf("no error; rendered %v", files.Names())
			}
			if files != nil {
				t.Errorf("files returned despite the error: %v", files.Names())
			}
			if diff := cmp.Diff(tc.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderFilesPerConnector(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cfg       httpd.Config
		files     []string
		contains  map[string][]string
		absent    map[string][]string
		secretOut bool // the secret must appear in no file but SecretFile
	}{
		"proxy_http on-prem": {
			cfg:   onPrem(httpd.ProxyHTTP),
			files: []string{"healthz", "httpd.conf"},
			contains: map[string][]string{"httpd.conf": {
				"LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so",
				"LoadModule proxy_hcheck_module",
				`BalancerMember "http://10.20.30.31:8080" route=app1 connectiontimeout=2 retry=5 ttl=20 hcmethod=GET hcuri=/app/health.jsp hcinterval=5 hcpasses=2 hcfails=2`,
				"ProxySet lbmethod=byrequests stickysession=JSESSIONID|jsessionid",
				`ProxyPass "/app/" "balancer://app/app/"`,
				"Require ip 127.0.0.1 ::1 10.20.30.50",
				"ExtendedStatus On",
				`ErrorLog "/var/log/apache2/error.log"`,
				`Alias "/healthz" "/etc/apache2/hawebtier/healthz"`,
				"MaxRequestWorkers 150",
			}},
			absent: map[string][]string{"httpd.conf": {"ajp", "Include", "Jk"}},
		},
		"proxy_http to an AWS internal ALB": {
			cfg: httpd.Config{
				Listen:     "*:80",
				ServerName: "web.staging.example",
				AppServers: []httpd.AppServer{{Address: "internal-was-123.eu-west-1.elb.amazonaws.com", HTTPPort: 80}},
				Layout:     httpd.DebianLayout(),
			},
			files: []string{"healthz", "httpd.conf"},
			contains: map[string][]string{"httpd.conf": {
				`BalancerMember "http://internal-was-123.eu-west-1.elb.amazonaws.com:80" connectiontimeout=2 retry=5 ttl=20 addressttl=60 hcmethod=GET`,
				"ProxySet lbmethod=byrequests\n",
				"<VirtualHost *:80>",
			}},
			absent: map[string][]string{"httpd.conf": {"route=", "stickysession"}},
		},
		"proxy_ajp": {
			cfg:   onPrem(httpd.ProxyAJP),
			files: []string{httpd.SecretFile, "healthz", "httpd.conf"},
			contains: map[string][]string{
				"httpd.conf": {
					"LoadModule proxy_ajp_module",
					`Include "/etc/apache2/hawebtier/ajp-secret.conf"`,
					`BalancerMember "ajp://10.20.30.32:8009" route=app2 connectiontimeout=2 retry=5 ttl=20 secret=${HAWEBTIER_AJP_SECRET} ping=2 hcmethod=TCP`,
				},
				httpd.SecretFile: {"Define HAWEBTIER_AJP_SECRET " + testSecret + "\n"},
			},
			absent:    map[string][]string{"httpd.conf": {"proxy_http"}},
			secretOut: true,
		},
		"jk with two app paths": {
			cfg: func() httpd.Config {
				c := onPrem(httpd.JK)
				c.AppPaths = []string{"/app/", "/shop"}
				return c
			}(),
			files: []string{httpd.SecretFile, "healthz", "httpd.conf", "workers.properties"},
			contains: map[string][]string{
				"httpd.conf": {
					"LoadModule jk_module",
					`JkWorkersFile "/etc/apache2/hawebtier/workers.properties"`,
					`JkShmFile "/run/apache2/jk.shm"`,
					`JkLogFile "/var/log/apache2/mod_jk.log"`,
					"JkWorkerProperty worker.app1.secret=${HAWEBTIER_AJP_SECRET}",
					"JkMount /app/* lb\n    JkMount /shop lb\n    JkMount /shop/* lb\n",
				},
				"workers.properties": {
					"worker.list=lb\n",
					"worker.app2.host=10.20.30.32\nworker.app2.port=8009\nworker.app2.route=app2\n",
					"worker.lb.balance_workers=app1,app2\nworker.lb.sticky_session=true\n",
				},
			},
			absent:    map[string][]string{"httpd.conf": {"proxy", "Balancer"}},
			secretOut: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			files, err := httpd.Render(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.files, files.Names()); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
			for f, subs := range tc.contains {
				for _, s := range subs {
					if !strings.Contains(files[f], s) {
						t.Errorf("%s lacks %q:\n%s", f, s, files[f])
					}
				}
			}
			for f, subs := range tc.absent {
				for _, s := range subs {
					if strings.Contains(files[f], s) {
						t.Errorf("%s has %q", f, s)
					}
				}
			}
			if tc.secretOut {
				for name, content := range files.Public() {
					if strings.Contains(content, testSecret) {
						t.Errorf("the AJP secret is in %s", name)
					}
				}
				if _, ok := files.Public()[httpd.SecretFile]; ok {
					t.Error("Public() kept the secret file")
				}
			}
			if files["healthz"] != httpd.HealthBody {
				t.Errorf("healthz = %q", files["healthz"])
			}
		})
	}
}

// The user-data rendering (placeholder) and the SSH one (real secret)
// differ in the secret file only.
func TestPlaceholderChangesOnlyTheSecretFile(t *testing.T) {
	t.Parallel()
	for _, conn := range []httpd.Connector{httpd.ProxyAJP, httpd.JK} {
		real, placeholder := onPrem(conn), onPrem(conn)
		placeholder.AJPSecret = httpd.SecretPlaceholder
		a, err := httpd.Render(real)
		if err != nil {
			t.Fatal(err)
		}
		b, err := httpd.Render(placeholder)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a.Public(), b.Public()); diff != "" {
			t.Errorf("%s: public files differ (-real +placeholder):\n%s", conn, diff)
		}
		want, err := httpd.RenderSecretFile(testSecret)
		if err != nil {
			t.Fatal(err)
		}
		if a[httpd.SecretFile] != want || b[httpd.SecretFile] == want {
			t.Errorf("%s: secret files: real %q placeholder %q", conn, a[httpd.SecretFile], b[httpd.SecretFile])
		}
	}
	if _, err := httpd.RenderSecretFile("short"); err == nil {
		t.Error("RenderSecretFile accepted a 5-character secret")
	}
}

// apache2 -t on the standalone configuration of each connector, in a temp
// layout; and broken variants that it must reject.
func TestApacheAcceptsEachConnector(t *testing.T) {
	realtool.Need(t, "apache2")
	t.Parallel()
	breakConf := func(old, new string) func(httpd.Files) {
		return func(f httpd.Files) { f["httpd.conf"] = strings.Replace(f["httpd.conf"], old, new, 1) }
	}
	tests := map[string]struct {
		connector httpd.Connector
		break_    func(httpd.Files)
		wantErr   string
	}{
		"proxy_http": {connector: httpd.ProxyHTTP},
		"proxy_ajp":  {connector: httpd.ProxyAJP},
		"jk":         {connector: httpd.JK},
		"misspelled directive": {
			connector: httpd.ProxyHTTP,
			break_:    breakConf("ExtendedStatus On", "ExtendedStatuss On"),
			wantErr:   "Invalid command 'ExtendedStatuss'",
		},
		"unknown balancer member parameter": {
			connector: httpd.ProxyHTTP,
			break_:    breakConf("hcmethod=GET", "hcmethd=GET"),
			wantErr:   "unknown Worker hcheck parameter",
		},
		"missing authz_host module": {
			connector: httpd.ProxyHTTP,
			break_:    breakConf("LoadModule authz_host_module", "#LoadModule authz_host_module"),
			wantErr:   "Unknown Authz provider: ip",
		},
		"secret file not delivered": {
			connector: httpd.ProxyAJP,
			break_:    func(f httpd.Files) { delete(f, httpd.SecretFile) },
			wantErr:   "ajp-secret.conf",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := onPrem(tc.connector)
			c.Listen = "127.0.84.200:18099" // never started: -t only
			c.Layout = httpd.TempLayout(t.TempDir())
			files, err := httpd.Render(c)
			if err != nil {
				t.Fatal(err)
			}
			if tc.break_ != nil {
				tc.break_(files)
			}
			if err := httpdtest.Install(c.Layout, files); err != nil {
				t.Fatal(err)
			}
			if st, err := os.Stat(c.Layout.Path(httpd.SecretFile)); err == nil && st.Mode().Perm() != 0o600 {
				t.Errorf("secret file mode %v", st.Mode().Perm())
			}
			err = httpdtest.Check(c.Layout)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("%v\n%s", err, files["httpd.conf"])
			case tc.wantErr != "" && err == nil:
				t.Fatal("apache2 -t accepted the broken configuration")
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("error %q does not mention %q", err, tc.wantErr)
			}
		})
	}
}

func TestCheckCommand(t *testing.T) {
	t.Parallel()
	l := httpd.TempLayout("/srv/web")
	if got, want := httpd.CheckCommand(l.ConfFile), "apache2 -t -f /srv/web/conf/httpd.conf"; got != want {
		t.Errorf("CheckCommand = %q, want %q", got, want)
	}
	if got := filepath.Join(l.ConfDir, "workers.properties"); l.Path("workers.properties") != got {
		t.Errorf("Path(workers.properties) = %q", l.Path("workers.properties"))
	}
}
