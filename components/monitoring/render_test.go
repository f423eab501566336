package monitoring

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRenderRejectsBadInput(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		mutate func(*Config)
		want   []string // substrings of the error, each naming a field
	}{
		"no web targets":       {func(c *Config) { c.Web = nil }, []string{"monitoring: web: no targets"}},
		"no lbs and no app":    {func(c *Config) { c.LBs, c.App = nil, nil }, []string{"monitoring: lbs: no targets", "monitoring: app: no targets"}},
		"address with port":    {func(c *Config) { c.Web[1].Address = "10.99.0.22:80" }, []string{"web[1].address"}},
		"address with scheme":  {func(c *Config) { c.LBs[0].Address = "http://lb1" }, []string{"lbs[0].address"}},
		"empty address":        {func(c *Config) { c.App[0].Address = "" }, []string{"app[0].address: is empty"}},
		"bad vip":              {func(c *Config) { c.VIP = "10.99.0.300 " }, []string{"monitoring: vip:"}},
		"duplicate name":       {func(c *Config) { c.Web[1].Name = "web1" }, []string{`web[1].name: "web1" is also the name of web[0]`}},
		"bad name":             {func(c *Config) { c.Monitor.Name = "mon 1" }, []string{"monitor.name"}},
		"no environment":       {func(c *Config) { c.Environment = "" }, []string{"environment: is empty"}},
		"ratio above one":      {func(c *Config) { c.Thresholds.BusyWorkersRatio = 1.5 }, []string{"thresholds.busyWorkersRatio: 1.5 is not in (0, 1]"}},
		"negative 5xx ratio":   {func(c *Config) { c.Thresholds.HTTP5xxRatio = -0.1 }, []string{"thresholds.http5xxRatio"}},
		"negative error rate":  {func(c *Config) { c.Thresholds.ErrorLogLinesPerMinute = -1 }, []string{"thresholds.errorLogLinesPerMinute"}},
		"bad for":              {func(c *Config) { c.Thresholds.For = "1 minute" }, []string{"thresholds.for"}},
		"zero for":             {func(c *Config) { c.Thresholds.WebServerDownFor = "0s" }, []string{"thresholds.webServerDownFor"}},
		"bad port":             {func(c *Config) { c.Ports.Mtail = 70000 }, []string{"ports.mtail: 70000"}},
		"relative health path": {func(c *Config) { c.HealthPath = "healthz" }, []string{"healthPath"}},
		"relative error log":   {func(c *Config) { c.ErrorLogPath = "error.log" }, []string{"errorLogPath"}},
		"bad status url":       {func(c *Config) { c.ServerStatusURL = "localhost/server-status" }, []string{"serverStatusURL"}},
		"unknown receiver kind": {func(c *Config) { c.Alertmanager.Page = Receiver{Kind: "pager"} }, []string{
			`alertmanager.page.kind: unknown receiver kind "pager"`}},
		"email without smarthost": {func(c *Config) {
			c.Alertmanager.Ticket = Receiver{Kind: ReceiverEmail, From: "am@example.org", To: "ops@example.org"}
		}, []string{"alertmanager.ticket.smarthost"}},
		"email bad to": {func(c *Config) {
			c.Alertmanager.Page = Receiver{Kind: ReceiverEmail, Smarthost: "smtp.example.org:25", From: "am@example.org", To: "not an address"}
		}, []string{"alertmanager.page.to"}},
		"password without user": {func(c *Config) {
			c.Alertmanager.Page = Receiver{Kind: ReceiverEmail, Smarthost: "smtp.example.org:25", From: "am@example.org", To: "ops@example.org", AuthPasswordFile: "/etc/prometheus/smtp"}
		}, []string{"alertmanager.page.authPasswordFile"}},
		"webhook without url": {func(c *Config) { c.Alertmanager.Page = Receiver{Kind: ReceiverWebhook} }, []string{"alertmanager.page.url"}},
		"webhook url with credentials": {func(c *Config) {
			c.Alertmanager.Page = Receiver{Kind: ReceiverWebhook, URL: "https://user:pw@hooks.example.org/x"}
		}, []string{"alertmanager.page.url: carries credentials"}},
		"settings on none": {func(c *Config) { c.Alertmanager.Ticket = Receiver{URL: "http://x"} }, []string{"alertmanager.ticket.kind: is none"}},
		"every problem at once": {func(c *Config) {
			c.Web, c.VIP, c.Thresholds.HTTP5xxRatio = nil, "", 2
		}, []string{"web: no targets", "vip: is empty", "http5xxRatio"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := labConfig()
			tc.mutate(&c)
			f, err := Render(c)
			if err == nil {
				t.Fatalf("Render accepted the config and returned %d files", len(f))
			}
			if f != nil {
				t.Errorf("Render returned files along with the error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestRenderRulesRejectsBadThresholds(t *testing.T) {
	t.Parallel()
	_, err := RenderRules(Config{Thresholds: Thresholds{BusyWorkersRatio: 2, RateWindow: "5"}})
	if err == nil || !strings.Contains(err.Error(), "busyWorkersRatio") || !strings.Contains(err.Error(), "rateWindow") {
		t.Fatalf("want errors naming busyWorkersRatio and rateWindow, got %v", err)
	}
	// Targets are not needed for the rules alone.
	if _, err := RenderRules(Config{}); err != nil {
		t.Fatalf("RenderRules of the zero config: %v", err)
	}
}

func TestRenderFiles(t *testing.T) {
	t.Parallel()
	f := mustRender(t, labConfig())
	var keys []string
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{
		"alertmanager.yml", "blackbox.yml", "default/mtail", "default/prometheus", "default/prometheus-alertmanager",
		"default/prometheus-apache-exporter", "default/prometheus-blackbox-exporter", "default/prometheus-node-exporter",
		"mtail/apache_errors.mtail", "prometheus.yml", "rules/hawebtier.rules.yml",
	}
	if d := cmp.Diff(want, keys); d != "" {
		t.Errorf("keys (-want +got):\n%s", d)
	}
	// Every role's files are rendered, and the install paths are the
	// Debian packages' own.
	for _, role := range []string{RoleLB, RoleWeb, RoleApp, RoleMonitor} {
		rf, err := RoleFiles(f, role)
		if err != nil {
			t.Fatal(err)
		}
		if len(rf) != len(roleFiles[role]) {
			t.Errorf("role %s: %d files, want %d", role, len(rf), len(roleFiles[role]))
		}
	}
	if _, err := RoleFiles(f, "db"); err == nil {
		t.Error("RoleFiles accepted role db")
	}
	for key, want := range map[string]string{
		FilePrometheus: "/etc/prometheus/prometheus.yml", FileRules: "/etc/prometheus/rules/hawebtier.rules.yml",
		FileMtailProgram: "/etc/mtail/apache_errors.mtail", FileDefaultMtail: "/etc/default/mtail",
	} {
		if got := InstallPath(key); got != want {
			t.Errorf("InstallPath(%s) = %s, want %s", key, got, want)
		}
	}
	// Nothing secret-looking: the password and token stay in files the
	// node receives another way.
	c := labConfig()
	c.Alertmanager.Page = Receiver{Kind: ReceiverEmail, Smarthost: "smtp.example.org:587", From: "am@example.org", To: "ops@example.org",
		AuthUsername: "am", AuthPasswordFile: "/etc/prometheus/smtp-password"}
	c.Alertmanager.Ticket = Receiver{Kind: ReceiverWebhook, URL: "https://tickets.example.org/hook", BearerTokenFile: "/etc/prometheus/ticket-token"}
	am := mustRender(t, c)[FileAlertmanager]
	for _, want := range []string{"auth_password_file: /etc/prometheus/smtp-password", "credentials_file: /etc/prometheus/ticket-token", "require_tls: true"} {
		if !strings.Contains(am, want) {
			t.Errorf("alertmanager.yml lacks %q:\n%s", want, am)
		}
	}
}

func TestAgentListenHostAndPorts(t *testing.T) {
	t.Parallel()
	c := labConfig()
	c.AgentListenHost = "127.0.0.5"
	c.Ports.ApacheExporter = 19117
	c.Ports.WebHTTP = 8081
	f := mustRender(t, c)
	if got, want := f[FileDefaultApache], `ARGS="--telemetry.address=127.0.0.5:19117 --scrape_uri=http://127.0.0.1:8081/server-status?auto"`; !strings.Contains(got, want) {
		t.Errorf("apache exporter settings %q lack %q", got, want)
	}
	if got := f[FileDefaultMtail]; !strings.Contains(got, "HOST=127.0.0.5\n") || !strings.Contains(got, "LOGS=/var/log/apache2/error.log\n") {
		t.Errorf("mtail settings: %q", got)
	}
	if p := f[FilePrometheus]; !strings.Contains(p, "- 10.99.0.21:19117") || !strings.Contains(p, "http://10.99.0.22:8081/healthz") {
		t.Errorf("prometheus.yml does not use the remapped ports:\n%s", p)
	}
}

// TestMetricsCoverRules parses the rule expressions and checks that
// Metrics names exactly the metrics they use (plus up): a metric added to
// a rule but not to Metrics would escape the real-scrape check.
func TestMetricsCoverRules(t *testing.T) {
	t.Parallel()
	c := labConfig().WithDefaults()
	used := map[string]bool{}
	for _, r := range c.rules() {
		for _, m := range metricNames(r.Expr) {
			used[m] = true
		}
	}
	delete(used, "up")
	var got []string
	for m := range used {
		got = append(got, m)
	}
	slices.Sort(got)
	if d := cmp.Diff(Metrics(), got); d != "" {
		t.Errorf("Metrics() (-) vs names used in rules (+):\n%s", d)
	}
	for _, m := range Metrics() {
		if metricExporter[m] == "" {
			t.Errorf("metric %s has no exporter", m)
		}
	}
}

var (
	labelMatchersRE = regexp.MustCompile(`\{[^}]*\}`)
	groupingRE      = regexp.MustCompile(`\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	rangeRE         = regexp.MustCompile(`\[[^\]]*\]`)
	identRE         = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?`)
	promqlKeywords  = map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "offset": true}
)

// metricNames finds the metric names in a PromQL expression: identifiers
// outside label matchers, grouping clauses and ranges that are neither
// functions nor keywords.
func metricNames(expr string) []string {
	e := labelMatchersRE.ReplaceAllString(expr, " ")
	e = groupingRE.ReplaceAllString(e, " ")
	e = rangeRE.ReplaceAllString(e, " ")
	var out []string
	for _, m := range identRE.FindAllString(e, -1) {
		if strings.HasSuffix(m, "(") || promqlKeywords[m] {
			continue
		}
		out = append(out, m)
	}
	return out
}

func TestMetricNamesParser(t *testing.T) {
	t.Parallel()
	got := metricNames(`sum by (node) (rate(a_total{job="x",code="5xx"}[2m])) / on (node) b > 0.5 or up == bool 0`)
	if d := cmp.Diff([]string{"a_total", "b", "up"}, got); d != "" {
		t.Error(d)
	}
}
