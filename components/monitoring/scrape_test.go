package monitoring

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/internal/realtool"
)

// Loopback addresses of the scrape test: 127.83.3.0/24 is used by nothing
// else in the project.
const (
	lbAddr  = "127.83.3.1" // haproxy: frontend :8080 (stands in for the VIP), exporter :8404
	webAddr = "127.83.3.2" // apache2 :8081, apache exporter :9117, mtail :3903
	deadWeb = "127.83.3.3" // a web server that is not there
	monAddr = "127.83.3.9" // blackbox :9115, alertmanager :9093
	webPort = 8081
	vipPort = 8080
)

// scrapeConfig is the monitoring config of the scrape test's one-node
// tier, with ports moved where the test's daemons listen.
func scrapeTestConfig(t *testing.T, errorLog string) Config {
	t.Helper()
	c := labConfig()
	c.LBs = []Target{{"lb1", lbAddr}}
	c.Web = []Target{{"web1", webAddr}, {"web2", deadWeb}}
	c.App = []Target{{"app1", "127.83.3.4"}}
	c.VIP, c.Monitor = lbAddr, Target{"mon", monAddr}
	c.Ports.WebHTTP, c.Ports.VIPHTTP = webPort, vipPort
	c.ErrorLogPath = errorLog
	c.ServerStatusURL = fmt.Sprintf("http://%s:%d/server-status?auto", webAddr, webPort)
	return c.WithDefaults()
}

// apacheConf is a minimal standalone httpd config: event MPM, a health
// file, server-status with ExtendedStatus for local requests only, and
// LogLevel info so every 404 writes an error log line.
func apacheConf(dir string) string {
	return fmt.Sprintf(`ServerRoot /etc/apache2
ServerName web1
PidFile %[1]s/run/httpd.pid
DefaultRuntimeDir %[1]s/run
Mutex file:%[1]s/run
ErrorLog %[1]s/logs/error.log
LogLevel info
Listen %[2]s:%[3]d
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule authz_host_module /usr/lib/apache2/modules/mod_authz_host.so
LoadModule status_module /usr/lib/apache2/modules/mod_status.so
User www-data
Group www-data
ExtendedStatus On
DocumentRoot %[1]s/htdocs
<Directory %[1]s/htdocs>
    Require all granted
</Directory>
<Location /server-status>
    SetHandler server-status
    Require local
</Location>
`, dir, webAddr, webPort)
}

// haproxyConf: the built-in exporter on the admin address, a backend of
// one live and one dead web server checked over HTTP on the health URL.
func haproxyConf() string {
	return fmt.Sprintf(`global
    log stderr format raw local0 err
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend admin
    bind %[1]s:8404
    http-request use-service prometheus-exporter if { path /metrics }
frontend www
    bind %[1]s:%[2]d
    default_backend web
backend web
    option httpchk GET /healthz
    server web1 %[3]s:%[4]d check inter 200ms fall 2 rise 1
    server web2 %[5]s:%[4]d check inter 200ms fall 2 rise 1
`, lbAddr, vipPort, webAddr, webPort, deadWeb)
}

