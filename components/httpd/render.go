package httpd

import (
	"bytes"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/hawebtier/hawebtier/components/tomcat"
)

// Files maps a file name to its content. "httpd.conf" is always there (a
// complete standalone configuration); "healthz" is the health URL's body;
// JK adds "workers.properties"; ProxyAJP and JK add SecretFile. Install
// them with Install, at Layout.Path(name).
type Files map[string]string

// Names returns the file names in a stable order.
func (f Files) Names() []string { return slices.Sorted(maps.Keys(f)) }

// Public returns the files without SecretFile: what may go into user-data
// or logs.
func (f Files) Public() Files {
	out := Files{}
	for n, v := range f {
		if n != SecretFile {
			out[n] = v
		}
	}
	return out
}

// IsSecret reports whether a file holds a secret (install it 0600).
func IsSecret(name string) bool { return name == SecretFile }

// HealthFile is the name of the file, in Files and under ConfDir, that
// httpd answers the health URL with.
const HealthFile = "healthz"

// HealthBody is the body of the health URL.
const HealthBody = "OK\n"

// Render validates c and renders the files of one web server. It returns
// every problem at once and no files when c is invalid.
func Render(c Config) (Files, error) {
	c = c.withDefaults()
	if err := c.validate(); err != nil {
		return nil, err
	}
	d := newView(c)
	files := Files{HealthFile: HealthBody}
	var b bytes.Buffer
	if err := confTmpl.Execute(&b, d); err != nil {
		return nil, fmt.Errorf("httpd: render httpd.conf: %w", err)
	}
	files["httpd.conf"] = b.String()
	if c.Connector == JK {
		b.Reset()
		if err := workersTmpl.Execute(&b, d); err != nil {
			return nil, fmt.Errorf("httpd: render workers.properties: %w", err)
		}
		files["workers.properties"] = b.String()
	}
	if d.AJP {
		s, err := RenderSecretFile(c.AJPSecret)
		if err != nil {
			return nil, err
		}
		files[SecretFile] = s
	}
	return files, nil
}

// RenderSecretFile renders SecretFile alone, for the step that delivers
// the AJP secret over SSH after the rest came with user-data.
func RenderSecretFile(secret string) (string, error) {
	if err := tomcat.CheckSecret(secret); err != nil {
		return "", fmt.Errorf("httpd: ajp_secret: %w", err)
	}
	return "# AJP secret shared with Tomcat (hawebtier). Mode 0600: this file is a secret.\n" +
		"Define " + secretVar + " " + secret + "\n", nil
}

// CheckCommand is the command that checks a standalone configuration.
func CheckCommand(confPath string) string { return "apache2 -t -f " + confPath }

// view is what the templates see.
type view struct {
	Config
	AJP        bool
	VHost      string
	Modules    []string
	Members    []member
	Sticky     bool
	Mounts     []string // JkMount patterns
	Proxied    []proxied
	StatusFrom string
	ServerLim  int
	SecretRef  string // ${HAWEBTIER_AJP_SECRET}
	TPC        int
	HealthFile string
	Workers    string
}

type member struct {
	URL, Params string
	Route, Host string
	Port        int
}

type proxied struct{ Path, Target string }

func newView(c Config) view {
	d := view{Config: c, AJP: c.Connector != ProxyHTTP, SecretRef: "${" + secretVar + "}", TPC: ThreadsPerChild}
	d.VHost, _ = listenAddr(c.Listen)
	d.ServerLim = c.MaxRequestWorkers / ThreadsPerChild
	d.HealthFile = c.Layout.Path(HealthFile)
	d.StatusFrom = strings.Join(append([]string{"127.0.0.1", "::1"}, c.StatusAllow...), " ")

	mods := []string{"mpm_event", "authz_core", "authz_host", "mime", "dir", "alias", "status"}
	switch c.Connector {
	case ProxyHTTP:
		mods = append(mods, "proxy", "proxy_http", "proxy_balancer", "slotmem_shm", "lbmethod_byrequests", "proxy_hcheck")
	case ProxyAJP:
		mods = append(mods, "proxy", "proxy_ajp", "proxy_balancer", "slotmem_shm", "lbmethod_byrequests", "proxy_hcheck")
	case JK:
		mods = append(mods, "jk")
	}
	d.Modules = mods

	routes := 0
	var names []string
	for _, s := range c.AppServers {
		m := member{Route: s.Route, Host: s.Address, Port: s.HTTPPort}
		scheme := "http"
		if d.AJP {
			scheme, m.Port = "ajp", s.AJPPort
		}
		m.URL = scheme + "://" + net.JoinHostPort(s.Address, strconv.Itoa(m.Port))
		var p []string
		if s.Route != "" {
			routes++
			p = append(p, "route="+s.Route)
			names = append(names, s.Route)
		}
		// Fail fast on a dead member and try it again soon: the health
		// check decides when it is back. Pooled connections are reused
		// (mod_proxy's default) and closed by httpd once idle for
		// BackendIdleSeconds, before the other end (Tomcat's
		// keepAliveTimeout, an AWS ALB's idle timeout) closes one that a
		// request is about to reuse.
		p = append(p, "connectiontimeout=2", "retry=5", "ttl="+strconv.Itoa(BackendIdleSeconds))
		if _, err := netip.ParseAddr(s.Address); err != nil {
			// A DNS name (the AWS internal ALB) changes addresses:
			// resolve it again every minute instead of once.
			p = append(p, "addressttl=60")
		}
		hc := fmt.Sprintf("hcinterval=%d hcpasses=2 hcfails=2", c.HealthCheckInterval)
		if d.AJP {
			// mod_proxy_hcheck speaks HTTP only: over AJP, check the
			// port and CPing Tomcat before each request instead.
			p = append(p, "secret="+d.SecretRef, "ping=2", "hcmethod=TCP", hc)
		} else {
			p = append(p, "hcmethod=GET", "hcuri="+c.AppHealthURI, hc)
		}
		m.Params = strings.Join(p, " ")
		d.Members = append(d.Members, m)
	}
	d.Sticky = routes > 0
	d.Workers = strings.Join(names, ",")
	for _, p := range c.AppPaths {
		d.Proxied = append(d.Proxied, proxied{Path: p, Target: "balancer://app" + p})
		if strings.HasSuffix(p, "/") {
			d.Mounts = append(d.Mounts, p+"*")
		} else {
			d.Mounts = append(d.Mounts, p, p+"/*")
		}
	}
	return d
}

