package tomcat

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"text/template"
)

// SecretPlaceholder is the AJP secret to render with when the real one must
// not be written (user-data). See the package documentation.
const SecretPlaceholder = "HAWEBTIER-AJP-SECRET-NOT-YET-DELIVERED"

// Defaults.
const (
	DefaultHTTPPort     = 8080
	DefaultAJPPort      = 8009
	DefaultShutdownPort = -1 // disabled: Base.Stop signals the process instead
	// KeepAliveTimeoutSeconds is how long the HTTP connector keeps an idle
	// connection: longer than httpd keeps an idle pooled one
	// (httpd.BackendIdleSeconds), so Tomcat never closes a connection httpd
	// is about to reuse.
	KeepAliveTimeoutSeconds = 30
)

// LocalStatusAllow is the part of the status endpoint's allow regex that
// is always there: the loopback addresses, as Tomcat writes them.
const LocalStatusAllow = `127\.0\.0\.1|::1|0:0:0:0:0:0:0:1`

// Config is the configuration of one app server.
type Config struct {
	Address      string // bind address of the connectors (an IP address)
	HTTPPort     int    // 8080; 0 disables the HTTP connector
	AJPPort      int    // 8009; 0 disables AJP
	AJPSecret    string // required when AJPPort != 0: 16-128 characters of [A-Za-z0-9._~-]
	JvmRoute     string // e.g. "app1" (Engine jvmRoute; httpd's route= and mod_jk's worker name)
	StatusAllow  string // regex of remote addresses allowed to read /status besides LocalStatusAllow (RemoteAddrValve)
	ShutdownPort int    // 0 means DefaultShutdownPort (-1, disabled)
	// MaxThreads of each connector; default 200 (Tomcat's).
	MaxThreads int
}

var (
	routeRe  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
	secretRe = regexp.MustCompile(`^[A-Za-z0-9._~-]{16,128}$`)
)

// CheckSecret reports whether s can be the AJP secret: 16-128 characters
// of [A-Za-z0-9._~-], which both server.xml and httpd's configuration take
// without quoting. Generate it with pulumi-random (special=false plus
// these characters).
func CheckSecret(s string) error {
	if !secretRe.MatchString(s) {
		return fmt.Errorf("must be 16-128 characters of A-Z a-z 0-9 . _ ~ - (got %d characters)", len(s))
	}
	return nil
}

// CheckRoute reports whether s can be a jvmRoute (and so httpd's route= and
// mod_jk's worker name).
func CheckRoute(s string) error {
	if !routeRe.MatchString(s) {
		return fmt.Errorf("%q: want letters, digits, _ and -, starting with a letter or digit", s)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.ShutdownPort == 0 {
		c.ShutdownPort = DefaultShutdownPort
	}
	if c.MaxThreads == 0 {
		c.MaxThreads = 200
	}
	return c
}

func (c Config) validate() error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("tomcat: %s: %s", field, fmt.Sprintf(format, args...)))
	}
	if _, err := netip.ParseAddr(c.Address); err != nil {
		add("address", "%q is not an IP address", c.Address)
	}
	if c.HTTPPort == 0 && c.AJPPort == 0 {
		add("http_port", "both connectors disabled (http_port and ajp_port are 0)")
	}
	for _, p := range []struct {
		name string
		v    int
	}{{"http_port", c.HTTPPort}, {"ajp_port", c.AJPPort}} {
		if p.v < 0 || p.v > 65535 {
			add(p.name, "%d is not a TCP port (0 disables the connector)", p.v)
		}
	}
	if c.HTTPPort != 0 && c.HTTPPort == c.AJPPort {
		add("ajp_port", "%d is also http_port", c.AJPPort)
	}
	if c.ShutdownPort != -1 && (c.ShutdownPort < 1 || c.ShutdownPort > 65535) {
		add("shutdown_port", "%d: want -1 (disabled) or a TCP port", c.ShutdownPort)
	} else if c.ShutdownPort > 0 && (c.ShutdownPort == c.HTTPPort || c.ShutdownPort == c.AJPPort) {
		add("shutdown_port", "%d is also a connector's port", c.ShutdownPort)
	}
	switch {
	case c.AJPPort != 0 && c.AJPSecret == "":
		add("ajp_secret", "required when the AJP connector is enabled (use SecretPlaceholder in user-data)")
	case c.AJPSecret != "" && CheckSecret(c.AJPSecret) != nil:
		add("ajp_secret", "%v", CheckSecret(c.AJPSecret))
	case c.AJPPort == 0 && c.AJPSecret != "":
		add("ajp_secret", "set but the AJP connector is disabled")
	}
	if c.JvmRoute == "" {
		add("jvm_route", "required (sticky sessions and the balancer's route= use it)")
	} else if err := CheckRoute(c.JvmRoute); err != nil {
		add("jvm_route", "%v", err)
	}
	if c.StatusAllow != "" {
		// Go's RE2 syntax is close to a subset of Java's: what compiles
		// here means the same there for address patterns.
		if _, err := regexp.Compile(c.StatusAllow); err != nil {
			add("status_allow", "not a regular expression: %v", err)
		}
	}
	if c.MaxThreads < 1 || c.MaxThreads > 10000 {
		add("max_threads", "%d: want 1 to 10000", c.MaxThreads)
	}
	return errors.Join(errs...)
}

