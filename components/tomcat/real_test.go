package tomcat_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/components/tomcat"
	"github.com/hawebtier/hawebtier/components/tomcat/tomcattest"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

// Addresses of this package's tests: 127.0.83.0/24, ports 18080/18009.

// newBase builds a base in a directory the tomcat user can reach.
func newBase(t *testing.T, c tomcat.Config) *tomcattest.Base {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	b, err := tomcattest.NewBase(filepath.Join(dir, "base"), c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConfigTestRealTomcat(t *testing.T) {
	realtool.Need(t, "java", "runuser", tomcattest.Home+"/bin/catalina.sh")
	realtool.NeedRoot(t)
	t.Parallel()
	tests := map[string]struct {
		cfg     tomcat.Config
		break_  func(xml string) string // nil: keep the rendered file
		wantErr string                  // "" means it must pass
	}{
		"both connectors": {
			cfg: tomcat.Config{Address: "127.0.83.1", HTTPPort: 18080, AJPPort: 18009, AJPSecret: testSecret, JvmRoute: "app1", StatusAllow: `127\.0\.83\.\d+`},
		},
		"ajp only with the placeholder secret": {
			cfg: tomcat.Config{Address: "127.0.83.2", AJPPort: 18009, AJPSecret: tomcat.SecretPlaceholder, JvmRoute: "app2"},
		},
		"unknown attribute is caught": {
			cfg:     tomcat.Config{Address: "127.0.83.3", HTTPPort: 18080, JvmRoute: "app3"},
			break_:  func(x string) string { return strings.Replace(x, `jvmRoute=`, `jvmRoot="x" jvmRoute=`, 1) },
			wantErr: "failed to set property [jvmRoot]",
		},
		"unknown element is caught": {
			cfg:     tomcat.Config{Address: "127.0.83.4", HTTPPort: 18080, JvmRoute: "app4"},
			break_:  func(x string) string { return strings.Replace(x, `<Engine `, `<Engin/><Engine `, 1) },
			wantErr: "No rules found matching [Server/Service/Engin]",
		},
		"malformed XML is caught": {
			cfg:     tomcat.Config{Address: "127.0.83.5", HTTPPort: 18080, JvmRoute: "app5"},
			break_:  func(x string) string { return strings.Replace(x, `</Engine>`, ``, 1) },
			wantErr: "exit 1",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := newBase(t, tc.cfg)
			if tc.break_ != nil {
				p := filepath.Join(b.Dir, "conf", "server.xml")
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(tc.break_(string(data))), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			err := b.ConfigTest()
			t.Logf("configtest took %s", time.Since(start).Round(time.Millisecond))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatal(err)
			case tc.wantErr != "" && err == nil:
				t.Fatal("configtest accepted the broken server.xml")
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("error %q does not mention %q", err, tc.wantErr)
			}
		})
	}
}

func get(t *testing.T, from, url string, header http.Header) (int, string, http.Header) {
	t.Helper()
	code, body, h, err := tomcattest.GetFrom(from, url, header)
	if err != nil {
		t.Fatal(err)
	}
	return code, body, h
}

func TestServesPagesAndRestrictsStatus(t *testing.T) {
	realtool.Need(t, "java", "runuser", "promtool", tomcattest.Home+"/bin/catalina.sh")
	realtool.NeedRoot(t)
	t.Parallel()
	const addr = "127.0.83.10"
	b := newBase(t, tomcat.Config{Address: addr, HTTPPort: 18080, AJPPort: 18009, AJPSecret: testSecret, JvmRoute: "node7", StatusAllow: `127\.0\.83\.50`})
	start := time.Now()
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.Stop(15 * time.Second); err != nil {
			t.Error(err)
		}
		if b.Running() {
			t.Error("tomcat still running after Stop")
		}
	})
	t.Cleanup(func() {
		// After the requests: whatever Tomcat found wrong is in its log.
		if sev := regexp.MustCompile(`(?m)^.* SEVERE .*$`).FindAllString(tail(b.Dir+"/logs/catalina.out"), -1); len(sev) > 0 {
			t.Errorf("catalina.out has SEVERE lines:\n%s", strings.Join(sev, "\n"))
		}
	})
	base := "http://" + addr + ":18080"
	body, err := tomcattest.WaitReady(base+tomcat.HelloPath, 90*time.Second)
	if err != nil {
		t.Fatalf("%v\ncatalina.out:\n%s", err, tail(b.Dir+"/logs/catalina.out"))
	}
	t.Logf("start + first JSP: %s", time.Since(start).Round(time.Millisecond))
	if body != "hello from node7\n" {
		t.Errorf("hello.jsp = %q", body)
	}

	code, body, _ := get(t, "127.0.0.1", base+tomcat.HealthPath, nil)
	if code != 200 || body != "OK node7\n" {
		t.Errorf("health.jsp = %d %q", code, body)
	}

	// Sessions carry the jvmRoute and stick.
	code, body, h := get(t, "127.0.0.1", base+tomcat.SessionPath, nil)
	m := regexp.MustCompile(`^route=node7 session=([0-9A-F]+\.node7) hits=1\n$`).FindStringSubmatch(body)
	if code != 200 || m == nil {
		t.Fatalf("session.jsp = %d %q", code, body)
	}
	if !strings.Contains(h.Get("Set-Cookie"), "JSESSIONID="+m[1]) {
		t.Errorf("Set-Cookie %q does not carry session %s", h.Get("Set-Cookie"), m[1])
	}
	_, body, _ = get(t, "127.0.0.1", base+tomcat.SessionPath, http.Header{"Cookie": {"JSESSIONID=" + m[1]}})
	if want := "route=node7 session=" + m[1] + " hits=2\n"; body != want {
		t.Errorf("second session.jsp = %q, want %q", body, want)
	}

	// Status: loopback and StatusAllow only.
	for from, want := range map[string]int{"127.0.0.1": 200, "127.0.83.50": 200, "127.0.83.51": 403} {
		code, body, _ := get(t, from, base+tomcat.StatusPath, nil)
		if code != want {
			t.Errorf("status from %s: %d, want %d", from, code, want)
		}
		if code != 200 {
			continue
		}
		for _, s := range []string{`tomcat_info{jvm_route="node7"} 1`, `tomcat_threads_max{connector="http-nio-127.0.83.10-18080"} 200`, `tomcat_threads_max{connector="ajp-nio-127.0.83.10-18009"} 200`, `tomcat_sessions_active{context="/app"} 1`, "tomcat_requests_total{"} {
			if !strings.Contains(body, s) {
				t.Errorf("metrics lack %q:\n%s", s, body)
			}
		}
		// The exposition format is checked by Prometheus' own linter.
		f := filepath.Join(t.TempDir(), "metrics.txt")
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := realtool.Run(10*time.Second, "sh", "-c", "promtool check metrics < "+f)
		if err != nil || res.ExitCode != 0 {
			t.Errorf("promtool check metrics: %v %s\n%s", err, res.Output(), body)
		}
	}
}

func tail(p string) string {
	data, _ := os.ReadFile(p)
	if len(data) > 20000 {
		data = data[len(data)-20000:]
	}
	return string(data)
}
