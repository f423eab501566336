package httpd_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/httpd/httpdtest"
	"github.com/hawebtier/hawebtier/components/tomcat"
	"github.com/hawebtier/hawebtier/components/tomcat/tomcattest"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

// Addresses of this package's end-to-end test: Tomcat on 127.0.84.1
// (HTTP 18080, AJP 18009), nothing on 127.0.84.2 (a dead app server), one
// httpd per case on 127.0.84.1x:18081.
const (
	tomcatAddr = "127.0.84.1"
	deadAddr   = "127.0.84.2"
	monitor    = "127.0.84.98" // StatusAllow
	stranger   = "127.0.84.99"
)

// startTomcat starts one Tomcat with both connectors for every case.
func startTomcat(t *testing.T) {
	t.Helper()
	dir := reachableTempDir(t) // the tomcat user must reach the base
	b, err := tomcattest.NewBase(filepath.Join(dir, "base"), tomcat.Config{
		Address: tomcatAddr, HTTPPort: 18080, AJPPort: 18009, AJPSecret: testSecret, JvmRoute: "app1",
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.Stop(15 * time.Second); err != nil {
			t.Error(err)
		}
	})
	// Compile the pages once, directly, before httpd's requests.
	for _, p := range []string{tomcat.HelloPath, tomcat.SessionPath, tomcat.HealthPath} {
		if _, err := tomcattest.WaitReady("http://"+tomcatAddr+":18080"+p, 90*time.Second); err != nil {
			out, _ := os.ReadFile(filepath.Join(b.Dir, "logs", "catalina.out"))
			t.Fatalf("%v\ncatalina.out:\n%s", err, out)
		}
	}
	t.Logf("tomcat started and compiled its pages in %s", time.Since(start).Round(time.Millisecond))
}

// fetch sends a GET from a chosen local address.
func fetch(t *testing.T, from, url, cookie string) (int, string, http.Header) {
	t.Helper()
	var h http.Header
	if cookie != "" {
		h = http.Header{"Cookie": {cookie}}
	}
	code, body, header, err := tomcattest.GetFrom(from, url, h)
	if err != nil {
		t.Fatal(err)
	}
	return code, body, header
}

