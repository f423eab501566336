package monitoring

import (
	"net"
	"strconv"
)

// RulesFile is the key (and the path relative to prometheus.yml) of the
// rule file; Prometheus resolves relative rule_files against the directory
// of its config file.
const RulesFile = "rules/hawebtier.rules.yml"

// Blackbox modules.
const (
	ModuleHTTP2xx = "http_2xx"
)

type staticConfig struct {
	Targets []string          `yaml:"targets"`
	Labels  map[string]string `yaml:"labels,omitempty"`
}

type relabel struct {
	SourceLabels []string `yaml:"source_labels,omitempty"`
	TargetLabel  string   `yaml:"target_label"`
	Replacement  string   `yaml:"replacement,omitempty"`
}

type scrapeConfig struct {
	JobName       string              `yaml:"job_name"`
	MetricsPath   string              `yaml:"metrics_path,omitempty"`
	Params        map[string][]string `yaml:"params,omitempty"`
	StaticConfigs []staticConfig      `yaml:"static_configs"`
	Relabel       []relabel           `yaml:"relabel_configs,omitempty"`
}

type promFile struct {
	Global struct {
		ScrapeInterval     string            `yaml:"scrape_interval"`
		EvaluationInterval string            `yaml:"evaluation_interval"`
		ExternalLabels     map[string]string `yaml:"external_labels"`
	} `yaml:"global"`
	RuleFiles []string `yaml:"rule_files"`
	Alerting  struct {
		Alertmanagers []struct {
			StaticConfigs []staticConfig `yaml:"static_configs"`
		} `yaml:"alertmanagers"`
	} `yaml:"alerting"`
	ScrapeConfigs []scrapeConfig `yaml:"scrape_configs"`
}

func hostPort(host string, port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }

func httpURL(host string, port int, path string) string {
	if port == 80 {
		if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
			return "http://[" + host + "]" + path
		}
		return "http://" + host + path
	}
	return "http://" + hostPort(host, port) + path
}

// targets gives each node its own static config so its series carry the
// node and role labels the rules group by.
func targets(role string, ts []Target, addr func(Target) string) []staticConfig {
	out := make([]staticConfig, 0, len(ts))
	for _, t := range ts {
		out = append(out, staticConfig{Targets: []string{addr(t)}, Labels: map[string]string{"node": t.Name, "role": role}})
	}
	return out
}

func at(port int) func(Target) string {
	return func(t Target) string { return hostPort(t.Address, port) }
}

// probeJob is a blackbox job: the target is the URL, the scrape goes to
// the blackbox exporter, and the URL stays visible as the instance label.
func (c Config) probeJob(name string, statics []staticConfig) scrapeConfig {
	return scrapeConfig{
		JobName:       name,
		MetricsPath:   "/probe",
		Params:        map[string][]string{"module": {ModuleHTTP2xx}},
		StaticConfigs: statics,
		Relabel: []relabel{
			{SourceLabels: []string{"__address__"}, TargetLabel: "__param_target"},
			{SourceLabels: []string{"__param_target"}, TargetLabel: "instance"},
			{TargetLabel: "__address__", Replacement: hostPort(c.Monitor.Address, c.Ports.Blackbox)},
		},
	}
}

func renderPrometheus(c Config) (string, error) {
	p := c.Ports
	var f promFile
	f.Global.ScrapeInterval = c.ScrapeInterval
	f.Global.EvaluationInterval = c.EvaluationInterval
	// External labels reach Alertmanager with every alert: its inhibition
	// rules match on environment.
	f.Global.ExternalLabels = map[string]string{"environment": c.Environment}
	f.RuleFiles = []string{RulesFile}
	f.Alerting.Alertmanagers = make([]struct {
		StaticConfigs []staticConfig `yaml:"static_configs"`
	}, 1)
	f.Alerting.Alertmanagers[0].StaticConfigs = []staticConfig{{Targets: []string{hostPort(c.Monitor.Address, p.Alertmanager)}}}

	mon := []Target{c.Monitor}
	var all []staticConfig
	for _, r := range []struct {
		role string
		ts   []Target
	}{{"lb", c.LBs}, {"web", c.Web}, {"app", c.App}, {"monitor", mon}} {
		all = append(all, targets(r.role, r.ts, at(p.NodeExporter))...)
	}
	vip := []staticConfig{
		{Targets: []string{httpURL(c.VIP, p.VIPHTTP, c.HealthPath)}, Labels: map[string]string{"probe": "health"}},
		{Targets: []string{httpURL(c.VIP, p.VIPHTTP, c.AppPath)}, Labels: map[string]string{"probe": "app"}},
	}
	f.ScrapeConfigs = []scrapeConfig{
		{JobName: JobPrometheus, StaticConfigs: targets("monitor", mon, at(p.Prometheus))},
		{JobName: JobAlertmanager, StaticConfigs: targets("monitor", mon, at(p.Alertmanager))},
		{JobName: JobBlackbox, StaticConfigs: targets("monitor", mon, at(p.Blackbox))},
		{JobName: JobNode, StaticConfigs: all},
		{JobName: JobHAProxy, MetricsPath: "/metrics", StaticConfigs: targets("lb", c.LBs, at(p.HAProxyExporter))},
		{JobName: JobApache, StaticConfigs: targets("web", c.Web, at(p.ApacheExporter))},
		{JobName: JobMtail, StaticConfigs: targets("web", c.Web, at(p.Mtail))},
		c.probeJob(JobWebHealth, targets("web", c.Web, func(t Target) string { return httpURL(t.Address, p.WebHTTP, c.HealthPath) })),
		c.probeJob(JobAppStatus, targets("app", c.App, func(t Target) string { return httpURL(t.Address, p.AppHTTP, c.AppStatusPath) })),
		c.probeJob(JobVIP, vip),
	}
	return marshal("prometheus.yml", f)
}

type bbFile struct {
	Modules map[string]bbModule `yaml:"modules"`
}

type bbModule struct {
	Prober  string `yaml:"prober"`
	Timeout string `yaml:"timeout"`
	HTTP    struct {
		ValidStatusCodes    []int  `yaml:"valid_status_codes"`
		Method              string `yaml:"method"`
		FollowRedirects     bool   `yaml:"follow_redirects"`
		PreferredIPProtocol string `yaml:"preferred_ip_protocol"`
		IPProtocolFallback  bool   `yaml:"ip_protocol_fallback"`
	} `yaml:"http"`
}

func renderBlackbox() (string, error) {
	m := bbModule{Prober: "http", Timeout: "5s"}
	// A 2xx answer only: a redirect or an error page is not a healthy
	// service, and a 200 from a redirect target hides the first hop.
	m.HTTP.ValidStatusCodes = []int{200, 204}
	m.HTTP.Method = "GET"
	m.HTTP.FollowRedirects = false
	m.HTTP.PreferredIPProtocol = "ip4"
	m.HTTP.IPProtocolFallback = true
	return marshal("blackbox.yml", bbFile{Modules: map[string]bbModule{ModuleHTTP2xx: m}})
}
