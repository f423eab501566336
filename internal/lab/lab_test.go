package lab

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/components/haproxy/haproxytest"
	"github.com/hawebtier/hawebtier/components/keepalived"
	"github.com/hawebtier/hawebtier/components/monitoring"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/components/tomcat"
)

const (
	rate = 50 // requests per second through the VIP, the minimum
	// recoveryWindow is how long the VIP is watched after a load balancer
	// comes back: longer than keepalived's preempt_delay (the renderer's
	// default, 30 s) plus the check script's rise (2 s at 1 s).
	recoveryWindow = keepalived.DefaultPreemptDelaySec*time.Second + 10*time.Second
)

// TestMonitoringConfigIsWhatRolesRenders proves the lab's monitor files
// differ from roles.Files only by the timings: with zero timings,
// MonitoringConfig renders byte for byte the monitor's files.
func TestMonitoringConfigIsWhatRolesRenders(t *testing.T) {
	t.Parallel()
	topo := Topology("", "")
	files, err := roles.Files(topo, roles.Monitor, 0)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := monitorFiles(topo, Timings{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range files {
		if c, ok := mine[f.Path]; ok {
			got[f.Path] = c
		} else {
			t.Errorf("%s: not rendered by MonitoringConfig", f.Path)
		}
	}
	want := map[string]string{}
	for _, f := range files {
		want[f.Path] = f.Content
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("MonitoringConfig with zero timings differs from roles.Files (-roles +lab):\n%s", d)
	}
	lab, err := monitorFiles(topo, LabTimings)
	if err != nil {
		t.Fatal(err)
	}
	if lab["/etc/prometheus/prometheus.yml"] == want["/etc/prometheus/prometheus.yml"] {
		t.Error("LabTimings changed nothing in prometheus.yml")
	}
}

// report collects the Markdown table rows of the lab run.
type report struct {
	mu   sync.Mutex
	rows []string
}

func (r *report) add(scenario string, res Result, measured string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	failed := fmt.Sprintf("%d / %d", res.Failed(), res.Sent)
	if res.Failed() > 0 {
		failed += " (" + res.Reasons() + ")"
	}
	r.rows = append(r.rows, fmt.Sprintf("| %s | %s | %s | %v |", scenario, failed, measured, res.Percentile(100).Round(time.Millisecond)))
}

func (r *report) table() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return "| Scenario (load: 50 req/s of /app/hello.jsp through the VIP) | Failed / sent | Measured | Slowest good request |\n" +
		"|---|---|---|---|\n" + strings.Join(r.rows, "\n") + "\n"
}

// note adds a row for a scenario without load.
func (r *report) note(scenario, measured string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rows = append(r.rows, fmt.Sprintf("| %s | - | %s | - |", scenario, measured))
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// TestLab runs the rendered tier (lab.Start) and fails its parts under a
// steady load from the client namespace. It asserts counts and states;
// times are measured and printed in a Markdown table (run-lab.sh).
func TestLab(t *testing.T) {
	if testing.Short() {
		t.Skip("the failover lab takes about 3 minutes; run without -short")
	}
	setup := time.Now()
	l := Start(t, Options{Monitoring: true, Timings: LabTimings})
	rep := &report{}
	t.Logf("MEASURED lab started in %v", time.Since(setup).Round(100*time.Millisecond))
	t.Cleanup(func() { t.Logf("lab table:\n<!-- lab-table -->\n%s<!-- /lab-table -->", rep.table()) })

	lb1, lb2 := l.Node("lb1"), l.Node("lb2")
	web1, web2 := l.Node("web1"), l.Node("web2")
	load := func(d time.Duration) *Running {
		return Load{Client: Client(l.Client, 5*time.Second), URL: "http://" + VIP + tomcat.HelloPath, Rate: rate, Duration: d, Expect: "hello from "}.Start()
	}
	// downAfter polls lb's view of web until it is DOWN.
	downAfter := func(lb *Node, web string, since time.Time) time.Duration {
		if _, ok := haproxytest.Poll(15*time.Second, 10*time.Millisecond, func() bool {
			return strings.HasPrefix(l.ServerStatus(lb, web), "DOWN")
		}); !ok {
			t.Fatalf("%s: HAProxy never marked %s DOWN: %q", lb.Name, web, l.ServerStatus(lb, web))
		}
		return time.Since(since)
	}
	upAgain := func(web string, since time.Time) time.Duration {
		for _, lb := range l.LBs {
			if _, ok := haproxytest.Poll(30*time.Second, 50*time.Millisecond, func() bool { return l.ServerStatus(lb, web) == "UP" }); !ok {
				t.Fatalf("%s: %s did not rejoin: %q", lb.Name, web, l.ServerStatus(lb, web))
			}
		}
		return time.Since(since)
	}
	// Each step leaves the lab as it found it; after a failed one the rest
	// would only report its consequences. Who holds the VIP is sampled
	// through every step: a sample with the VIP on both LBs (split brain)
	// fails it, as does one with the VIP on none outside a failover the
	// step names (vip.failover).
	var vip *vipWatch
	step := func(name string, fn func(t *testing.T)) {
		if !t.Run(name, func(t *testing.T) {
			vip = watchVIP(l)
			fn(t)
			vip.check(t)
		}) {
			t.FailNow()
		}
	}
	noFailures := func(what string, res Result) {
		t.Helper()
		if res.Sent != res.Planned || res.Sent == 0 {
			t.Errorf("%s: %d requests ended, %d planned", what, res.Sent, res.Planned)
		}
		if res.Failed() != 0 {
			t.Errorf("%s: %d of %d requests failed: %s", what, res.Failed(), res.Sent, res.Reasons())
		}
	}

	step("alert rule metrics are in real scrapes", func(t *testing.T) {
		checkMetrics(t, l)
	})

	step("error log burst fires its alert", func(t *testing.T) {
		// Quiet first: the alert is not pending or firing for web2.
		if _, ok := haproxytest.Poll(60*time.Second, time.Second, func() bool {
			return l.alertState(monitoring.AlertApacheErrorLogGrowing, "web2") == ""
		}); !ok {
			t.Fatalf("%s is %s for web2 before any burst", monitoring.AlertApacheErrorLogGrowing, l.alertState(monitoring.AlertApacheErrorLogGrowing, "web2"))
		}
		errorLog := web2.HostPath("/var/log/apache2/error.log")
		before := lines(errorLog)
		start := time.Now()
		// server-status refuses the client: one [authz_core:error] line
		// per request, 20 a second until the alert fires.
		burst := haproxytest.Every(50*time.Millisecond, func() { _, _, _ = l.Get("http://" + web2.Host.IP() + "/server-status") })
		alert := l.waitAlert(t, monitoring.AlertApacheErrorLogGrowing, "web2", start, 90*time.Second)
		burst.Stop()
		grown := lines(errorLog) - before
		if grown == 0 {
			t.Error("the error log did not grow")
		}
		rep.note("burst of httpd error-log lines on web2 (20/s, no load)", fmt.Sprintf("alert %s firing after %s (%d lines)", monitoring.AlertApacheErrorLogGrowing, secs(alert), grown))
	})

	step("SIGKILL a web server", func(t *testing.T) {
		run := load(6 * time.Second)
		time.Sleep(1500 * time.Millisecond)
		if n := web1.Signal("apache2", syscall.SIGKILL); n == 0 {
			t.Fatal("no apache2 process in web1")
		}
		killed := time.Now()
		detect := downAfter(lb1, "web1", killed)
		res := run.Wait()
		noFailures("web1 killed", res)
		alert := l.waitAlert(t, monitoring.AlertWebServerNotServing, "web1", killed, 90*time.Second)
		restarted := time.Now()
		l.StartHTTPD(web1)
		rejoin := upAgain("web1", restarted)
		rep.add("SIGKILL httpd on web1", res, fmt.Sprintf("HAProxy marks it DOWN after %s; alert %s firing after %s; UP on both LBs %s after restart",
			secs(detect), monitoring.AlertWebServerNotServing, secs(alert), secs(rejoin)))
	})

	step("SIGSTOP a web server", func(t *testing.T) {
		run := load(7 * time.Second)
		time.Sleep(1500 * time.Millisecond)
		stopped := time.Now()
		if n := web2.Signal("apache2", syscall.SIGSTOP); n == 0 {
			t.Fatal("no apache2 process in web2")
		}
		// Resumed after 3 s whatever happens, so no test failure leaves
		// it hung.
		cont := sync.OnceFunc(func() { web2.Signal("apache2", syscall.SIGCONT) })
		t.Cleanup(cont)
		detect := downAfter(lb1, "web2", stopped)
		time.Sleep(time.Until(stopped.Add(3 * time.Second)))
		resumed := time.Now()
		cont()
		rejoin := upAgain("web2", resumed)
		res := run.Wait()
		noFailures("web2 stopped for 3 s", res)
		rep.add("SIGSTOP httpd on web2 for 3 s, then SIGCONT", res, fmt.Sprintf("HAProxy marks it DOWN after %s (check timeout); UP %s after SIGCONT; requests it had accepted wait until SIGCONT",
			secs(detect), secs(rejoin)))
	})

	step("kill a Tomcat", func(t *testing.T) {
		app1 := l.Node("app1")
		run := load(6 * time.Second)
		time.Sleep(1500 * time.Millisecond)
		if n := app1.Signal("java", syscall.SIGKILL); n == 0 {
			t.Fatal("no java process in app1")
		}
		res := run.Wait()
		noFailures("app1 killed", res)
		restarted := time.Now()
		l.StartTomcat(app1)
		// Back in both web servers' balancers.
		for _, w := range l.Web {
			if _, err := l.WaitPage("http://"+w.Host.IP()+tomcat.HelloPath, "hello from app1", 90*time.Second); err != nil {
				t.Fatalf("app1 did not rejoin %s's balancer: %v", w.Name, err)
			}
		}
		rep.add("SIGKILL Tomcat on app1", res, fmt.Sprintf("httpd's balancer retries the other member; app1 serves through both web servers %s after restart", secs(time.Since(restarted))))
	})

	step("kill HAProxy on the MASTER, then bring it back", func(t *testing.T) {
		admin := fmt.Sprintf("http://%s:%d/healthz", lb1.Host.IP(), roles.LBAdminPort)
		if _, err := l.WaitPage(admin, "", 5*time.Second); err != nil {
			t.Fatalf("lb1's HAProxy does not answer over HTTP before the kill: %v", err)
		}
		run := load(8 * time.Second)
		time.Sleep(1500 * time.Millisecond)
		killed := time.Now()
		if n := lb1.Signal("haproxy", syscall.SIGKILL); n == 0 {
			t.Fatal("no haproxy process in lb1")
		}
		moved := l.waitHolder(t, "lb2", killed)
		vip.failover(killed, killed.Add(moved))
		if code, _, err := l.Get(admin); err == nil {
			t.Errorf("lb1's HAProxy still answers over HTTP (%d) after the kill", code)
		}
		if h := l.VIPHolders(); h != "lb2" {
			t.Errorf("after the kill the VIP is on %q, want lb2", h)
		}
		res := run.Wait()
		failuresOnlyDuringTakeover(t, res, killed, killed.Add(moved))
		// The node drops what reaches the VIP while no HAProxy listens
		// (keepalived.VIPGuard), so clients retransmit to lb2: only a
		// request in flight on the killed HAProxy may fail.
		if res.Failed() > 2 {
			t.Errorf("%d of %d requests failed when HAProxy on the MASTER was killed, want at most 2: %s", res.Failed(), res.Sent, res.Reasons())
		}
		// lb1 gave the VIP up because haproxy.service recorded the stop
		// (track_file), not after the check script's failures.
		if out := l.Proc("keepalived@lb1").Output(); !strings.Contains(out, "tracked file haproxy_stopped now FAULT state") {
			t.Errorf("lb1's keepalived did not go to FAULT on the HAProxy state file")
		}
		rep.add("SIGKILL HAProxy on lb1 (MASTER)", res, fmt.Sprintf("VIP on lb2 after %s", secs(moved)))

		back := time.Now()
		l.StartHAProxy(lb1)
		res, moves := l.watchRecovery(t, back)
		rep.add("HAProxy back on lb1", res, moves)
	})

	step("stop the MASTER node, then bring it back", func(t *testing.T) {
		if h := l.VIPHolders(); h != "lb1" {
			t.Fatalf("the VIP is on %q before the node stops, want lb1", h)
		}
		run := load(8 * time.Second)
		time.Sleep(1500 * time.Millisecond)
		stopped := time.Now()
		// Power off: the link goes first, then every process of the node.
		if out, err := exec.Command("ip", "-n", lb1.Host.Name, "link", "set", roles.DefaultInterface, "down").CombinedOutput(); err != nil {
			t.Fatalf("link down: %v %s", err, out)
		}
		for _, comm := range []string{"keepalived", "haproxy"} {
			lb1.Signal(comm, syscall.SIGKILL)
		}
		moved := l.waitHolder(t, "lb2", stopped)
		vip.failover(stopped, stopped.Add(moved))
		res := run.Wait()
		failuresOnlyDuringTakeover(t, res, stopped, stopped.Add(moved))
		rep.add("lb1 (MASTER) powered off: link down, all processes killed", res, fmt.Sprintf("VIP on lb2 after %s", secs(moved)))

		// Boot: a fresh node has no VIP on its interface.
		_ = exec.Command("ip", "-n", lb1.Host.Name, "addr", "del", fmt.Sprintf("%s/%d", VIP, PrefixLen), "dev", roles.DefaultInterface).Run()
		if out, err := exec.Command("ip", "-n", lb1.Host.Name, "link", "set", roles.DefaultInterface, "up").CombinedOutput(); err != nil {
			t.Fatalf("link up: %v %s", err, out)
		}
		back := time.Now()
		l.StartHAProxy(lb1)
		l.StartKeepalived(lb1)
		res, moves := l.watchRecovery(t, back)
		rep.add("lb1 boots again (HAProxy + keepalived)", res, moves)
	})
	_ = lb2
}

// failuresOnlyDuringTakeover asserts that every failed request was sent
// while the VIP was moving: after the failure (less half a second for
// requests in flight) and before the VIP was on the new node (plus half a
// second for the client to learn the new MAC from the gratuitous ARP). The
// count is therefore bounded by the requests of the takeover window,
// which is what VRRP can promise; it is reported, not asserted to be zero.
func failuresOnlyDuringTakeover(t *testing.T, res Result, from, moved time.Time) {
	t.Helper()
	if res.Sent != res.Planned {
		t.Errorf("%d requests ended, %d planned", res.Sent, res.Planned)
	}
	lo, hi := from.Add(-500*time.Millisecond), moved.Add(500*time.Millisecond)
	for _, f := range res.Failures {
		if f.At.Before(lo) || f.At.After(hi) {
			t.Errorf("a request sent %v after the failure failed (%s), outside the takeover window of %v",
				f.At.Sub(from).Round(time.Millisecond), f.Reason, moved.Sub(from).Round(time.Millisecond))
		}
	}
	if max := int(hi.Sub(lo).Seconds()*rate) + 1; res.Failed() > max {
		t.Errorf("%d requests failed, more than the %d sent during the takeover", res.Failed(), max)
	}
}

// waitHolder waits (at most 20 s) until only want holds the VIP and
// returns how long after since it happened.
func (l *Lab) waitHolder(t *testing.T, want string, since time.Time) time.Duration {
	t.Helper()
	if _, ok := haproxytest.Poll(20*time.Second, 10*time.Millisecond, func() bool { return l.VIPHolders() == want }); !ok {
		t.Fatalf("the VIP did not move to %s; holders %q", want, l.VIPHolders())
	}
	return time.Since(since)
}

// watchRecovery runs the load for recoveryWindow after lb1 came back at
// back, samples who holds the VIP every 50 ms and counts keepalived's
// MASTER transitions. The renderer preempts after a delay, so the VIP must
// move home to lb1 exactly once and then stay.
func (l *Lab) watchRecovery(t *testing.T, back time.Time) (Result, string) {
	t.Helper()
	mark := map[string]int{}
	for _, n := range l.LBs {
		mark[n.Name] = len(l.Proc("keepalived@" + n.Name).Output())
	}
	var mu sync.Mutex
	var changes []string
	last, both, none := l.VIPHolders(), 0, 0
	var home time.Duration
	sampler := haproxytest.Every(50*time.Millisecond, func() {
		h := l.VIPHolders()
		mu.Lock()
		defer mu.Unlock()
		switch h {
		case "lb1+lb2":
			both++
		case "":
			none++
		case last:
		default:
			changes = append(changes, last+"->"+h)
			last = h
			if h == "lb1" && home == 0 {
				home = time.Since(back)
			}
		}
	})
	res := Load{Client: Client(l.Client, 5*time.Second), URL: "http://" + VIP + tomcat.HelloPath, Rate: rate, Duration: recoveryWindow, Expect: "hello from "}.Start().Wait()
	sampler.Stop()
	if res.Sent != res.Planned {
		t.Errorf("%d requests ended, %d planned", res.Sent, res.Planned)
	}
	masters := map[string]int{}
	for _, n := range l.LBs {
		masters[n.Name] = strings.Count(l.Proc("keepalived@" + n.Name).Output()[mark[n.Name]:], "Entering MASTER STATE")
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(changes, []string{"lb2->lb1"}) {
		t.Errorf("after lb1 came back the VIP moved %v, want exactly one planned move home [lb2->lb1] (preempt_delay %d s)", changes, keepalived.DefaultPreemptDelaySec)
	}
	if d := cmp.Diff(map[string]int{"lb1": 1, "lb2": 0}, masters); d != "" {
		t.Errorf("keepalived MASTER transitions after lb1 came back (-want +got):\n%s", d)
	}
	if h := l.VIPHolders(); h != "lb1" {
		t.Errorf("at the end of the window the VIP is on %q, want lb1", h)
	}
	// A planned move home hands the VIP over: no sample may see it on both
	// LBs (split brain) or on none.
	if both > 0 || none > 0 {
		t.Errorf("while lb1 came back, %d samples saw the VIP on both LBs and %d on none; want 0/0", both, none)
	}
	return res, fmt.Sprintf("VIP moves %v, home %s after restart (preempt_delay %d s); MASTER transitions lb1 %d, lb2 %d; samples with both/no holder %d/%d",
		changes, secs(home), keepalived.DefaultPreemptDelaySec, masters["lb1"], masters["lb2"], both, none)
}

// waitAlert polls the lab Prometheus until alert is firing for node and
// returns how long after since.
func (l *Lab) waitAlert(t *testing.T, alert, node string, since time.Time, limit time.Duration) time.Duration {
	t.Helper()
	if _, ok := haproxytest.Poll(limit, 250*time.Millisecond, func() bool { return l.alertState(alert, node) == "firing" }); !ok {
		t.Fatalf("alert %s for %s not firing within %v; alerts: %s", alert, node, limit, strings.Join(l.alerts(), ", "))
	}
	return time.Since(since)
}

// alertState is the state of alert for node in the lab Prometheus
// ("pending", "firing"), or "" when it is neither.
func (l *Lab) alertState(alert, node string) string {
	for _, a := range l.alerts() {
		if state, ok := strings.CutPrefix(a, alert+"{node="+node+"}="); ok {
			return state
		}
	}
	return ""
}

// alerts lists the lab Prometheus' alerts as "name{node=n}=state".
func (l *Lab) alerts() []string {
	url := fmt.Sprintf("http://%s:%d/api/v1/alerts", l.Mon.Host.IP(), monitoring.DefaultPorts.Prometheus)
	code, body, err := l.Get(url)
	if err != nil || code != 200 {
		return []string{fmt.Sprintf("error=%d %v", code, err)}
	}
	var r struct {
		Data struct {
			Alerts []struct {
				Labels map[string]string `json:"labels"`
				State  string            `json:"state"`
			} `json:"alerts"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return []string{"error=" + err.Error()}
	}
	var out []string
	for _, a := range r.Data.Alerts {
		out = append(out, a.Labels["alertname"]+"{node="+a.Labels["node"]+"}="+a.State)
	}
	return out
}

// checkMetrics scrapes each exporter the rules use and checks that every
// metric name the rules use (monitoring.Metrics) is in a real scrape.
func checkMetrics(t *testing.T, l *Lab) {
	web, lb := l.Web[0].Host.IP(), l.LBs[0].Host.IP()
	p := monitoring.DefaultPorts
	urls := map[string]string{
		monitoring.ExporterHAProxy: fmt.Sprintf("http://%s:%d/metrics", lb, p.HAProxyExporter),
		monitoring.ExporterApache:  fmt.Sprintf("http://%s:%d/metrics", web, p.ApacheExporter),
		monitoring.ExporterMtail:   fmt.Sprintf("http://%s:%d/metrics", web, p.Mtail),
		monitoring.ExporterBlackbox: fmt.Sprintf("http://%s:%d/probe?module=%s&target=http://%s/healthz",
			l.Mon.Host.IP(), p.Blackbox, monitoring.ModuleHTTP2xx, web),
	}
	checked := map[string]bool{}
	for exporter, url := range urls {
		var names map[string]bool
		// mtail and the exporters may still be starting.
		if _, ok := haproxytest.Poll(30*time.Second, 250*time.Millisecond, func() bool {
			code, body, err := l.Get(url)
			names = metricNames(body)
			return err == nil && code == 200 && len(names) > 0
		}); !ok {
			t.Errorf("%s: no metrics at %s", exporter, url)
			continue
		}
		for _, m := range monitoring.MetricsOf(exporter) {
			checked[m] = true
			if !names[m] {
				t.Errorf("%s: metric %s, used by an alert rule, is not in a real scrape of %s", exporter, m, url)
			}
		}
	}
	for _, m := range monitoring.Metrics() {
		if !checked[m] {
			t.Errorf("metric %s of the alert rules belongs to no exporter the lab scrapes", m)
		}
	}
}

// metricNames returns the metric names of a Prometheus text exposition.
func metricNames(body string) map[string]bool {
	names := map[string]bool{}
	for _, line := range strings.Split(body, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.IndexAny(line, "{ "); i > 0 {
			names[line[:i]] = true
		}
	}
	return names
}

func lines(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	for s := bufio.NewScanner(f); s.Scan(); {
		n++
	}
	return n
}

// vipWatch samples who holds the VIP every 50 ms while a step runs.
type vipWatch struct {
	mu      sync.Mutex
	samples []sample
	windows [][2]time.Time // failovers: the VIP may be on no LB inside one
	loop    *haproxytest.Loop
}

type sample struct {
	at      time.Time
	holders string
}

func watchVIP(l *Lab) *vipWatch {
	w := &vipWatch{}
	w.loop = haproxytest.Every(50*time.Millisecond, func() {
		s := sample{time.Now(), l.VIPHolders()}
		w.mu.Lock()
		w.samples = append(w.samples, s)
		w.mu.Unlock()
	})
	return w
}

// failover names the window from a failure until the VIP was on its new
// holder (the sampler's own lag added).
func (w *vipWatch) failover(from, to time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.windows = append(w.windows, [2]time.Time{from, to.Add(100 * time.Millisecond)})
}

// check stops sampling and fails on a split brain anywhere, and on no
// holder outside a failover window. A sample reads the two LBs one after
// the other, so during a handover (one LB, then the other, as when lb1
// takes the VIP back after preempt_delay) it can find the VIP on neither:
// a no-holder sample between samples of two different single holders
// less than 500 ms apart is that handover, not an outage.
func (w *vipWatch) check(t *testing.T) {
	t.Helper()
	w.loop.Stop()
	w.mu.Lock()
	defer w.mu.Unlock()
	inWindow := func(at time.Time) bool {
		return slices.ContainsFunc(w.windows, func(win [2]time.Time) bool { return !at.Before(win[0]) && !at.After(win[1]) })
	}
	handover := func(i int) bool {
		before, after := -1, -1
		for j := i - 1; j >= 0 && before < 0; j-- {
			if w.samples[j].holders != "" {
				before = j
			}
		}
		for j := i + 1; j < len(w.samples) && after < 0; j++ {
			if w.samples[j].holders != "" {
				after = j
			}
		}
		if before < 0 || after < 0 {
			return false
		}
		b, a := w.samples[before], w.samples[after]
		return b.holders != a.holders && !strings.Contains(b.holders+a.holders, "+") && a.at.Sub(b.at) < 500*time.Millisecond
	}
	both, none := 0, 0
	for i, s := range w.samples {
		switch {
		case s.holders == "lb1+lb2":
			both++
		case s.holders == "" && !inWindow(s.at) && !handover(i):
			none++
		}
	}
	if both > 0 || none > 0 {
		t.Errorf("of %d VIP samples, %d saw it on both LBs (split brain) and %d on none outside a failover; want 0/0", len(w.samples), both, none)
	}
}