var confTmpl = template.Must(template.New("httpd.conf").Parse(`# Rendered by hawebtier (components/httpd). Do not edit: changes are overwritten.
# Web server {{.ServerName}}: static content from {{.Layout.DocumentRoot}}, {{range $i, $p := .AppPaths}}{{if $i}}, {{end}}{{$p}}{{end}} to the app servers via {{.Connector}}.
ServerRoot "{{.Layout.ServerRoot}}"
ServerName {{.ServerName}}
Listen {{.Listen}}
PidFile "{{.Layout.PidFile}}"
DefaultRuntimeDir "{{.Layout.RuntimeDir}}"
Mutex file:{{.Layout.MutexDir}} default
User {{.Layout.User}}
Group {{.Layout.Group}}
ServerTokens Prod
ServerSignature Off
TraceEnable Off
Timeout 60
KeepAlive On
KeepAliveTimeout {{.KeepAliveTimeout}}
# The clients are the load balancers (HAProxy, an AWS ALB), which reuse
# their connections: no request count ends one.
MaxKeepAliveRequests 0

{{range .Modules}}LoadModule {{.}}_module {{$.Layout.ModulesDir}}/mod_{{.}}.so
{{end}}
# Event MPM: MaxRequestWorkers = ServerLimit x ThreadsPerChild.
StartServers 2
ServerLimit {{.ServerLim}}
ThreadsPerChild {{.TPC}}
MaxRequestWorkers {{.MaxRequestWorkers}}
MinSpareThreads 25
MaxSpareThreads 75

# Monitoring tails the error log.
ErrorLog "{{.Layout.ErrorLog}}"
LogLevel warn
LogFormat "%h %l %u %t \"%r\" %>s %b %D \"%{BALANCER_WORKER_ROUTE}e\"" hawebtier
CustomLog "{{.Layout.LogDir}}/access.log" hawebtier
TypesConfig "{{.Layout.MimeTypes}}"
DirectoryIndex index.html
ExtendedStatus On
{{- if .AJP}}

# The AJP secret is defined in its own file (mode 0600), delivered apart
# from this one.
Include "{{.Layout.Path "ajp-secret.conf"}}"
{{- end}}

<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "{{.Layout.DocumentRoot}}">
    Options None
    AllowOverride None
    Require all granted
</Directory>
{{- if eq .Connector "jk"}}

JkWorkersFile "{{.Layout.Path "workers.properties"}}"
JkShmFile "{{.Layout.RuntimeDir}}/jk.shm"
JkLogFile "{{.Layout.LogDir}}/mod_jk.log"
JkLogLevel warn
{{- range .Members}}
JkWorkerProperty worker.{{.Route}}.secret={{$.SecretRef}}
{{- end}}
{{- else}}

ProxyRequests Off
ProxyStatus Full
<Proxy "balancer://app">
{{- range .Members}}
    BalancerMember "{{.URL}}" {{.Params}}
{{- end}}
    ProxySet lbmethod=byrequests{{if .Sticky}} stickysession=JSESSIONID|jsessionid{{end}}
</Proxy>
{{- end}}

<VirtualHost {{.VHost}}>
    ServerName {{.ServerName}}
    DocumentRoot "{{.Layout.DocumentRoot}}"

    # Health URL for the load balancers, answered by httpd itself.
    Alias "{{.HealthPath}}" "{{.HealthFile}}"
    <Location "{{.HealthPath}}">
        Require all granted
        ForceType text/plain
    </Location>

    <Location "/server-status">
        SetHandler server-status
        Require ip {{.StatusFrom}}
    </Location>
{{- if eq .Connector "jk"}}
{{range .Mounts}}
    JkMount {{.}} lb
{{- end}}
{{- else}}
{{range .Proxied}}
    ProxyPass "{{.Path}}" "{{.Target}}"
    ProxyPassReverse "{{.Path}}" "{{.Target}}"
{{- end}}
{{- end}}
</VirtualHost>
`))

var workersTmpl = template.Must(template.New("workers.properties").Parse(`# Rendered by hawebtier (components/httpd). Do not edit: changes are overwritten.
# mod_jk workers: one ajp13 worker per app server, named by its jvmRoute,
# behind the sticky lb worker. Secrets come from JkWorkerProperty in httpd.conf.
worker.list=lb

worker.template.type=ajp13
worker.template.socket_connect_timeout=2000
# CPing on connect, before each request and every interval: a dead Tomcat
# is found before a request is lost on it.
worker.template.ping_mode=A
worker.template.ping_timeout=2000
worker.template.connection_ping_interval={{.HealthCheckInterval}}
{{range .Members}}
worker.{{.Route}}.reference=worker.template
worker.{{.Route}}.host={{.Host}}
worker.{{.Route}}.port={{.Port}}
worker.{{.Route}}.route={{.Route}}
{{end}}
worker.lb.type=lb
worker.lb.balance_workers={{.Workers}}
worker.lb.sticky_session=true
worker.lb.method=R
worker.lb.recover_time={{.HealthCheckInterval}}
`))
