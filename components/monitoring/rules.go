package monitoring

import (
	"fmt"
	"slices"
	"strconv"
)

// Alert names.
const (
	AlertWebServerNotServing     = "WebServerNotServing"
	AlertHAProxyServerDown       = "HAProxyServerDown"
	AlertHAProxyBackendNoServers = "HAProxyBackendNoServers"
	AlertApacheErrorLogGrowing   = "ApacheErrorLogGrowing"
	AlertApacheBusyWorkersHigh   = "ApacheBusyWorkersHigh"
	AlertHTTP5xxRateHigh         = "HTTP5xxRateHigh"
	AlertVIPNotAnswering         = "VIPNotAnswering"
	AlertAppPageFailing          = "AppPageFailing"
	AlertAppServerNotServing     = "AppServerNotServing"
	AlertScrapeTargetDown        = "ScrapeTargetDown"
)

// Scrape job names; the rules select on them.
const (
	JobPrometheus   = "prometheus"
	JobAlertmanager = "alertmanager"
	JobBlackbox     = "blackbox"
	JobNode         = "node"
	JobHAProxy      = "haproxy"
	JobApache       = "apache"
	JobMtail        = "mtail"
	JobWebHealth    = "web_health" // blackbox: HealthPath on each web node
	JobAppStatus    = "app_status" // blackbox: AppStatusPath on each Tomcat
	JobVIP          = "vip"        // blackbox: HealthPath and AppPath on the VIP
)

// Exporters that serve the metrics the rules use.
const (
	ExporterHAProxy  = "haproxy"  // HAProxy's built-in exporter, /metrics
	ExporterApache   = "apache"   // prometheus-apache-exporter, /metrics
	ExporterMtail    = "mtail"    // mtail running apache_errors.mtail, /metrics
	ExporterBlackbox = "blackbox" // prometheus-blackbox-exporter, /probe
)

// Metric names the rules use, by exporter. The scrape test checks each in
// a real scrape of its exporter.
const (
	MetricProbeSuccess                = "probe_success"
	MetricApacheUp                    = "apache_up"
	MetricApacheWorkers               = "apache_workers"
	MetricApacheErrorLogLines         = "apache_error_log_lines_total"
	MetricHAProxyServerStatus         = "haproxy_server_status"
	MetricHAProxyBackendActiveServers = "haproxy_backend_active_servers"
	MetricHAProxyBackendResponses     = "haproxy_backend_http_responses_total"
)

var metricExporter = map[string]string{
	MetricProbeSuccess:                ExporterBlackbox,
	MetricApacheUp:                    ExporterApache,
	MetricApacheWorkers:               ExporterApache,
	MetricApacheErrorLogLines:         ExporterMtail,
	MetricHAProxyServerStatus:         ExporterHAProxy,
	MetricHAProxyBackendActiveServers: ExporterHAProxy,
	MetricHAProxyBackendResponses:     ExporterHAProxy,
}

