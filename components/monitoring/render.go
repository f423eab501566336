package monitoring

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Files maps a file's key to its content. Keys are paths relative to a
// base: InstallPath gives where each goes on a Debian node.
type Files map[string]string

// File keys.
const (
	FilePrometheus         = "prometheus.yml"
	FileRules              = RulesFile
	FileAlertmanager       = "alertmanager.yml"
	FileBlackbox           = "blackbox.yml"
	FileMtailProgram       = "mtail/apache_errors.mtail"
	FileDefaultPrometheus  = "default/prometheus"
	FileDefaultAlertmgr    = "default/prometheus-alertmanager"
	FileDefaultBlackbox    = "default/prometheus-blackbox-exporter"
	FileDefaultNode        = "default/prometheus-node-exporter"
	FileDefaultApache      = "default/prometheus-apache-exporter"
	FileDefaultMtail       = "default/mtail"
	prometheusConfigDir    = "/etc/prometheus/"
	mtailProgramsDir       = "/etc/mtail/"
	debianDefaultsDir      = "/etc/default/"
	mtailProgramsKeyPrefix = "mtail/"
	defaultsKeyPrefix      = "default/"
)

// Render renders every monitoring file of the web tier, or returns every
// problem with c at once. The exporters' settings are the same on every
// node of a role (they bind AgentListenHost, by default every address), so
// one Files serves the whole tier; RoleFiles picks a role's share.
func Render(c Config) (Files, error) {
	c = c.WithDefaults()
	if err := c.validate(); err != nil {
		return nil, err
	}
	f := Files{}
	var err error
	for key, render := range map[string]func() (string, error){
		FilePrometheus:   func() (string, error) { return renderPrometheus(c) },
		FileRules:        func() (string, error) { return RenderRules(c) },
		FileAlertmanager: func() (string, error) { return renderAlertmanager(c) },
		FileBlackbox:     renderBlackbox,
	} {
		if f[key], err = render(); err != nil {
			return nil, err
		}
	}
	f[FileMtailProgram] = mtailProgram
	for key, content := range c.defaults() {
		f[key] = content
	}
	return f, nil
}

// mtailProgram counts httpd error log lines. The unlabelled total exists
// (at 0) from mtail's start, so the rule has a series before the first
// error; the per-level counter is for people looking at a burst.
const mtailProgram = `# Rendered by hawebtier components/monitoring; do not edit.
# Counts the lines of the Apache httpd error log.
counter apache_error_log_lines_total
counter apache_error_log_lines_by_level_total by level

/^/ {
  apache_error_log_lines_total++
}

# [Wed Nov 25 13:41:01.123456 2026] [proxy_http:error] [pid 12:tid 14] ...
/^\[[^\]]+\] \[(?:[A-Za-z0-9_\-]*:)?(?P<level>[a-z]+[0-9]*)\]/ {
  apache_error_log_lines_by_level_total[$level]++
} else {
  apache_error_log_lines_by_level_total["unknown"]++
}
`

// defaults renders the /etc/default files the Debian packages' units read.
func (c Config) defaults() Files {
	p, h := c.Ports, c.AgentListenHost
	listen := func(port int) string { return "--web.listen-address=" + hostPort(h, port) }
	args := func(a ...string) string {
		return "# Rendered by hawebtier components/monitoring; do not edit.\nARGS=\"" + strings.Join(a, " ") + "\"\n"
	}
	mtail := "# Rendered by hawebtier components/monitoring; do not edit.\n"
	if h != "" {
		mtail += "HOST=" + h + "\n"
	}
	mtail += "PORT=" + strconv.Itoa(p.Mtail) + "\nLOGS=" + c.ErrorLogPath + "\n"
	return Files{
		FileDefaultPrometheus: args("--config.file="+InstallPath(FilePrometheus), listen(p.Prometheus)),
		// Clustering off: one Alertmanager, and no port 9094 listening.
		FileDefaultAlertmgr: args("--config.file="+InstallPath(FileAlertmanager), listen(p.Alertmanager), "--cluster.listen-address="),
		FileDefaultBlackbox: args("--config.file="+InstallPath(FileBlackbox), listen(p.Blackbox)),
		FileDefaultNode:     args(listen(p.NodeExporter)),
		FileDefaultApache:   args("--telemetry.address="+hostPort(h, p.ApacheExporter), "--scrape_uri="+c.ServerStatusURL),
		FileDefaultMtail:    mtail,
	}
}

// InstallPath is where the file with key goes on a Debian node.
func InstallPath(key string) string {
	switch {
	case strings.HasPrefix(key, mtailProgramsKeyPrefix):
		return mtailProgramsDir + strings.TrimPrefix(key, mtailProgramsKeyPrefix)
	case strings.HasPrefix(key, defaultsKeyPrefix):
		return debianDefaultsDir + strings.TrimPrefix(key, defaultsKeyPrefix)
	default:
		return prometheusConfigDir + key
	}
}

// Roles of the web tier, as package stacks names them.
const (
	RoleLB      = "lb"
	RoleWeb     = "web"
	RoleApp     = "app"
	RoleMonitor = "monitor"
)

var roleFiles = map[string][]string{
	RoleLB:      {FileDefaultNode},
	RoleWeb:     {FileDefaultNode, FileDefaultApache, FileDefaultMtail, FileMtailProgram},
	RoleApp:     {FileDefaultNode},
	RoleMonitor: {FileDefaultNode, FilePrometheus, FileRules, FileAlertmanager, FileBlackbox, FileDefaultPrometheus, FileDefaultAlertmgr, FileDefaultBlackbox},
}

var rolePackages = map[string][]string{
	RoleLB:      {"prometheus-node-exporter"}, // HAProxy's exporter is built in
	RoleWeb:     {"prometheus-node-exporter", "prometheus-apache-exporter", "mtail"},
	RoleApp:     {"prometheus-node-exporter"},
	RoleMonitor: {"prometheus-node-exporter", "prometheus", "prometheus-alertmanager", "prometheus-blackbox-exporter"},
}

// systemd units of the Debian packages; each reads its /etc/default file.
var roleServices = map[string][]string{
	RoleLB:      {"prometheus-node-exporter"},
	RoleWeb:     {"prometheus-node-exporter", "prometheus-apache-exporter", "mtail"},
	RoleApp:     {"prometheus-node-exporter"},
	RoleMonitor: {"prometheus-node-exporter", "prometheus", "prometheus-alertmanager", "prometheus-blackbox-exporter"},
}

func checkRole(role string) error {
	if _, ok := roleFiles[role]; !ok {
		return fmt.Errorf("monitoring: unknown role %q (want lb, web, app or monitor)", role)
	}
	return nil
}

// RoleFiles returns the files of f that a node of role needs.
func RoleFiles(f Files, role string) (Files, error) {
	if err := checkRole(role); err != nil {
		return nil, err
	}
	out := Files{}
	for _, k := range roleFiles[role] {
		if v, ok := f[k]; ok {
			out[k] = v
		}
	}
	return out, nil
}

// Packages returns the Debian packages a node of role installs for
// monitoring.
func Packages(role string) ([]string, error) {
	if err := checkRole(role); err != nil {
		return nil, err
	}
	return slices.Clone(rolePackages[role]), nil
}

// Services returns the systemd units a node of role enables and restarts
// after writing its files.
func Services(role string) ([]string, error) {
	if err := checkRole(role); err != nil {
		return nil, err
	}
	return slices.Clone(roleServices[role]), nil
}
