package monitoring

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Target is one node to monitor.
type Target struct {
	// Name is the node's name; it becomes the node label of every series
	// scraped from it and of the alerts about it.
	Name string
	// Address is an IP address or a DNS name, without a port.
	Address string
}

// Thresholds tune the alert rules. A zero field takes its default.
type Thresholds struct {
	// ErrorLogLinesPerMinute: the httpd error log growing faster than this
	// fires ApacheErrorLogGrowing. Default 10.
	ErrorLogLinesPerMinute float64
	// BusyWorkersRatio of busy httpd workers (of MaxRequestWorkers when
	// Config.ApacheMaxRequestWorkers is set, else of busy+idle) fires
	// ApacheBusyWorkersHigh. Default 0.8; in (0, 1].
	BusyWorkersRatio float64
	// HTTP5xxRatio of HAProxy backend responses that are 5xx fires
	// HTTP5xxRateHigh. Default 0.05; in (0, 1].
	HTTP5xxRatio float64
	// For is how long most alert conditions must hold before firing.
	// Default "1m".
	For string
	// WebServerDownFor is the pending duration of WebServerNotServing.
	// Default "30s": a dead web server costs redundancy at once.
	WebServerDownFor string
	// RateWindow is the range of the rate() calls; keep it at least four
	// scrape intervals. Default "2m".
	RateWindow string
}

// Ports are the ports of everything monitored and monitoring. A zero field
// takes its default; the lab remaps them onto 127.0.0.x.
type Ports struct {
	HAProxyExporter int // 8404: HAProxy's built-in exporter (/metrics) on each LB
	NodeExporter    int // 9100: every node
	ApacheExporter  int // 9117: web nodes
	Mtail           int // 3903: web nodes
	Prometheus      int // 9090: monitor
	Alertmanager    int // 9093: monitor
	Blackbox        int // 9115: monitor
	WebHTTP         int // 80: httpd on each web node, probed at HealthPath
	AppHTTP         int // 8080: Tomcat's HTTP connector, probed at AppStatusPath
	VIPHTTP         int // 80: HAProxy's frontend on the VIP
}

// Config describes what to monitor and how to alert.
type Config struct {
	// Environment names the deployment (staging, production); it is an
	// external label of every series and alert.
	Environment string
	// LBs are the HAProxy nodes (built-in exporter, node exporter).
	LBs []Target
	// Web are the httpd nodes (Apache exporter, mtail, node exporter, and
	// the blackbox probe of HealthPath).
	Web []Target
	// App are the Tomcat nodes (node exporter, blackbox probe of
	// AppStatusPath).
	App []Target
	// VIP is the address the load balancers share; the blackbox exporter
	// requests HealthPath and AppPath through it.
	VIP string
	// HealthPath is the health URL httpd serves itself. Default "/healthz".
	HealthPath string
	// AppPath is the dynamic page probed through the VIP. Default
	// "/app/hello.jsp".
	AppPath string
	// AppStatusPath is the status endpoint of each Tomcat, answered on
	// Ports.AppHTTP. Default "/status/metrics.jsp" (package tomcat's
	// StatusPath; not "/status", which Tomcat redirects and the probe does
	// not follow).
	AppStatusPath string
	// Monitor is the node that runs Prometheus, Alertmanager and the
	// blackbox exporter.
	Monitor Target
	// Ports, with defaults.
	Ports Ports
	// Thresholds, with defaults.
	Thresholds Thresholds
	// Alertmanager says where pages and tickets go.
	Alertmanager AlertmanagerConfig
	// ErrorLogPath is the httpd error log mtail tails. Default
	// /var/log/apache2/error.log.
	ErrorLogPath string
	// ServerStatusURL is what the Apache exporter reads on its own node.
	// Default http://127.0.0.1:<Ports.WebHTTP>/server-status?auto (httpd
	// must listen there and allow the request: server-status is
	// localhost-only).
	ServerStatusURL string
	// AgentListenHost is the address the exporters on a node bind. Default
	// "": every address of the node, so the same files serve every node
	// (an AWS Auto Scaling Group shares one user-data).
	AgentListenHost string
	// ApacheMaxRequestWorkers, when set, is the denominator of the busy
	// workers ratio. Unset, the rule divides by busy+idle workers, which
	// reaches the limit only when httpd can no longer start spare workers.
	ApacheMaxRequestWorkers int
	// ScrapeInterval and EvaluationInterval of Prometheus. Default "15s".
	ScrapeInterval     string
	EvaluationInterval string
}

