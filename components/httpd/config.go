package httpd

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/hawebtier/hawebtier/components/tomcat"
)

// Connector is how httpd reaches the app servers; its value is the name
// the config spells (hawebtier:connector).
type Connector string

// Connectors between httpd and the app servers.
const (
	ProxyHTTP Connector = "proxy_http" // mod_proxy_http (default; the only one an AWS ALB speaks)
	ProxyAJP  Connector = "proxy_ajp"  // mod_proxy_ajp with the AJP secret
	JK        Connector = "jk"         // mod_jk, workers.properties + JkMount
)

// Connectors lists every connector Render accepts.
var Connectors = []Connector{ProxyHTTP, ProxyAJP, JK}

// UsesAJP reports whether the connector speaks AJP (and so needs the AJP
// secret and Tomcat's AJP connector).
func (c Connector) UsesAJP() bool { return c == ProxyAJP || c == JK }

// Valid reports whether c is one of Connectors.
func (c Connector) Valid() bool {
	for _, k := range Connectors {
		if c == k {
			return true
		}
	}
	return false
}

// ConnectorNames is Connectors as a comma-separated list, for messages.
func ConnectorNames() string {
	names := make([]string, len(Connectors))
	for i, c := range Connectors {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// BackendIdleSeconds is how long httpd keeps an idle connection to an
// app server (or the AWS internal ALB) for reuse: below Tomcat's
// keepAliveTimeout (tomcat.KeepAliveTimeoutSeconds) and the internal ALB's
// idle timeout (aws/webtier), so the other end never closes first.
const BackendIdleSeconds = 20

// Defaults applied by Render to zero fields.
const (
	DefaultKeepAliveTimeout    = 5
	DefaultAppPath             = "/app/"
	DefaultHealthPath          = "/healthz"
	DefaultMaxRequestWorkers   = 150
	DefaultHealthCheckInterval = 5                 // seconds between two health checks of one member
	DefaultAppHealthURI        = tomcat.HealthPath // the page components/tomcat ships
	DefaultHTTPPort            = tomcat.DefaultHTTPPort
	DefaultAJPPort             = tomcat.DefaultAJPPort
	StatusPath                 = "/server-status"
	// ThreadsPerChild of the event MPM: MaxRequestWorkers must be a
	// multiple of it (httpd silently rounds otherwise).
	ThreadsPerChild = 25
)

// SecretPlaceholder is the AJP secret to render with when the real one must
// not be written (user-data): the result is a valid configuration whose
// SecretFile is replaced over SSH later. See the package documentation.
const SecretPlaceholder = tomcat.SecretPlaceholder

// SecretFile is the name (in Files and under Layout.ConfDir) of the file
// that defines the AJP secret for ProxyAJP and JK.
const SecretFile = "ajp-secret.conf"

// secretVar is the httpd variable (Define) that carries the AJP secret.
const secretVar = "HAWEBTIER_AJP_SECRET"

// AppServer is one balancer member.
type AppServer struct {
	Route    string // Tomcat jvmRoute, e.g. "app1"; empty only for a single member without stickiness (the AWS ALB)
	Address  string // IP address or DNS name
	HTTPPort int    // default 8080
	AJPPort  int    // default 8009
}

// Layout holds the filesystem paths httpd uses. DebianLayout is for real
// hosts; TempLayout puts everything but the modules under one directory for
// tests and the lab.
type Layout struct {
	ServerRoot   string
	ModulesDir   string // /usr/lib/apache2/modules
	PidFile      string
	RuntimeDir   string // DefaultRuntimeDir, JkShmFile
	LogDir       string // error.log (monitoring tails it), access.log, mod_jk.log
	DocumentRoot string // static content
	MutexDir     string
	ConfFile     string // where "httpd.conf" is installed
	ConfDir      string // where the other files of Files are installed
	User, Group  string // www-data
	MimeTypes    string // /etc/mime.types
}

// DebianLayout is the layout of Debian's apache2 package. httpd.conf is
// installed as /etc/apache2/apache2.conf, so the packaged apache2.service
// (apachectl) runs it unchanged; the other files go to
// /etc/apache2/hawebtier.
func DebianLayout() Layout {
	return Layout{
		ServerRoot:   "/etc/apache2",
		ModulesDir:   "/usr/lib/apache2/modules",
		PidFile:      "/run/apache2/apache2.pid",
		RuntimeDir:   "/run/apache2",
		LogDir:       "/var/log/apache2",
		DocumentRoot: "/var/www/html",
		MutexDir:     "/run/lock/apache2",
		ConfFile:     "/etc/apache2/apache2.conf",
		ConfDir:      "/etc/apache2/hawebtier",
		User:         "www-data",
		Group:        "www-data",
		MimeTypes:    "/etc/mime.types",
	}
}

// TempLayout puts every path but the modules and mime types under dir
// (which must be absolute): conf/, run/, log/, htdocs/, lock/.
func TempLayout(dir string) Layout {
	l := DebianLayout()
	l.ServerRoot = dir
	l.PidFile = filepath.Join(dir, "run", "httpd.pid")
	l.RuntimeDir = filepath.Join(dir, "run")
	l.LogDir = filepath.Join(dir, "log")
	l.DocumentRoot = filepath.Join(dir, "htdocs")
	l.MutexDir = filepath.Join(dir, "lock")
	l.ConfFile = filepath.Join(dir, "conf", "httpd.conf")
	l.ConfDir = filepath.Join(dir, "conf")
	return l
}

// Path is where a file of Files is installed: "httpd.conf" at ConfFile,
// any other name under ConfDir.
func (l Layout) Path(name string) string {
	if name == "httpd.conf" {
		return l.ConfFile
	}
	return filepath.Join(l.ConfDir, filepath.FromSlash(name))
}

// ErrorLog is the error log monitoring tails.
func (l Layout) ErrorLog() string { return filepath.Join(l.LogDir, "error.log") }

// Config is the configuration of one web server.
type Config struct {
	ServerName string
	Listen     string      // "10.20.30.21:80" (or "*:80")
	Connector  Connector   // ProxyHTTP (default), ProxyAJP, JK
	AppServers []AppServer // balancer members: every app server on-prem; on AWS one member, the internal ALB (port 80, no route)
	AppPaths   []string    // default ["/app/"]; everything else is static content from DocumentRoot
	HealthPath string      // default "/healthz": answered by httpd itself, never proxied
	// AppHealthURI is the app servers' page the balancer's health checks
	// GET (proxy_http). Default "/app/health.jsp".
	AppHealthURI string
	// HealthCheckInterval is the seconds between two health checks of a
	// member (hcinterval for proxy_http/proxy_ajp, the CPing interval for
	// jk). Default 5.
	HealthCheckInterval int
	StatusAllow         []string // addresses or CIDRs allowed to read /server-status besides 127.0.0.1 and ::1
	AJPSecret           string   // required for proxy_ajp and jk (tomcat.CheckSecret); SecretPlaceholder in user-data
	MaxRequestWorkers   int      // event MPM, default 150, a multiple of ThreadsPerChild
	// KeepAliveTimeout is the seconds httpd keeps an idle client
	// connection (KeepAliveTimeout); default 5. Behind an AWS ALB it must
	// be above the ALB's idle timeout, so the ALB, not httpd, closes an
	// idle connection (else a request the ALB sends on it as httpd closes
	// it gets a 502).
	KeepAliveTimeout int
	Layout           Layout
}

var (
	nameRe = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`) // user and group names
	pathRe = regexp.MustCompile(`^/[A-Za-z0-9._~/%-]*$`)
	hostRe = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$`)
	// reservedWorkers are mod_jk worker names the renderer uses itself.
	reservedWorkers = map[string]bool{"lb": true, "template": true, "status": true, "list": true}
)

// withDefaults returns c with zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.Connector == "" {
		c.Connector = ProxyHTTP
	}
	if len(c.AppPaths) == 0 {
		c.AppPaths = []string{DefaultAppPath}
	}
	if c.HealthPath == "" {
		c.HealthPath = DefaultHealthPath
	}
	if c.KeepAliveTimeout == 0 {
		c.KeepAliveTimeout = DefaultKeepAliveTimeout
	}
	if c.AppHealthURI == "" {
		c.AppHealthURI = DefaultAppHealthURI
	}
	if c.HealthCheckInterval == 0 {
		c.HealthCheckInterval = DefaultHealthCheckInterval
	}
	if c.MaxRequestWorkers == 0 {
		c.MaxRequestWorkers = DefaultMaxRequestWorkers
	}
	if c.ServerName == "" {
		if h, _, err := net.SplitHostPort(c.Listen); err == nil && h != "" && h != "*" {
			c.ServerName = h
		}
	}
	servers := make([]AppServer, len(c.AppServers))
	for i, s := range c.AppServers {
		if s.HTTPPort == 0 {
			s.HTTPPort = DefaultHTTPPort
		}
		if s.AJPPort == 0 {
			s.AJPPort = DefaultAJPPort
		}
		servers[i] = s
	}
	c.AppServers = servers
	return c
}