// TestEveryRuleMetricInRealScrape starts apache2, the Apache exporter,
// mtail, haproxy with its built-in exporter and the blackbox exporter,
// each with what Render wrote (the exporters' ARGS, the mtail program and
// settings, blackbox.yml), scrapes each, and checks that every metric of
// Metrics() appears in its exporter's scrape, with the values the rules
// rely on.
func TestEveryRuleMetricInRealScrape(t *testing.T) {
	realtool.NeedRoot(t)
	realtool.Need(t, "apache2", "haproxy", "mtail", "prometheus-apache-exporter", "prometheus-blackbox-exporter")
	began := time.Now()

	// apache2 drops to www-data, which must reach the document root.
	dir, err := os.MkdirTemp("", "hawebtier-monitoring-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	for _, d := range []string{"run", "logs", "htdocs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	errorLog := filepath.Join(dir, "logs", "error.log")
	// mtail tails a file that exists when it starts.
	if err := os.WriteFile(errorLog, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "htdocs", "healthz"), []byte("ok\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "httpd.conf")
	if err := os.WriteFile(conf, []byte(apacheConf(dir)), 0o644); err != nil {
		t.Fatal(err)
	}
	if res, err := realtool.Run(30*time.Second, "apache2", "-t", "-f", conf); err != nil || res.ExitCode != 0 {
		t.Fatalf("apache2 -t: %v %s", err, res.Output())
	}

	c := scrapeTestConfig(t, errorLog)
	c.AgentListenHost = webAddr
	webFiles := mustRender(t, c)
	c.AgentListenHost = monAddr
	monFiles := mustRender(t, c)
	rendered := writeFiles(t, monFiles)

	start(t, "apache2", "-f", conf, "-DFOREGROUND")
	start(t, "prometheus-apache-exporter", defaultArgs(t, webFiles[FileDefaultApache])...)
	// As the Debian unit runs it: --progs, --address $HOST, --port $PORT,
	// --logs "$LOGS".
	mv := defaultVars(webFiles[FileDefaultMtail])
	start(t, "mtail", "--progs", filepath.Join(writeFiles(t, webFiles), "mtail"), "--logtostderr",
		"--address", mv["HOST"], "--port", mv["PORT"], "--logs", mv["LOGS"])
	hcfg := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(hcfg, []byte(haproxyConf()), 0o644); err != nil {
		t.Fatal(err)
	}
	start(t, "haproxy", "-db", "-f", hcfg)
	start(t, "prometheus-blackbox-exporter",
		replaceConfigFile(defaultArgs(t, monFiles[FileDefaultBlackbox]), filepath.Join(rendered, FileBlackbox))...)

	urls := map[string]string{
		ExporterApache:  fmt.Sprintf("http://%s:%d/metrics", webAddr, c.Ports.ApacheExporter),
		ExporterMtail:   fmt.Sprintf("http://%s:%d/metrics", webAddr, c.Ports.Mtail),
		ExporterHAProxy: fmt.Sprintf("http://%s:%d/metrics", lbAddr, c.Ports.HAProxyExporter),
	}
	probe := func(target string) string {
		return fmt.Sprintf("http://%s:%d/probe?module=%s&target=%s", monAddr, c.Ports.Blackbox, ModuleHTTP2xx, target)
	}
	health := fmt.Sprintf("http://%s:%d%s", webAddr, webPort, c.HealthPath)
	urls[ExporterBlackbox] = probe(health)

	// Errors in the log: each request for a missing file is one line at
	// LogLevel info.
	const missing = 7
	if err := eventually(15*time.Second, func() error { _, _, err := get(health); return err }); err != nil {
		t.Fatalf("apache2 does not answer: %v", err)
	}
	// mtail starts reading a log at its end: lines written before it
	// listens are never counted.
	if err := eventually(15*time.Second, func() error { _, err := scrape(urls[ExporterMtail]); return err }); err != nil {
		t.Fatalf("mtail does not answer: %v", err)
	}
	for i := 0; i < missing; i++ {
		if code, _, err := get(fmt.Sprintf("http://%s:%d/missing-%d", webAddr, webPort, i)); err != nil || code != http.StatusNotFound {
			t.Fatalf("request for a missing file: %d %v", code, err)
		}
	}

	scrapes := map[string]map[string][]sample{}
	checks := map[string]func(m map[string][]sample) error{
		ExporterApache: func(m map[string][]sample) error {
			if v, _ := value(m, MetricApacheUp); v != 1 {
				return fmt.Errorf("apache_up = %v", v)
			}
			busy, ok1 := value(m, MetricApacheWorkers, `state="busy"`)
			idle, ok2 := value(m, MetricApacheWorkers, `state="idle"`)
			if !ok1 || !ok2 || busy < 1 || idle < 1 {
				return fmt.Errorf("apache_workers busy=%v idle=%v", busy, idle)
			}
			return nil
		},
		ExporterMtail: func(m map[string][]sample) error {
			if v, _ := value(m, MetricApacheErrorLogLines); v < missing {
				b, _ := os.ReadFile(errorLog)
				return fmt.Errorf("%s = %v, want >= %d; the log has %d lines", MetricApacheErrorLogLines, v, missing, bytes.Count(b, []byte("\n")))
			}
			return nil
		},
		ExporterHAProxy: func(m map[string][]sample) error {
			for _, want := range []struct {
				name     string
				matchers []string
				v        float64
			}{
				{MetricHAProxyServerStatus, []string{`server="web1"`, `state="UP"`}, 1},
				{MetricHAProxyServerStatus, []string{`server="web2"`, `state="DOWN"`}, 1},
				{MetricHAProxyBackendActiveServers, []string{`proxy="web"`}, 1},
				{MetricHAProxyBackendResponses, []string{`proxy="web"`, `code="2xx"`}, 1},
				{MetricHAProxyBackendResponses, []string{`proxy="web"`, `code="5xx"`}, 0},
			} {
				if v, ok := value(m, want.name, want.matchers...); !ok || v != want.v {
					return fmt.Errorf("%s%v = %v (present %v), want %v", want.name, want.matchers, v, ok, want.v)
				}
			}
			return nil
		},
		ExporterBlackbox: func(m map[string][]sample) error {
			if v, _ := value(m, MetricProbeSuccess); v != 1 {
				return fmt.Errorf("probe of %s: probe_success = %v", health, v)
			}
			return nil
		},
	}
	// One request through the frontend once HAProxy's check found web1
	// up: exactly one 2xx response and no 5xx.
	if err := eventually(15*time.Second, func() error {
		m, err := scrape(urls[ExporterHAProxy])
		if err != nil {
			return err
		}
		if v, _ := value(m, MetricHAProxyServerStatus, `server="web1"`, `state="UP"`); v != 1 {
			return fmt.Errorf("web1 not UP yet")
		}
		return nil
	}); err != nil {
		t.Fatalf("haproxy: %v", err)
	}
	if code, _, err := get(fmt.Sprintf("http://%s:%d%s", lbAddr, vipPort, c.HealthPath)); err != nil || code != http.StatusOK {
		t.Fatalf("request through haproxy: %d %v", code, err)
	}
	for _, exp := range []string{ExporterApache, ExporterMtail, ExporterHAProxy, ExporterBlackbox} {
		if err := eventually(15*time.Second, func() error {
			m, err := scrape(urls[exp])
			if err != nil {
				return err
			}
			scrapes[exp] = m
			return checks[exp](m)
		}); err != nil {
			t.Errorf("%s (%s): %v", exp, urls[exp], err)
			continue
		}
		for _, name := range MetricsOf(exp) {
			if _, ok := scrapes[exp][name]; !ok {
				t.Errorf("%s: metric %s used by the alert rules is not in a real scrape of %s", exp, name, urls[exp])
			} else {
				t.Logf("verified in a real scrape of %s: %s", exp, name)
			}
		}
	}
	// A failing probe says 0, not nothing: the rules compare with == 0.
	for name, target := range map[string]string{
		"closed port":     fmt.Sprintf("http://%s:%d%s", deadWeb, webPort, c.HealthPath),
		"404 health path": fmt.Sprintf("http://%s:%d/nothing-here", webAddr, webPort),
	} {
		m, err := scrape(probe(target))
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := value(m, MetricProbeSuccess); !ok || v != 0 {
			t.Errorf("probe of %s (%s): probe_success = %v (present %v), want 0", name, target, v, ok)
		}
	}
	// The mtail metric names in the rendered program and in Metrics agree
	// with what mtail exported.
	var names []string
	for n := range scrapes[ExporterMtail] {
		if strings.HasPrefix(n, "apache_") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	t.Logf("mtail exported %v", names)
	t.Logf("scrape test took %v", time.Since(began).Round(time.Millisecond))
}

// TestAlertmanagerInhibits starts Alertmanager with the rendered config and
// the rendered ARGS, sends it alerts, and reads back which are inhibited:
// a VIP that answers nobody silences the per-server alerts, not the
// others.
func TestAlertmanagerInhibits(t *testing.T) {
	realtool.Need(t, "prometheus-alertmanager")
	c := scrapeTestConfig(t, "/var/log/apache2/error.log")
	c.AgentListenHost = monAddr
	c.Ports.Alertmanager = 19093 // not the scrape test's ports: the tests may run at once
	f := mustRender(t, c)
	dir := writeFiles(t, f)
	args := replaceConfigFile(defaultArgs(t, f[FileDefaultAlertmgr]), filepath.Join(dir, FileAlertmanager))
	start(t, "prometheus-alertmanager", append(args, "--storage.path="+t.TempDir())...)
	api := fmt.Sprintf("http://%s:%d/api/v2/alerts", monAddr, c.Ports.Alertmanager)

	alert := func(name, severity string, kv ...string) map[string]any {
		l := map[string]string{"alertname": name, "severity": severity, "environment": "lab"}
		for i := 0; i < len(kv); i += 2 {
			l[kv[i]] = kv[i+1]
		}
		return map[string]any{"labels": l}
	}
	body, _ := json.Marshal([]map[string]any{
		alert(AlertVIPNotAnswering, SeverityPage, "job", "vip", "probe", "health"),
		alert(AlertWebServerNotServing, SeverityTicket, "node", "web1"),
		alert(AlertHAProxyServerDown, SeverityTicket, "node", "lb1", "proxy", "web", "server", "web1"),
		alert(AlertApacheErrorLogGrowing, SeverityTicket, "node", "web1"),
	})
	if err := eventually(15*time.Second, func() error {
		resp, err := client.Post(api, "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("POST alerts: HTTP %d", resp.StatusCode)
		}
		return nil
	}); err != nil {
		t.Fatalf("alertmanager did not take alerts: %v", err)
	}
	want := map[string]bool{ // alertname -> inhibited
		AlertVIPNotAnswering: false, AlertWebServerNotServing: true, AlertHAProxyServerDown: true, AlertApacheErrorLogGrowing: false,
	}
	var got map[string]bool
	err := eventually(10*time.Second, func() error {
		_, b, err := get(api)
		if err != nil {
			return err
		}
		var alerts []struct {
			Labels map[string]string `json:"labels"`
			Status struct {
				InhibitedBy []string `json:"inhibitedBy"`
			} `json:"status"`
		}
		if err := json.Unmarshal([]byte(b), &alerts); err != nil {
			return err
		}
		got = map[string]bool{}
		for _, a := range alerts {
			got[a.Labels["alertname"]] = len(a.Status.InhibitedBy) > 0
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("inhibited %v, want %v", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