// Defaults.
const (
	DefaultErrorLogLinesPerMinute = 10
	DefaultBusyWorkersRatio       = 0.8
	DefaultHTTP5xxRatio           = 0.05
	DefaultFor                    = "1m"
	DefaultWebServerDownFor       = "30s"
	DefaultRateWindow             = "2m"
	DefaultHealthPath             = "/healthz"
	DefaultAppPath                = "/app/hello.jsp"
	DefaultAppStatusPath          = "/status/metrics.jsp"
	DefaultErrorLogPath           = "/var/log/apache2/error.log"
	DefaultInterval               = "15s"
)

// DefaultPorts are the ports the Debian packages use.
var DefaultPorts = Ports{
	HAProxyExporter: 8404,
	NodeExporter:    9100,
	ApacheExporter:  9117,
	Mtail:           3903,
	Prometheus:      9090,
	Alertmanager:    9093,
	Blackbox:        9115,
	WebHTTP:         80,
	AppHTTP:         8080,
	VIPHTTP:         80,
}

// WithDefaults returns c with every zero field set to its default. It does
// not validate.
func (c Config) WithDefaults() Config {
	t := &c.Thresholds
	if t.ErrorLogLinesPerMinute == 0 {
		t.ErrorLogLinesPerMinute = DefaultErrorLogLinesPerMinute
	}
	if t.BusyWorkersRatio == 0 {
		t.BusyWorkersRatio = DefaultBusyWorkersRatio
	}
	if t.HTTP5xxRatio == 0 {
		t.HTTP5xxRatio = DefaultHTTP5xxRatio
	}
	t.For = orDefault(t.For, DefaultFor)
	t.WebServerDownFor = orDefault(t.WebServerDownFor, DefaultWebServerDownFor)
	t.RateWindow = orDefault(t.RateWindow, DefaultRateWindow)

	p, d := &c.Ports, DefaultPorts
	for _, f := range []struct {
		v *int
		d int
	}{
		{&p.HAProxyExporter, d.HAProxyExporter}, {&p.NodeExporter, d.NodeExporter},
		{&p.ApacheExporter, d.ApacheExporter}, {&p.Mtail, d.Mtail},
		{&p.Prometheus, d.Prometheus}, {&p.Alertmanager, d.Alertmanager},
		{&p.Blackbox, d.Blackbox}, {&p.WebHTTP, d.WebHTTP},
		{&p.AppHTTP, d.AppHTTP}, {&p.VIPHTTP, d.VIPHTTP},
	} {
		if *f.v == 0 {
			*f.v = f.d
		}
	}

	c.HealthPath = orDefault(c.HealthPath, DefaultHealthPath)
	c.AppPath = orDefault(c.AppPath, DefaultAppPath)
	c.AppStatusPath = orDefault(c.AppStatusPath, DefaultAppStatusPath)
	c.ErrorLogPath = orDefault(c.ErrorLogPath, DefaultErrorLogPath)
	c.ServerStatusURL = orDefault(c.ServerStatusURL, fmt.Sprintf("http://127.0.0.1:%d/server-status?auto", c.Ports.WebHTTP))
	c.ScrapeInterval = orDefault(c.ScrapeInterval, DefaultInterval)
	c.EvaluationInterval = orDefault(c.EvaluationInterval, DefaultInterval)
	return c
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

var (
	// nameRE: a node name is a label value people type in silences.
	nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)
	// hostnameRE: RFC 1123 host names.
	hostnameRE = regexp.MustCompile(`^(?i:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.(?i:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?))*$`)
	// durationRE: a Prometheus duration (1m, 30s, 1h30m).
	durationRE = regexp.MustCompile(`^([0-9]+(ms|s|m|h|d|w|y))+$`)
	zeroDurRE  = regexp.MustCompile(`^(0+(ms|s|m|h|d|w|y))+$`)
	pathRE     = regexp.MustCompile(`^/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$`)
)

func checkAddress(a string) error {
	switch {
	case a == "":
		return errors.New("is empty")
	case net.ParseIP(a) != nil:
		return nil
	case len(a) > 253 || !hostnameRE.MatchString(a):
		return fmt.Errorf("%q is neither an IP address nor a host name (no port, no scheme)", a)
	}
	return nil
}

func checkDuration(d string) error {
	if !durationRE.MatchString(d) || zeroDurRE.MatchString(d) {
		return fmt.Errorf("%q is not a positive Prometheus duration such as 30s or 1m", d)
	}
	return nil
}

