package monitoring

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hawebtier/hawebtier/internal/realtool"
)

// series is one input series of a promtool unit test.
type series struct{ Series, Values string }

// ruleCase: input series and the alerts expected at evalTime. want holds
// the labels each expected alert has beyond alertname, severity and
// component (which the rule adds); an empty want means "does not fire".
type ruleCase struct {
	alert    string
	thresh   Thresholds // zero: defaults
	maxWork  int        // Config.ApacheMaxRequestWorkers
	input    []series
	evalTime string // default "3m"
	want     []map[string]string
}

const (
	webHealth1 = `{job="web_health",node="web1",role="web",instance="http://10.99.0.21/healthz"}`
	webHealth2 = `{job="web_health",node="web2",role="web",instance="http://10.99.0.22/healthz"}`
	apache1    = `{job="apache",node="web1",role="web",instance="10.99.0.21:9117"}`
	apache2    = `{job="apache",node="web2",role="web",instance="10.99.0.22:9117"}`
	lb1        = `job="haproxy",node="lb1",role="lb",instance="10.99.0.11:8404"`
	vipHealth  = `{job="vip",probe="health",instance="http://10.99.0.10/healthz"}`
	vipApp     = `{job="vip",probe="app",instance="http://10.99.0.10/app/hello.jsp"}`
	mtail1     = `{job="mtail",node="web1",role="web",instance="10.99.0.21:3903",prog="apache_errors.mtail"}`
)