// Metrics returns, sorted, every metric name the alert rules use, except
// "up", which Prometheus records itself for every scrape.
func Metrics() []string {
	out := make([]string, 0, len(metricExporter))
	for m := range metricExporter {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// MetricsOf returns, sorted, the metric names of Metrics that exporter
// (one of the Exporter constants) serves.
func MetricsOf(exporter string) []string {
	var out []string
	for _, m := range Metrics() {
		if metricExporter[m] == exporter {
			out = append(out, m)
		}
	}
	return out
}

// Rule is one alerting rule.
type Rule struct {
	Alert       string            `yaml:"alert"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for,omitempty"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type ruleGroup struct {
	Name  string `yaml:"name"`
	Rules []Rule `yaml:"rules"`
}

type ruleFile struct {
	Groups []ruleGroup `yaml:"groups"`
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// Rules returns the alerting rules for a defaulted, valid config.
func (c Config) rules() []Rule {
	t := c.Thresholds
	w := t.RateWindow
	rule := func(name, severity, component, forDur, expr, summary string) Rule {
		return Rule{
			Alert: name, Expr: expr, For: forDur,
			Labels:      map[string]string{"severity": severity, "component": component},
			Annotations: map[string]string{"summary": summary},
		}
	}
	busyDenominator := fmt.Sprintf(`sum by (node) (%s{job=%q,state=~"busy|idle"})`, MetricApacheWorkers, JobApache)
	if c.ApacheMaxRequestWorkers > 0 {
		busyDenominator = strconv.Itoa(c.ApacheMaxRequestWorkers)
	}
	return []Rule{
		// Both signs, because either alone misses a case: the probe sees
		// what a client sees (hung or erroring httpd, closed port), and
		// apache_up says server-status stopped answering even when the
		// probe's path is served from somewhere else.
		rule(AlertWebServerNotServing, SeverityTicket, "web", t.WebServerDownFor,
			fmt.Sprintf(`min by (node) (%s{job=%q}) == 0 or min by (node) (%s{job=%q}) == 0`,
				MetricProbeSuccess, JobWebHealth, MetricApacheUp, JobApache),
			`Web server {{ $labels.node }} is not serving its health URL or server-status`),
		rule(AlertHAProxyServerDown, SeverityTicket, "lb", t.For,
			fmt.Sprintf(`%s{job=%q,state="DOWN"} == 1`, MetricHAProxyServerStatus, JobHAProxy),
			`HAProxy on {{ $labels.node }} marks server {{ $labels.server }} of {{ $labels.proxy }} DOWN`),
		// Only backends that have servers: a stats-only proxy has none and
		// would always count zero active servers.
		rule(AlertHAProxyBackendNoServers, SeverityPage, "lb", t.For,
			fmt.Sprintf(`%s{job=%q} == 0 and on (instance, proxy) count by (instance, proxy) (%s{job=%q}) > 0`,
				MetricHAProxyBackendActiveServers, JobHAProxy, MetricHAProxyServerStatus, JobHAProxy),
			`HAProxy on {{ $labels.node }} has no active server left in {{ $labels.proxy }}`),
		rule(AlertApacheErrorLogGrowing, SeverityTicket, "web", t.For,
			fmt.Sprintf(`rate(%s{job=%q}[%s]) * 60 > %s`, MetricApacheErrorLogLines, JobMtail, w, num(t.ErrorLogLinesPerMinute)),
			fmt.Sprintf(`The httpd error log on {{ $labels.node }} grows by more than %s lines a minute`, num(t.ErrorLogLinesPerMinute))),
		rule(AlertApacheBusyWorkersHigh, SeverityTicket, "web", t.For,
			fmt.Sprintf(`sum by (node) (%s{job=%q,state="busy"}) / %s > %s`, MetricApacheWorkers, JobApache, busyDenominator, num(t.BusyWorkersRatio)),
			fmt.Sprintf(`More than %s of the httpd workers on {{ $labels.node }} are busy`, num(t.BusyWorkersRatio))),
		// Per load balancer: the BACKUP carries no traffic, and 0/0 is NaN,
		// which never exceeds the threshold.
		rule(AlertHTTP5xxRateHigh, SeverityPage, "lb", t.For,
			fmt.Sprintf(`sum by (node, proxy) (rate(%s{job=%q,code="5xx"}[%s])) / sum by (node, proxy) (rate(%s{job=%q}[%s])) > %s`,
				MetricHAProxyBackendResponses, JobHAProxy, w, MetricHAProxyBackendResponses, JobHAProxy, w, num(t.HTTP5xxRatio)),
			fmt.Sprintf(`More than %s of the responses of {{ $labels.proxy }} on {{ $labels.node }} are 5xx`, num(t.HTTP5xxRatio))),
		rule(AlertVIPNotAnswering, SeverityPage, "lb", t.For,
			fmt.Sprintf(`%s{job=%q,probe="health"} == 0`, MetricProbeSuccess, JobVIP),
			`No load balancer answers on the VIP {{ $labels.instance }}`),
		rule(AlertAppPageFailing, SeverityPage, "app", t.For,
			fmt.Sprintf(`%s{job=%q,probe="app"} == 0`, MetricProbeSuccess, JobVIP),
			`The dynamic page {{ $labels.instance }} fails through the VIP`),
		rule(AlertAppServerNotServing, SeverityTicket, "app", t.For,
			fmt.Sprintf(`%s{job=%q} == 0`, MetricProbeSuccess, JobAppStatus),
			`Tomcat {{ $labels.node }} is not serving its status endpoint`),
		// An exporter that stops answering silently disables the rules
		// that read it.
		rule(AlertScrapeTargetDown, SeverityTicket, "monitoring", t.For,
			`up == 0`,
			`Prometheus cannot scrape {{ $labels.job }} on {{ $labels.node }}`),
	}
}

// RenderRules returns the Prometheus rule file. Only the thresholds (and
// ApacheMaxRequestWorkers) matter, so a caller without targets (the AWS
// side, tests) can render it.
func RenderRules(c Config) (string, error) {
	c = c.WithDefaults()
	errs := c.validateRules()
	if c.ApacheMaxRequestWorkers < 0 {
		errs = append(errs, fmt.Errorf("monitoring: apacheMaxRequestWorkers: %d is negative", c.ApacheMaxRequestWorkers))
	}
	if err := joinSorted(errs); err != nil {
		return "", err
	}
	return marshal("rules", ruleFile{Groups: []ruleGroup{{Name: "hawebtier", Rules: c.rules()}}})
}