// validate checks a defaulted config and returns every problem at once.
func (c Config) validate() error {
	var errs []error
	add := func(field string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("monitoring: %s: %w", field, err))
		}
	}
	errs = append(errs, c.validateRules()...)
	if c.Environment == "" {
		add("environment", errors.New("is empty"))
	}
	names := map[string]string{}
	checkTarget := func(field string, t Target) {
		if !nameRE.MatchString(t.Name) {
			add(field+".name", fmt.Errorf("%q must be 1-63 letters, digits, '.', '_' or '-'", t.Name))
		} else if prev, dup := names[t.Name]; dup {
			add(field+".name", fmt.Errorf("%q is also the name of %s", t.Name, prev))
		} else {
			names[t.Name] = field
		}
		add(field+".address", checkAddress(t.Address))
	}
	for role, ts := range map[string][]Target{"lbs": c.LBs, "web": c.Web, "app": c.App} {
		if len(ts) == 0 {
			add(role, errors.New("no targets: the web tier has at least one of each role"))
		}
		for i, t := range ts {
			checkTarget(fmt.Sprintf("%s[%d]", role, i), t)
		}
	}
	checkTarget("monitor", c.Monitor)
	add("vip", checkAddress(c.VIP))
	for field, p := range map[string]string{"healthPath": c.HealthPath, "appPath": c.AppPath, "appStatusPath": c.AppStatusPath} {
		if !pathRE.MatchString(p) {
			add(field, fmt.Errorf("%q is not an absolute URL path", p))
		}
	}
	if !strings.HasPrefix(c.ErrorLogPath, "/") || strings.ContainsAny(c.ErrorLogPath, " ,\"'\n") {
		add("errorLogPath", fmt.Errorf("%q must be an absolute path without spaces, commas or quotes", c.ErrorLogPath))
	}
	if u, err := url.Parse(c.ServerStatusURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(c.ServerStatusURL, " \"'") {
		add("serverStatusURL", fmt.Errorf("%q is not an http(s) URL", c.ServerStatusURL))
	}
	if c.AgentListenHost != "" {
		add("agentListenHost", checkAddress(c.AgentListenHost))
	}
	if c.ApacheMaxRequestWorkers < 0 {
		add("apacheMaxRequestWorkers", fmt.Errorf("%d is negative", c.ApacheMaxRequestWorkers))
	}
	add("scrapeInterval", checkDuration(c.ScrapeInterval))
	add("evaluationInterval", checkDuration(c.EvaluationInterval))
	p := c.Ports
	for field, v := range map[string]int{
		"haproxyExporter": p.HAProxyExporter, "nodeExporter": p.NodeExporter, "apacheExporter": p.ApacheExporter,
		"mtail": p.Mtail, "prometheus": p.Prometheus, "alertmanager": p.Alertmanager, "blackbox": p.Blackbox,
		"webHTTP": p.WebHTTP, "appHTTP": p.AppHTTP, "vipHTTP": p.VIPHTTP,
	} {
		if v < 1 || v > 65535 {
			add("ports."+field, fmt.Errorf("%d is not a TCP port", v))
		}
	}
	errs = append(errs, c.Alertmanager.validate()...)
	return joinSorted(errs)
}

// validateRules checks what the alert rules depend on.
func (c Config) validateRules() []error {
	var errs []error
	t := c.Thresholds
	add := func(field string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("monitoring: thresholds.%s: %w", field, err))
		}
	}
	if t.ErrorLogLinesPerMinute <= 0 {
		add("errorLogLinesPerMinute", fmt.Errorf("%g must be positive", t.ErrorLogLinesPerMinute))
	}
	if t.BusyWorkersRatio <= 0 || t.BusyWorkersRatio > 1 {
		add("busyWorkersRatio", fmt.Errorf("%g is not in (0, 1]", t.BusyWorkersRatio))
	}
	if t.HTTP5xxRatio <= 0 || t.HTTP5xxRatio > 1 {
		add("http5xxRatio", fmt.Errorf("%g is not in (0, 1]", t.HTTP5xxRatio))
	}
	add("for", checkDuration(t.For))
	add("webServerDownFor", checkDuration(t.WebServerDownFor))
	add("rateWindow", checkDuration(t.RateWindow))
	return errs
}

// joinSorted joins errors in a stable order (map iteration is random).
func joinSorted(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	slices.Sort(msgs)
	out := make([]error, len(msgs))
	for i, m := range msgs {
		out[i] = errors.New(m)
	}
	return errors.Join(out...)
}