func lbl(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

var lb1Labels = []string{"job", "haproxy", "node", "lb1", "role", "lb", "instance", "10.99.0.11:8404"}

func serverStatus(server, state, values string) series {
	return series{fmt.Sprintf(`haproxy_server_status{%s,proxy="web",server=%q,state=%q}`, lb1, server, state), values}
}

func responses(code, values string) series {
	return series{fmt.Sprintf(`haproxy_backend_http_responses_total{%s,proxy="web",code=%q}`, lb1, code), values}
}

// ruleCases shows every alert firing and not firing. Samples are 15 s
// apart; "0x20" is 21 samples, five minutes.
var ruleCases = map[string]ruleCase{
	"web server: probe fails": {alert: AlertWebServerNotServing,
		input: []series{{"probe_success" + webHealth1, "0x20"}, {"apache_up" + apache1, "1x20"},
			{"probe_success" + webHealth2, "1x20"}, {"apache_up" + apache2, "1x20"}},
		want: []map[string]string{lbl("node", "web1")}},
	"web server: server-status fails, port still answers": {alert: AlertWebServerNotServing,
		input: []series{{"probe_success" + webHealth1, "1x20"}, {"apache_up" + apache1, "0x20"}},
		want:  []map[string]string{lbl("node", "web1")}},
	"web server: both healthy": {alert: AlertWebServerNotServing,
		input: []series{{"probe_success" + webHealth1, "1x20"}, {"apache_up" + apache1, "1x20"}}},
	"web server: one failed probe is not an outage": {alert: AlertWebServerNotServing,
		input: []series{{"probe_success" + webHealth1, "1x10 0 1x9"}, {"apache_up" + apache1, "1x20"}}},

	"haproxy server down": {alert: AlertHAProxyServerDown,
		input: []series{serverStatus("web1", "DOWN", "1x20"), serverStatus("web1", "UP", "0x20"),
			serverStatus("web2", "DOWN", "0x20"), serverStatus("web2", "UP", "1x20")},
		want: []map[string]string{lbl(append(lb1Labels, "proxy", "web", "server", "web1", "state", "DOWN")...)}},
	"haproxy servers up": {alert: AlertHAProxyServerDown,
		input: []series{serverStatus("web1", "DOWN", "0x20"), serverStatus("web1", "UP", "1x20")}},
	"haproxy server in maintenance is not down": {alert: AlertHAProxyServerDown,
		input: []series{serverStatus("web1", "DOWN", "0x20"), serverStatus("web1", "MAINT", "1x20")}},
	"haproxy server flapping shorter than for": {alert: AlertHAProxyServerDown,
		input: []series{serverStatus("web1", "DOWN", "0x8 1x2 0x10")}},

	"backend without servers": {alert: AlertHAProxyBackendNoServers,
		input: []series{{`haproxy_backend_active_servers{` + lb1 + `,proxy="web"}`, "0x20"}, serverStatus("web1", "DOWN", "1x20"),
			{`haproxy_backend_active_servers{` + lb1 + `,proxy="stats"}`, "0x20"}},
		want: []map[string]string{lbl(append(lb1Labels, "proxy", "web")...)}},
	"backend with servers": {alert: AlertHAProxyBackendNoServers,
		input: []series{{`haproxy_backend_active_servers{` + lb1 + `,proxy="web"}`, "2x20"}, serverStatus("web1", "UP", "1x20")}},
	"stats proxy has no servers by design": {alert: AlertHAProxyBackendNoServers,
		input: []series{{`haproxy_backend_active_servers{` + lb1 + `,proxy="stats"}`, "0x20"}}},

	"error log: 20 lines a minute": {alert: AlertApacheErrorLogGrowing,
		input: []series{{"apache_error_log_lines_total" + mtail1, "0+5x20"}},
		want:  []map[string]string{lbl("job", "mtail", "node", "web1", "role", "web", "instance", "10.99.0.21:3903", "prog", "apache_errors.mtail")}},
	"error log: 8 lines a minute": {alert: AlertApacheErrorLogGrowing,
		input: []series{{"apache_error_log_lines_total" + mtail1, "0+2x20"}}},
	"error log: 20 lines a minute under a threshold of 30": {alert: AlertApacheErrorLogGrowing, thresh: Thresholds{ErrorLogLinesPerMinute: 30},
		input: []series{{"apache_error_log_lines_total" + mtail1, "0+5x20"}}},

	"busy workers: 140 of 150": {alert: AlertApacheBusyWorkersHigh,
		input: []series{{`apache_workers{job="apache",node="web1",state="busy"}`, "140x20"}, {`apache_workers{job="apache",node="web1",state="idle"}`, "10x20"}},
		want:  []map[string]string{lbl("node", "web1")}},
	"busy workers: 50 of 150": {alert: AlertApacheBusyWorkersHigh,
		input: []series{{`apache_workers{job="apache",node="web1",state="busy"}`, "50x20"}, {`apache_workers{job="apache",node="web1",state="idle"}`, "100x20"}}},
	"busy workers: 100 of MaxRequestWorkers 400": {alert: AlertApacheBusyWorkersHigh, maxWork: 400,
		input: []series{{`apache_workers{job="apache",node="web1",state="busy"}`, "100x20"}, {`apache_workers{job="apache",node="web1",state="idle"}`, "0x20"}}},
	"busy workers: 390 of MaxRequestWorkers 400": {alert: AlertApacheBusyWorkersHigh, maxWork: 400,
		input: []series{{`apache_workers{job="apache",node="web1",state="busy"}`, "390x20"}, {`apache_workers{job="apache",node="web1",state="idle"}`, "10x20"}},
		want:  []map[string]string{lbl("node", "web1")}},

	"5xx: 10 percent": {alert: AlertHTTP5xxRateHigh,
		input: []series{responses("5xx", "0+10x20"), responses("2xx", "0+90x20")},
		want:  []map[string]string{lbl("node", "lb1", "proxy", "web")}},
	"5xx: 1 percent": {alert: AlertHTTP5xxRateHigh,
		input: []series{responses("5xx", "0+1x20"), responses("2xx", "0+99x20")}},
	"5xx: no traffic (the BACKUP)": {alert: AlertHTTP5xxRateHigh,
		input: []series{responses("5xx", "0x20"), responses("2xx", "0x20")}},

	"vip answered by nobody": {alert: AlertVIPNotAnswering,
		input: []series{{"probe_success" + vipHealth, "0x20"}, {"probe_success" + vipApp, "0x20"}},
		want:  []map[string]string{lbl("job", "vip", "probe", "health", "instance", "http://10.99.0.10/healthz")}},
	"vip answers": {alert: AlertVIPNotAnswering,
		input: []series{{"probe_success" + vipHealth, "1x20"}}},
	"vip answers, dynamic page fails": {alert: AlertVIPNotAnswering,
		input: []series{{"probe_success" + vipHealth, "1x20"}, {"probe_success" + vipApp, "0x20"}}},

	"dynamic page fails": {alert: AlertAppPageFailing,
		input: []series{{"probe_success" + vipHealth, "1x20"}, {"probe_success" + vipApp, "0x20"}},
		want:  []map[string]string{lbl("job", "vip", "probe", "app", "instance", "http://10.99.0.10/app/hello.jsp")}},
	"dynamic page works": {alert: AlertAppPageFailing,
		input: []series{{"probe_success" + vipApp, "1x20"}}},

	"tomcat status fails": {alert: AlertAppServerNotServing,
		input: []series{{`probe_success{job="app_status",node="app1",instance="http://10.99.0.31:8080/status/metrics.jsp"}`, "0x20"}},
		want:  []map[string]string{lbl("job", "app_status", "node", "app1", "instance", "http://10.99.0.31:8080/status/metrics.jsp")}},
	"tomcat status works": {alert: AlertAppServerNotServing,
		input: []series{{`probe_success{job="app_status",node="app1",instance="http://10.99.0.31:8080/status/metrics.jsp"}`, "1x20"}}},

	"exporter down": {alert: AlertScrapeTargetDown,
		input: []series{{`up{job="mtail",node="web1",instance="10.99.0.21:3903"}`, "0x20"}},
		want:  []map[string]string{lbl("job", "mtail", "node", "web1", "instance", "10.99.0.21:3903")}},
	"exporter up": {alert: AlertScrapeTargetDown,
		input: []series{{`up{job="mtail",node="web1",instance="10.99.0.21:3903"}`, "1x20"}}},
}

type expAlert struct {
	ExpLabels      map[string]string `yaml:"exp_labels"`
	ExpAnnotations map[string]string `yaml:"exp_annotations"`
}

type alertTest struct {
	EvalTime  string     `yaml:"eval_time"`
	Alertname string     `yaml:"alertname"`
	ExpAlerts []expAlert `yaml:"exp_alerts"`
}

type unitTest struct {
	Name        string `yaml:"name"`
	Interval    string `yaml:"interval"`
	InputSeries []struct {
		Series string `yaml:"series"`
		Values string `yaml:"values"`
	} `yaml:"input_series"`
	AlertRuleTest []alertTest `yaml:"alert_rule_test"`
}

type unitFile struct {
	RuleFiles          []string   `yaml:"rule_files"`
	EvaluationInterval string     `yaml:"evaluation_interval"`
	Tests              []unitTest `yaml:"tests"`
}

var labelRefRE = regexp.MustCompile(`\{\{ \$labels\.(\w+) \}\}`)

// testFiles turns cases into promtool unit-test files, one per distinct
// rules rendering (cases with other thresholds get their own rule file),
// written into dir. It returns the test files' paths.
func testFiles(t *testing.T, dir string, cases map[string]ruleCase) []string {
	t.Helper()
	files := map[string]*unitFile{} // by rules text
	var order []string
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		tc := cases[name]
		c := Config{Thresholds: tc.thresh, ApacheMaxRequestWorkers: tc.maxWork}
		text, err := RenderRules(c)
		if err != nil {
			t.Fatal(err)
		}
		uf, ok := files[text]
		if !ok {
			rf := fmt.Sprintf("rules%d.yml", len(order))
			if err := os.WriteFile(filepath.Join(dir, rf), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			uf = &unitFile{RuleFiles: []string{rf}, EvaluationInterval: "15s"}
			files[text] = uf
			order = append(order, text)
		}
		var rule Rule
		for _, r := range c.WithDefaults().rules() {
			if r.Alert == tc.alert {
				rule = r
			}
		}
		if rule.Alert == "" {
			t.Fatalf("case %q: no rule %s", name, tc.alert)
		}
		ut := unitTest{Name: name, Interval: "15s"}
		for _, s := range tc.input {
			ut.InputSeries = append(ut.InputSeries, struct {
				Series string `yaml:"series"`
				Values string `yaml:"values"`
			}{s.Series, s.Values})
		}
		at := alertTest{EvalTime: tc.evalTime, Alertname: tc.alert, ExpAlerts: []expAlert{}}
		if at.EvalTime == "" {
			at.EvalTime = "3m"
		}
		for _, w := range tc.want {
			labels := map[string]string{}
			for k, v := range w {
				labels[k] = v
			}
			for k, v := range rule.Labels {
				labels[k] = v
			}
			ann := map[string]string{}
			for k, v := range rule.Annotations {
				ann[k] = labelRefRE.ReplaceAllStringFunc(v, func(ref string) string {
					return labels[labelRefRE.FindStringSubmatch(ref)[1]]
				})
			}
			at.ExpAlerts = append(at.ExpAlerts, expAlert{ExpLabels: labels, ExpAnnotations: ann})
		}
		ut.AlertRuleTest = []alertTest{at}
		uf.Tests = append(uf.Tests, ut)
	}
	var paths []string
	for i, text := range order {
		b, err := yaml.Marshal(files[text])
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("rules%d_test.yml", i))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// TestRulesFireAndStayQuiet runs promtool test rules on every case: each
// alert is shown firing (with its exact labels and summary) and not
// firing.
func TestRulesFireAndStayQuiet(t *testing.T) {
	t.Parallel()
	realtool.Need(t, "promtool")
	seen := map[string][2]bool{} // alert -> {fires, quiet}
	for _, tc := range ruleCases {
		s := seen[tc.alert]
		if len(tc.want) > 0 {
			s[0] = true
		} else {
			s[1] = true
		}
		seen[tc.alert] = s
	}
	for _, r := range labConfig().WithDefaults().rules() {
		if s := seen[r.Alert]; !s[0] || !s[1] {
			t.Errorf("alert %s: firing case %v, quiet case %v; want both", r.Alert, s[0], s[1])
		}
	}
	dir := t.TempDir()
	start := time.Now()
	for _, p := range testFiles(t, dir, ruleCases) {
		res, err := realtool.RunIn(time.Minute, dir, nil, "promtool", "test", "rules", filepath.Base(p))
		if err != nil || res.ExitCode != 0 {
			t.Errorf("promtool test rules %s: %v exit %d\n%s", filepath.Base(p), err, res.ExitCode, res.Output())
		}
	}
	t.Logf("promtool test rules: %d cases in %v", len(ruleCases), time.Since(start).Round(time.Millisecond))
}

// TestRulesUnitTestCanFail proves the generated unit tests are not
// vacuous: each case with the opposite expectation makes promtool fail.
func TestRulesUnitTestCanFail(t *testing.T) {
	t.Parallel()
	realtool.Need(t, "promtool")
	for name, tc := range ruleCases {
		if len(tc.want) > 0 {
			tc.want = nil
		} else {
			tc.want = []map[string]string{lbl("node", "web1")}
		}
		dir := t.TempDir()
		p := testFiles(t, dir, map[string]ruleCase{name: tc})[0]
		res, err := realtool.RunIn(time.Minute, dir, nil, "promtool", "test", "rules", filepath.Base(p))
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitCode == 0 || !strings.Contains(res.Output(), "alertname: "+tc.alert) {
			t.Errorf("case %q: promtool did not fail on the flipped expectation (exit %d)\n%s", name, res.ExitCode, res.Output())
		}
	}
}