// statusAllow is the full allow regex of the status endpoint.
func (c Config) statusAllow() string {
	if c.StatusAllow == "" {
		return LocalStatusAllow
	}
	return LocalStatusAllow + "|(?:" + c.StatusAllow + ")"
}

// RenderServerXML validates c and renders conf/server.xml. It returns every
// problem at once and no text when c is invalid.
func RenderServerXML(c Config) (string, error) {
	c = c.withDefaults()
	if err := c.validate(); err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := serverTmpl.Execute(&b, struct {
		Config
		Allow              string
		KeepAliveTimeoutMs int
	}{c, c.statusAllow(), KeepAliveTimeoutSeconds * 1000}); err != nil {
		return "", fmt.Errorf("tomcat: render server.xml: %w", err)
	}
	return b.String(), nil
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

var serverTmpl = template.Must(template.New("server.xml").Funcs(template.FuncMap{"x": xmlEscape}).Parse(`<?xml version="1.0" encoding="UTF-8"?>
<!-- Rendered by hawebtier (components/tomcat). Do not edit: changes are overwritten.
     App server {{x .JvmRoute}}: connectors on {{x .Address}}, status at /status for monitoring. -->
<Server port="{{.ShutdownPort}}" shutdown="SHUTDOWN">
  <Listener className="org.apache.catalina.startup.VersionLoggerListener" />
  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener" />
  <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener" />

  <Service name="Catalina">
{{- if .HTTPPort}}
    <!-- httpd keeps its connections and reuses them (closing one idle for
         httpd.BackendIdleSeconds, before keepAliveTimeout here): no request
         count limits a connection, so none pays for a new one. -->
    <Connector protocol="HTTP/1.1" address="{{x .Address}}" port="{{.HTTPPort}}"
               connectionTimeout="20000" keepAliveTimeout="{{.KeepAliveTimeoutMs}}" maxKeepAliveRequests="-1"
               maxThreads="{{.MaxThreads}}" maxParameterCount="1000" />
{{- end}}
{{- if .AJPPort}}
    <!-- AJP from httpd (mod_proxy_ajp or mod_jk), which must send the same secret. -->
    <Connector protocol="AJP/1.3" address="{{x .Address}}" port="{{.AJPPort}}"
               secretRequired="true" secret="{{x .AJPSecret}}"
               maxThreads="{{.MaxThreads}}" maxParameterCount="1000" />
{{- end}}

    <!-- jvmRoute ends every session id (".{{x .JvmRoute}}"): httpd's sticky sessions follow it. -->
    <Engine name="Catalina" defaultHost="localhost" jvmRoute="{{x .JvmRoute}}">
      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false">
        <Valve className="org.apache.catalina.valves.AccessLogValve" directory="logs"
               prefix="access" suffix=".log" pattern="%h %l %u %t &quot;%r&quot; %s %b %D" />
        <!-- Status for monitoring: loopback and the monitoring addresses only. -->
        <Context path="/status" docBase="status">
          <Valve className="org.apache.catalina.valves.RemoteAddrValve" allow="{{x .Allow}}" />
        </Context>
      </Host>
    </Engine>
  </Service>
</Server>
`))
