package httpd_test

import (
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/httpd/httpdtest"
	"github.com/hawebtier/hawebtier/components/tomcat"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

// mod_proxy_hcheck GETs the app's health page, takes a member out when it
// fails and brings it back when it passes again. The member is a small Go
// server whose health the test switches.
func TestHealthChecksEjectAndReadmitAMember(t *testing.T) {
	realtool.Need(t, "apache2")
	realtool.NeedRoot(t)
	t.Parallel()

	var healthy atomic.Bool
	var checks atomic.Int64
	healthy.Store(true)
	ln, err := net.Listen("tcp", "127.0.84.30:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tomcat.HealthPath {
			checks.Add(1)
			if !healthy.Load() {
				http.Error(w, "sick", http.StatusInternalServerError)
				return
			}
		}
		_, _ = fmt.Fprintf(w, "app %s\n", r.URL.Path)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	c := httpd.Config{
		Listen:              "127.0.84.31:18081",
		AppServers:          []httpd.AppServer{{Route: "app1", Address: "127.0.84.30", HTTPPort: ln.Addr().(*net.TCPAddr).Port}},
		HealthCheckInterval: 1,
		Layout:              httpd.TempLayout(reachableTempDir(t)),
	}
	files, err := httpd.Render(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := httpdtest.Install(c.Layout, files); err != nil {
		t.Fatal(err)
	}
	if err := httpdtest.Start(c.Layout, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := httpdtest.Stop(c.Layout, 10*time.Second); err != nil {
			t.Error(err)
		}
	})
	page := "http://127.0.84.31:18081/app/page"

	// waitFor polls the page until it answers want (bounded) and returns
	// how long that took.
	waitFor := func(want int) time.Duration {
		t.Helper()
		start := time.Now()
		for {
			code, body, _ := fetch(t, "127.0.0.1", page, "")
			if code == want {
				return time.Since(start)
			}
			if time.Since(start) > 15*time.Second {
				t.Fatalf("page still %d %q after 15 s, want %d; health checks so far: %d; error.log:\n%s", code, body, want, checks.Load(), readLog(c.Layout.ErrorLog()))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor(http.StatusOK)
	before := checks.Load()
	healthy.Store(false)
	out := waitFor(http.StatusServiceUnavailable)
	healthy.Store(true)
	back := waitFor(http.StatusOK)
	if checks.Load() <= before {
		t.Errorf("no GET %s health check reached the member", tomcat.HealthPath)
	}
	t.Logf("hcinterval=1 hcfails=2 hcpasses=2: member out after %s, back after %s (%d health checks)", out.Round(time.Millisecond), back.Round(time.Millisecond), checks.Load())
}
