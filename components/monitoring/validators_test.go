package monitoring

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/internal/realtool"
)

// fullConfig uses every receiver kind and option, so the validators see
// all of the rendered syntax.
func fullConfig() Config {
	c := labConfig()
	c.Alertmanager.Page = Receiver{Kind: ReceiverEmail, Smarthost: "smtp.example.org:587", From: "alertmanager@example.org",
		To: "oncall@example.org, ops@example.org", AuthUsername: "am", AuthPasswordFile: "/etc/prometheus/smtp-password"}
	c.Alertmanager.Ticket = Receiver{Kind: ReceiverWebhook, URL: "https://tickets.example.org/hook", BearerTokenFile: "/etc/prometheus/ticket-token"}
	c.ApacheMaxRequestWorkers = 400
	return c
}

// check runs a validator in dir and reports whether it accepted.
func check(t *testing.T, dir string, argv ...string) (bool, string) {
	t.Helper()
	res := run(t, dir, argv...)
	return res.ExitCode == 0, res.Output()
}

func run(t *testing.T, dir string, argv ...string) realtool.Result {
	t.Helper()
	res, err := realtool.RunIn(time.Minute, dir, nil, argv[0], argv[1:]...)
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(argv, " "), err)
	}
	return res
}

// TestValidatorsAcceptRenderedAndRejectBroken runs each real program on
// what Render wrote, then on a deliberately broken variant of the same
// file, which it must reject.
func TestValidatorsAcceptRenderedAndRejectBroken(t *testing.T) {
	t.Parallel()
	realtool.Need(t, "promtool", "amtool", "mtail", "prometheus-blackbox-exporter")
	f := mustRender(t, fullConfig())
	tests := map[string]struct {
		file    string
		argv    func(dir string) []string
		corrupt func(s string) string
	}{
		"promtool check config": {FilePrometheus,
			// Run from another directory: the relative rule_files entry must
			// resolve against the config file's directory.
			func(dir string) []string {
				return []string{"promtool", "check", "config", filepath.Join(dir, FilePrometheus)}
			},
			func(s string) string { return strings.Replace(s, "job_name: apache\n", "job_name: haproxy\n", 1) }}, // duplicate job name
		"promtool check rules": {FileRules,
			func(dir string) []string {
				return []string{"promtool", "check", "rules", filepath.Join(dir, FileRules)}
			},
			func(s string) string { return strings.Replace(s, "[2m])", "[2m]", 1) }},
		"amtool check-config": {FileAlertmanager,
			func(dir string) []string {
				return []string{"amtool", "check-config", filepath.Join(dir, FileAlertmanager)}
			},
			func(s string) string { return strings.Replace(s, "receiver: page\n", "receiver: pager\n", 1) }}, // undefined receiver
		"blackbox --config.check": {FileBlackbox,
			func(dir string) []string {
				return []string{"prometheus-blackbox-exporter", "--config.check", "--config.file", filepath.Join(dir, FileBlackbox)}
			},
			func(s string) string { return strings.Replace(s, "method: GET", "methd: GET", 1) }},
		"mtail --compile_only": {FileMtailProgram,
			func(dir string) []string {
				return []string{"mtail", "--compile_only", "--logtostderr", "--address", "127.0.0.1", "--port", "0",
					"--progs", filepath.Join(dir, filepath.Dir(FileMtailProgram))}
			},
			func(s string) string {
				return strings.Replace(s, "apache_error_log_lines_total++", "apache_error_lines_total++", 1)
			}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := writeFiles(t, f)
			if ok, out := check(t, t.TempDir(), tc.argv(dir)...); !ok {
				t.Fatalf("rejected the rendered %s:\n%s", tc.file, out)
			}
			broken := tc.corrupt(f[tc.file])
			if broken == f[tc.file] {
				t.Fatalf("the broken variant of %s is unchanged", tc.file)
			}
			bdir := writeFiles(t, Files{tc.file: broken, FileRules: f[FileRules]})
			if tc.file == FileRules {
				bdir = writeFiles(t, Files{tc.file: broken})
			}
			if ok, out := check(t, t.TempDir(), tc.argv(bdir)...); ok {
				t.Fatalf("accepted a broken %s:\n%s", tc.file, out)
			}
		})
	}
}

// TestPrometheusConfigRuleFiles: the rule file is found relative to
// prometheus.yml, and by an absolute path, and a missing one is an error.
func TestPrometheusConfigRuleFiles(t *testing.T) {
	t.Parallel()
	realtool.Need(t, "promtool")
	f := mustRender(t, labConfig())
	dir := writeFiles(t, f)
	ok, out := check(t, "/", "promtool", "check", "config", filepath.Join(dir, FilePrometheus))
	if !ok || !strings.Contains(out, "1 rule files found") || !strings.Contains(out, "10 rules found") {
		t.Fatalf("relative rule_files: ok=%v\n%s", ok, out)
	}
	abs := strings.Replace(f[FilePrometheus], "- "+RulesFile, "- "+filepath.Join(dir, RulesFile), 1)
	p := filepath.Join(t.TempDir(), "abs.yml")
	if err := os.WriteFile(p, []byte(abs), 0o644); err != nil {
		t.Fatal(err)
	}
	if ok, out := check(t, "/", "promtool", "check", "config", p); !ok || !strings.Contains(out, "10 rules found") {
		t.Fatalf("absolute rule_files: ok=%v\n%s", ok, out)
	}
	if err := os.Remove(filepath.Join(dir, RulesFile)); err != nil {
		t.Fatal(err)
	}
	if ok, out := check(t, "/", "promtool", "check", "config", filepath.Join(dir, FilePrometheus)); ok {
		t.Fatalf("accepted a config whose rule file is missing:\n%s", out)
	}
}

// TestAlertmanagerRoutesBySeverity asks amtool which receiver each alert
// reaches.
func TestAlertmanagerRoutesBySeverity(t *testing.T) {
	t.Parallel()
	realtool.Need(t, "amtool")
	dir := writeFiles(t, mustRender(t, fullConfig()))
	tests := map[string]struct {
		labels []string
		want   string
	}{
		"page":       {[]string{"alertname=VIPNotAnswering", "severity=page"}, ReceiverNamePage},
		"ticket":     {[]string{"alertname=WebServerNotServing", "severity=ticket"}, ReceiverNameTicket},
		"unlabelled": {[]string{"alertname=Other"}, ReceiverNameTicket},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			argv := append([]string{"amtool", "config", "routes", "test", "--config.file", filepath.Join(dir, FileAlertmanager)}, tc.labels...)
			res := run(t, dir, argv...)
			if got := strings.TrimSpace(res.Stdout); res.ExitCode != 0 || got != tc.want {
				t.Errorf("%v reached %q (exit %d), want %q\n%s", tc.labels, got, res.ExitCode, tc.want, res.Stderr)
			}
		})
	}
}