// validate returns every problem of c (with defaults applied) at once.
func (c Config) validate() error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("httpd: %s: %s", field, fmt.Sprintf(format, args...)))
	}

	if c.ServerName == "" {
		add("server_name", "required (or a listen address with an IP)")
	} else if !hostRe.MatchString(c.ServerName) {
		add("server_name", "%q is not a host name", c.ServerName)
	}
	if _, err := listenAddr(c.Listen); err != nil {
		add("listen", "%v", err)
	}

	ajp := c.Connector.UsesAJP()
	if !c.Connector.Valid() {
		add("connector", "unknown connector %q (want one of %s)", c.Connector, ConnectorNames())
	}
	if ajp {
		switch {
		case c.AJPSecret == "":
			add("ajp_secret", "required for connector %s (use SecretPlaceholder in user-data)", c.Connector)
		case tomcat.CheckSecret(c.AJPSecret) != nil:
			add("ajp_secret", "%v", tomcat.CheckSecret(c.AJPSecret))
		}
	} else if c.AJPSecret != "" {
		add("ajp_secret", "set but connector %s does not use AJP", c.Connector)
	}

	if len(c.AppServers) == 0 {
		add("app_servers", "at least one app server is required")
	}
	routes := map[string]int{}
	addrs := map[string]int{}
	withRoute := 0
	for i, s := range c.AppServers {
		f := fmt.Sprintf("app_servers[%d]", i)
		if s.Route != "" {
			withRoute++
			if err := tomcat.CheckRoute(s.Route); err != nil {
				add(f+".route", "%v", err)
			} else if c.Connector == JK && reservedWorkers[s.Route] {
				add(f+".route", "%q is a worker name the jk configuration uses itself", s.Route)
			}
			if j, dup := routes[s.Route]; dup {
				add(f+".route", "%q duplicates app_servers[%d].route", s.Route, j)
			} else {
				routes[s.Route] = i
			}
		} else if c.Connector == JK {
			add(f+".route", "required for jk (it names the worker)")
		}
		if err := checkHost(s.Address); err != nil {
			add(f+".address", "%v", err)
		}
		port := s.HTTPPort
		pf := f + ".http_port"
		if ajp {
			port, pf = s.AJPPort, f+".ajp_port"
		}
		if port < 1 || port > 65535 {
			add(pf, "%d is not a TCP port", port)
		}
		key := net.JoinHostPort(strings.ToLower(s.Address), strconv.Itoa(port))
		if j, dup := addrs[key]; dup {
			add(f, "%s duplicates app_servers[%d]", key, j)
		} else {
			addrs[key] = i
		}
	}
	if len(c.AppServers) > 1 && c.Connector != JK && withRoute != len(c.AppServers) {
		add("app_servers", "every member needs a route (Tomcat jvmRoute) for sticky sessions when there is more than one")
	}

	if !pathRe.MatchString(c.HealthPath) {
		add("health_path", "%q is not an absolute URL path", c.HealthPath)
	}
	if !pathRe.MatchString(c.AppHealthURI) {
		add("app_health_uri", "%q is not an absolute URL path", c.AppHealthURI)
	}
	seen := map[string]int{}
	for i, p := range c.AppPaths {
		f := fmt.Sprintf("app_paths[%d]", i)
		switch {
		case !pathRe.MatchString(p):
			add(f, "%q is not an absolute URL path", p)
		case p == "/":
			add(f, `"/" would send everything to the app servers; static content and %s must stay on httpd`, c.HealthPath)
		case captures(p, c.HealthPath):
			add(f, "%q would send the health URL %s to the app servers", p, c.HealthPath)
		case captures(p, StatusPath):
			add(f, "%q would send %s to the app servers", p, StatusPath)
		}
		if j, dup := seen[p]; dup {
			add(f, "%q duplicates app_paths[%d]", p, j)
		} else {
			seen[p] = i
		}
	}
	if c.HealthPath == StatusPath {
		add("health_path", "%s is the status page", StatusPath)
	}

	for i, a := range c.StatusAllow {
		if _, err := netip.ParsePrefix(a); err != nil {
			if _, err := netip.ParseAddr(a); err != nil {
				add(fmt.Sprintf("status_allow[%d]", i), "%q is not an IP address or CIDR", a)
			}
		}
	}
	if c.HealthCheckInterval < 1 || c.HealthCheckInterval > 3600 {
		add("health_check_interval", "%d: want 1 to 3600 seconds", c.HealthCheckInterval)
	}
	if c.KeepAliveTimeout < 1 || c.KeepAliveTimeout > 3600 {
		add("keep_alive_timeout", "%d: want 1 to 3600 seconds", c.KeepAliveTimeout)
	}
	if c.MaxRequestWorkers < ThreadsPerChild || c.MaxRequestWorkers%ThreadsPerChild != 0 || c.MaxRequestWorkers > 20000 {
		add("max_request_workers", "%d: want a multiple of %d between %d and 20000", c.MaxRequestWorkers, ThreadsPerChild, ThreadsPerChild)
	}
	errs = append(errs, c.Layout.validate()...)
	return errors.Join(errs...)
}