func TestEndToEndThroughEachConnector(t *testing.T) {
	realtool.Need(t, "apache2", "java", "runuser", tomcattest.Home+"/bin/catalina.sh")
	realtool.NeedRoot(t)
	startTomcat(t)

	tests := map[string]struct {
		addr      string
		connector httpd.Connector
		secret    string
		break_    func(httpd.Files)
		wantApp   int // status of the dynamic page: 200, or what a broken variant gets
	}{
		"proxy_http": {addr: "127.0.84.11", connector: httpd.ProxyHTTP, wantApp: 200},
		"proxy_ajp":  {addr: "127.0.84.12", connector: httpd.ProxyAJP, secret: testSecret, wantApp: 200},
		"jk":         {addr: "127.0.84.13", connector: httpd.JK, secret: testSecret, wantApp: 200},
		// The secret is really sent: Tomcat refuses the placeholder.
		"proxy_ajp with the placeholder secret": {addr: "127.0.84.14", connector: httpd.ProxyAJP, secret: httpd.SecretPlaceholder, wantApp: 403},
		"jk with the placeholder secret":        {addr: "127.0.84.15", connector: httpd.JK, secret: httpd.SecretPlaceholder, wantApp: 403},
		// apache2 -t passes without mod_proxy_ajp: only a request shows it.
		"proxy_ajp without its module": {
			addr: "127.0.84.16", connector: httpd.ProxyAJP, secret: testSecret, wantApp: 503,
			break_: func(f httpd.Files) {
				f["httpd.conf"] = strings.Replace(f["httpd.conf"], "LoadModule proxy_ajp_module", "#LoadModule proxy_ajp_module", 1)
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := httpd.Config{
				ServerName: "web1.test",
				Listen:     tc.addr + ":18081",
				Connector:  tc.connector,
				AJPSecret:  tc.secret,
				AppServers: []httpd.AppServer{
					{Route: "app1", Address: tomcatAddr, HTTPPort: 18080, AJPPort: 18009},
					{Route: "app2", Address: deadAddr, HTTPPort: 18080, AJPPort: 18009},
				},
				StatusAllow:         []string{monitor},
				MaxRequestWorkers:   50,
				HealthCheckInterval: 1,
				Layout:              httpd.TempLayout(reachableTempDir(t)), // www-data serves from it
			}
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
			const static = "static from httpd\n"
			if err := os.WriteFile(filepath.Join(c.Layout.DocumentRoot, "static.txt"), []byte(static), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := httpdtest.Check(c.Layout); err != nil {
				t.Fatal(err)
			}
			if err := httpdtest.Start(c.Layout, 15*time.Second); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := httpdtest.Stop(c.Layout, 10*time.Second); err != nil {
					t.Error(err)
				}
				if pid, err := os.ReadFile(c.Layout.PidFile); err == nil {
					t.Errorf("pid file %s (%s) left after stop", c.Layout.PidFile, strings.TrimSpace(string(pid)))
				}
			})
			base := "http://" + tc.addr + ":18081"

			// Static content and the health URL come from httpd itself,
			// whatever happens to the app servers.
			if code, body, _ := fetch(t, "127.0.0.1", base+"/static.txt", ""); code != 200 || body != static {
				t.Errorf("static.txt = %d %q", code, body)
			}
			if code, body, _ := fetch(t, "127.0.0.1", base+"/healthz", ""); code != 200 || body != httpd.HealthBody {
				t.Errorf("healthz = %d %q", code, body)
			}

			// The dynamic page through the connector. Half of the new
			// requests go first to the dead member: none may fail.
			for i := range 10 {
				code, body, _ := fetch(t, "127.0.0.1", base+tomcat.HelloPath, "")
				if code != tc.wantApp {
					t.Fatalf("request %d: hello.jsp = %d %q, want %d; error.log:\n%s", i, code, body, tc.wantApp, readLog(c.Layout.ErrorLog()))
				}
				if code == 200 && body != "hello from app1\n" {
					t.Fatalf("request %d: hello.jsp body %q", i, body)
				}
			}

			// server-status: loopback and StatusAllow only.
			for from, want := range map[string]int{"127.0.0.1": 200, monitor: 200, stranger: 403} {
				code, body, _ := fetch(t, from, base+"/server-status?auto", "")
				if code != want {
					t.Errorf("server-status from %s = %d, want %d", from, code, want)
				}
				if code == 200 && !strings.Contains(body, "BusyWorkers:") {
					t.Errorf("server-status without ExtendedStatus fields:\n%s", body)
				}
			}
			if tc.wantApp != 200 {
				return
			}

			// mod_proxy_hcheck probes the members on its own (HTTP GET for
			// proxy_http, TCP for proxy_ajp; jk CPings instead).
			probe := map[httpd.Connector]string{httpd.ProxyHTTP: "HCOH: attempt to connect to " + deadAddr, httpd.ProxyAJP: "HCTCP: attempt to connect to " + deadAddr}[tc.connector]
			for deadline := time.Now().Add(10 * time.Second); probe != "" && !strings.Contains(readLog(c.Layout.ErrorLog()), probe); {
				if time.Now().After(deadline) {
					t.Fatalf("no health check of the dead member (%q) in 10 s; error.log:\n%s", probe, readLog(c.Layout.ErrorLog()))
				}
				time.Sleep(200 * time.Millisecond)
			}

			// Sticky sessions: the route in the session id brings the
			// client back; a session of the dead app2 fails over.
			code, body, h := fetch(t, "127.0.0.1", base+tomcat.SessionPath, "")
			m := regexp.MustCompile(`session=([0-9A-F]+\.app1) hits=1`).FindStringSubmatch(body)
			if code != 200 || m == nil {
				t.Fatalf("session.jsp = %d %q", code, body)
			}
			if !strings.Contains(h.Get("Set-Cookie"), "JSESSIONID="+m[1]) {
				t.Errorf("Set-Cookie %q", h.Get("Set-Cookie"))
			}
			if _, body, _ := fetch(t, "127.0.0.1", base+tomcat.SessionPath, "JSESSIONID="+m[1]); !strings.Contains(body, "session="+m[1]+" hits=2") {
				t.Errorf("second request of the session: %q", body)
			}
			if code, body, _ := fetch(t, "127.0.0.1", base+tomcat.SessionPath, "JSESSIONID=0123456789ABCDEF.app2"); code != 200 || !strings.HasPrefix(body, "route=app1 ") {
				t.Errorf("session stuck to the dead app2: %d %q", code, body)
			}
		})
	}
}

// reachableTempDir is a t.TempDir other users can traverse.
func reachableTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readLog(p string) string {
	data, _ := os.ReadFile(p)
	if len(data) > 4000 {
		data = data[len(data)-4000:]
	}
	return string(data)
}
