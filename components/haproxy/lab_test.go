package haproxy_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/components/haproxy"
	"github.com/hawebtier/hawebtier/components/haproxy/haproxytest"
	"github.com/hawebtier/hawebtier/internal/netns"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

// TestDeadAndHungWebServersAreTakenOut runs the rendered configuration
// (defaults: inter 500 ms, fall 2) in front of three web servers in network
// namespaces, kills one (SIGKILL) and hangs another (SIGSTOP), and checks
// that HAProxy marks each DOWN and that, once it has, a burst of requests
// through the frontend has zero failures. Detection times and the failures
// while detecting are measured and logged, not asserted.
func TestDeadAndHungWebServersAreTakenOut(t *testing.T) {
	realtool.NeedRoot(t)
	realtool.Need(t, "haproxy", "ip", "curl")
	t.Parallel()

	lab, err := netns.New("hap")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lab.Close)
	hosts := map[string]string{"lb": "10.99.0.11/24", "client": "10.99.0.5/24",
		"web1": "10.99.0.21/24", "web2": "10.99.0.22/24", "web3": "10.99.0.23/24"}
	h := map[string]*netns.Host{}
	for _, name := range []string{"lb", "client", "web1", "web2", "web3"} {
		if h[name], err = lab.AddHost(name, "ens192", hosts[name]); err != nil {
			t.Fatal(err)
		}
	}
	web := map[string]*haproxytest.Proc{}
	var servers []haproxy.Server
	for _, name := range []string{"web1", "web2", "web3"} {
		web[name] = haproxytest.StartBackend(t, h[name], 80, name)
		servers = append(servers, haproxy.Server{Name: name, Address: h[name].IP(), Port: 80})
	}
	socket := filepath.Join(t.TempDir(), "admin.sock")
	cfg, err := haproxy.Render(haproxy.Config{
		Bind:        "*:80",
		AdminBind:   h["lb"].IP() + ":8404",
		Servers:     servers,
		StatsSocket: socket,
		Log:         "stdout",
	})
	if err != nil {
		t.Fatal(err)
	}
	lb := haproxytest.StartHAProxy(t, h["lb"], cfg)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("load balancer output:\n%s", lb.Output())
		}
	})

	status := func(server string) string {
		st, err := haproxytest.ServerStatus(socket, haproxy.BackendName)
		if err != nil {
			return "unreadable: " + err.Error()
		}
		return st[server]
	}
	for _, name := range []string{"web1", "web2", "web3"} {
		if _, ok := haproxytest.Poll(10*time.Second, 50*time.Millisecond, func() bool { return status(name) == "UP" }); !ok {
			t.Fatalf("%s never UP: %q", name, status(name))
		}
	}
	front := "http://" + h["lb"].IP() + "/"
	b, err := haproxytest.Requests(h["client"], front, 30)
	if err != nil {
		t.Fatal(err)
	}
	if b.Failed != 0 || len(b.Bodies) != 3 {
		t.Fatalf("with all servers up: %d failed, answered by %v; want 0 failed, all three servers", b.Failed, b.Bodies)
	}

	// The admin listener: monitor URL, stats page, Prometheus exporter.
	admin := "http://" + h["lb"].IP() + ":8404"
	for path, want := range map[string]string{
		"/healthz": "200 OK",
		"/stats":   "Statistics Report",
		"/metrics": `haproxy_server_status{proxy="web",server="web1",state="UP"} 1`,
	} {
		out, err := h["client"].Run("curl", "-sS", "--max-time", "2", admin+path)
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("GET %s: want %q in the answer, got %v:\n%.600s", path, want, err, out)
		}
	}

	for _, step := range []struct {
		server string
		sig    syscall.Signal
		how    string
	}{
		{"web1", syscall.SIGKILL, "killed (SIGKILL)"},
		{"web3", syscall.SIGSTOP, "hung (SIGSTOP)"},
	} {
		// Steady load (50 requests/s) while HAProxy detects the failure:
		// reported only.
		load := haproxytest.StartLoad(h["client"], front, 50)
		time.Sleep(300 * time.Millisecond)
		if err := web[step.server].Signal(step.sig); err != nil {
			t.Fatal(err)
		}
		took, ok := haproxytest.Poll(10*time.Second, 20*time.Millisecond, func() bool {
			return strings.HasPrefix(status(step.server), "DOWN")
		})
		duringOK, duringFailed := load.Stop()
		if !ok {
			t.Fatalf("%s %s: never marked DOWN, status %q", step.server, step.how, status(step.server))
		}
		t.Logf("MEASURED %s %s: marked DOWN after %v; during detection %d requests ok, %d failed",
			step.server, step.how, took.Round(10*time.Millisecond), duringOK, duringFailed)

		after, err := haproxytest.Requests(h["client"], front, 100)
		if err != nil {
			t.Fatal(err)
		}
		if after.Failed != 0 || after.Bodies[step.server] != 0 {
			t.Errorf("after %s was marked DOWN: %d of 100 requests failed (codes %v), %d answered by it; want 0 and 0",
				step.server, after.Failed, after.Codes, after.Bodies[step.server])
		}
	}
	if got := status("web2"); got != "UP" {
		t.Errorf("web2 status %q, want UP", got)
	}
}