func (l Layout) validate() []error {
	var errs []error
	paths := []struct{ name, v string }{
		{"server_root", l.ServerRoot}, {"modules_dir", l.ModulesDir}, {"pid_file", l.PidFile},
		{"runtime_dir", l.RuntimeDir}, {"log_dir", l.LogDir}, {"document_root", l.DocumentRoot},
		{"mutex_dir", l.MutexDir}, {"conf_file", l.ConfFile}, {"conf_dir", l.ConfDir}, {"mime_types", l.MimeTypes},
	}
	for _, p := range paths {
		if !filepath.IsAbs(p.v) || strings.ContainsAny(p.v, "\"\n\r\\ ") {
			errs = append(errs, fmt.Errorf("httpd: layout.%s: %q must be an absolute path without spaces, quotes or backslashes", p.name, p.v))
		}
	}
	for _, u := range []struct{ name, v string }{{"user", l.User}, {"group", l.Group}} {
		if !nameRe.MatchString(u.v) {
			errs = append(errs, fmt.Errorf("httpd: layout.%s: %q is not a user or group name", u.name, u.v))
		}
	}
	return errs
}

// captures reports whether a proxied prefix p would match the URL path u.
func captures(p, u string) bool {
	return strings.HasPrefix(u, p) || strings.TrimSuffix(p, "/") == u
}

// listenAddr parses "IP:port" or "*:port" into the VirtualHost address.
func listenAddr(s string) (string, error) {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return "", fmt.Errorf("%q: want IP:port or *:port", s)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 1 || p > 65535 {
		return "", fmt.Errorf("%q: %q is not a TCP port", s, port)
	}
	if host == "*" {
		return s, nil
	}
	if _, err := netip.ParseAddr(host); err != nil {
		return "", fmt.Errorf("%q: %q is not an IP address (or *)", s, host)
	}
	return s, nil
}

func checkHost(a string) error {
	if a == "" {
		return errors.New("required")
	}
	if _, err := netip.ParseAddr(a); err == nil {
		return nil
	}
	if !hostRe.MatchString(a) {
		return fmt.Errorf("%q is neither an IP address nor a DNS name", a)
	}
	return nil
}
