package haproxy

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// Server is one web server behind the load balancer.
type Server struct {
	Name    string // HAProxy server name, unique in the backend: letters, digits, - _ . :
	Address string // IP address or host name (resolved at start, see init-addr)
	Port    int
}

// Check is the active health check timing. The zero value means the
// defaults (500 ms, 2, 2): a dead server is out after about 1 s. A Check
// that sets any field must set all three.
type Check struct {
	InterMs int // time between two checks of one server
	Fall    int // consecutive failures before a server is marked DOWN
	Rise    int // consecutive successes before a DOWN server is back
}

// Timeouts are HAProxy's timeouts in milliseconds; zero means the default.
// All of them are always written: HAProxy warns about missing timeouts and
// the tests run `haproxy -c -dW`, which makes warnings fatal.
type Timeouts struct {
	ConnectMs       int // default 1000: on a LAN a server that does not answer in 1 s is dead; retry elsewhere
	ClientMs        int // default 30000
	ServerMs        int // default 30000
	HTTPRequestMs   int // default 10000 (slowloris guard)
	HTTPKeepAliveMs int // default 2000
	QueueMs         int // default 5000
	CheckMs         int // default Check.InterMs: a hung (SIGSTOPped) server fails its check this fast
}

// Config is what the load balancer's HAProxy needs to know.
type Config struct {
	// Bind is the frontend address, "10.20.30.10:80" (the VIP; the BACKUP
	// needs net.ipv4.ip_nonlocal_bind=1 to bind it) or "*:80".
	Bind string
	// AdminBind is one address of this node, "10.20.30.11:8404": the stats
	// page, the Prometheus exporter (/metrics) and the monitor URL. Never a
	// wildcard: the admin listener must not be reachable on the VIP.
	AdminBind string
	// Servers are the web servers, checked with GET HealthPath.
	Servers []Server
	// HealthPath is the health URL httpd serves itself. Default "/healthz".
	HealthPath string
	// HealthHost, when set, sends the check as HTTP/1.1 with this Host
	// header (for a name-based virtual host); empty sends HTTP/1.0.
	HealthHost string
	Check      Check
	Timeouts   Timeouts
	// Retries is how often a failed connection is retried, each time on
	// another server (option redispatch 1). Default 3.
	Retries int
	// RetryOn, when set, enables layer-7 retries (e.g. "conn-failure
	// empty-response"); empty keeps HAProxy's default (connection failures).
	RetryOn string
	// MaxConn is the process-wide connection limit. Default 4096.
	MaxConn int
	// StatsSocket is the admin-level runtime socket. Default
	// /run/haproxy/admin.sock.
	StatsSocket string
	// PIDFile is optional.
	PIDFile string
	// Chroot is optional (default off; the lab runs from temporary paths).
	Chroot string
	// User and Group, when set, are what HAProxy drops privileges to.
	User, Group string
	// Log is where HAProxy logs: "/dev/log" (default), "stdout", "stderr",
	// another absolute socket path, or a syslog "ip:port".
	Log string
	// MonitorPath is answered 200 by the admin listener while HAProxy runs:
	// what keepalived's check script asks. Default "/healthz".
	MonitorPath string
	// StatsPath is the stats page. Default "/stats".
	StatsPath string
	// MetricsPath is the built-in Prometheus exporter. Default "/metrics".
	MetricsPath string
}

// Defaults. DefaultCheck takes a dead server out in about 1 s (2 failed
// checks 500 ms apart).
var DefaultCheck = Check{InterMs: 500, Fall: 2, Rise: 2}

const (
	DefaultHealthPath  = "/healthz"
	DefaultRetries     = 3
	DefaultMaxConn     = 4096
	DefaultStatsSocket = "/run/haproxy/admin.sock"
	DefaultLog         = "/dev/log"
	DefaultMonitorPath = "/healthz"
	DefaultStatsPath   = "/stats"
	DefaultMetricsPath = "/metrics"
	// BackendName is the backend of the web servers, as it appears in the
	// stats, the admin socket and the exporter's metrics (proxy="web").
	BackendName = "web"
)

// WithDefaults returns c with every unset field given its default. A
// partly set Check is left alone so Render can report the missing field.
func (c Config) WithDefaults() Config {
	if c.HealthPath == "" {
		c.HealthPath = DefaultHealthPath
	}
	if c.Check == (Check{}) {
		c.Check = DefaultCheck
	}
	t := &c.Timeouts
	for _, d := range []struct {
		field *int
		def   int
	}{
		{&t.ConnectMs, 1000}, {&t.ClientMs, 30000}, {&t.ServerMs, 30000},
		{&t.HTTPRequestMs, 10000}, {&t.HTTPKeepAliveMs, 2000}, {&t.QueueMs, 5000},
		{&t.CheckMs, c.Check.InterMs},
	} {
		if *d.field == 0 {
			*d.field = d.def
		}
	}
	if c.Retries == 0 {
		c.Retries = DefaultRetries
	}
	if c.MaxConn == 0 {
		c.MaxConn = DefaultMaxConn
	}
	if c.StatsSocket == "" {
		c.StatsSocket = DefaultStatsSocket
	}
	if c.Log == "" {
		c.Log = DefaultLog
	}
	if c.MonitorPath == "" {
		c.MonitorPath = DefaultMonitorPath
	}
	if c.StatsPath == "" {
		c.StatsPath = DefaultStatsPath
	}
	if c.MetricsPath == "" {
		c.MetricsPath = DefaultMetricsPath
	}
	return c
}

var (
	serverName = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`)
	hostName   = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$`)
	// urlPath allows what a request line can carry without quoting.
	urlPath  = regexp.MustCompile(`^/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$`)
	word     = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	retryOns = regexp.MustCompile(`^[a-z0-9-]+( [a-z0-9-]+)*$`)
)

// validate checks a defaulted config and returns every problem, each
// naming its field.
func (c Config) validate() error {
	var errs []error
	add := func(field string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("haproxy: %s: %w", field, err))
		}
	}
	add("bind", checkBind(c.Bind, true))
	add("adminBind", checkBind(c.AdminBind, false))
	if len(c.Servers) == 0 {
		add("servers", errors.New("at least one web server is required"))
	}
	seen := map[string]bool{}
	for i, s := range c.Servers {
		f := fmt.Sprintf("servers[%d]", i)
		switch {
		case !serverName.MatchString(s.Name):
			add(f+".name", fmt.Errorf("%q: want letters, digits and - _ . : only", s.Name))
		case seen[s.Name]:
			add(f+".name", fmt.Errorf("%q is used twice", s.Name))
		}
		seen[s.Name] = true
		add(f+".address", checkHost(s.Address))
		add(f+".port", checkPort(s.Port))
	}
	add("healthPath", checkPath(c.HealthPath))
	if c.HealthHost != "" && checkHost(c.HealthHost) != nil {
		add("healthHost", fmt.Errorf("%q is not a host name", c.HealthHost))
	}
	add("check.interMs", atLeast(c.Check.InterMs, 10))
	add("check.fall", atLeast(c.Check.Fall, 1))
	add("check.rise", atLeast(c.Check.Rise, 1))
	t := c.Timeouts
	for _, d := range []struct {
		name string
		v    int
	}{
		{"connectMs", t.ConnectMs}, {"clientMs", t.ClientMs}, {"serverMs", t.ServerMs},
		{"httpRequestMs", t.HTTPRequestMs}, {"httpKeepAliveMs", t.HTTPKeepAliveMs},
		{"queueMs", t.QueueMs}, {"checkMs", t.CheckMs},
	} {
		add("timeouts."+d.name, atLeast(d.v, 1))
	}
	add("retries", atLeast(c.Retries, 1))
	if c.RetryOn != "" && !retryOns.MatchString(c.RetryOn) {
		add("retryOn", fmt.Errorf("%q: want space-separated retry-on keywords", c.RetryOn))
	}
	add("maxConn", atLeast(c.MaxConn, 1))
	add("statsSocket", checkAbs(c.StatsSocket))
	if c.PIDFile != "" {
		add("pidFile", checkAbs(c.PIDFile))
	}
	if c.Chroot != "" {
		add("chroot", checkAbs(c.Chroot))
	}
	if c.User != "" && !word.MatchString(c.User) {
		add("user", fmt.Errorf("%q is not a user name", c.User))
	}
	if c.Group != "" && !word.MatchString(c.Group) {
		add("group", fmt.Errorf("%q is not a group name", c.Group))
	}
	add("log", checkLog(c.Log))
	add("monitorPath", checkPath(c.MonitorPath))
	add("statsPath", checkPath(c.StatsPath))
	add("metricsPath", checkPath(c.MetricsPath))
	paths := map[string]string{}
	for _, p := range []struct{ name, v string }{{"monitorPath", c.MonitorPath}, {"statsPath", c.StatsPath}, {"metricsPath", c.MetricsPath}} {
		if other, dup := paths[p.v]; dup {
			add(p.name, fmt.Errorf("%q is also %s", p.v, other))
		}
		paths[p.v] = p.name
	}
	return errors.Join(errs...)
}

// checkBind accepts "ip:port", "[ipv6]:port" and, when wildcard is true,
// "*:port".
func checkBind(s string, wildcard bool) error {
	if s == "" {
		return errors.New("is empty")
	}
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return fmt.Errorf("%q: want address:port", s)
	}
	host, port := s[:i], s[i+1:]
	p, err := strconv.Atoi(port)
	if err != nil {
		return fmt.Errorf("%q: port %q is not a number", s, port)
	}
	if err := checkPort(p); err != nil {
		return fmt.Errorf("%q: %w", s, err)
	}
	if host == "*" || host == "" {
		if !wildcard {
			return fmt.Errorf("%q: must be one address of this node, not a wildcard", s)
		}
		return nil
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if _, err := netip.ParseAddr(host); err != nil {
		return fmt.Errorf("%q: %q is not an IP address", s, host)
	}
	return nil
}

func checkHost(s string) error {
	if s == "" {
		return errors.New("is empty")
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return nil
	}
	// A numeric last label is a mistyped IP address (10.0.0.300), not a name.
	last := s[strings.LastIndex(s, ".")+1:]
	if len(s) > 253 || !hostName.MatchString(s) || strings.Trim(last, "0123456789") == "" {
		return fmt.Errorf("%q is neither an IP address nor a host name", s)
	}
	return nil
}

func checkPort(p int) error {
	if p < 1 || p > 65535 {
		return fmt.Errorf("port %d is out of range 1-65535", p)
	}
	return nil
}

func checkPath(s string) error {
	if !urlPath.MatchString(s) {
		return fmt.Errorf("%q: want an absolute URL path without spaces", s)
	}
	return nil
}

func checkAbs(s string) error {
	if !strings.HasPrefix(s, "/") || strings.ContainsAny(s, " \t\n\"'") {
		return fmt.Errorf("%q: want an absolute path without spaces or quotes", s)
	}
	return nil
}

func checkLog(s string) error {
	switch {
	case s == "stdout" || s == "stderr":
		return nil
	case strings.HasPrefix(s, "/"):
		return checkAbs(s)
	}
	if err := checkBind(s, false); err != nil {
		return fmt.Errorf("want stdout, stderr, a socket path or ip:port: %w", err)
	}
	return nil
}

func atLeast(v, least int) error {
	if v < least {
		return fmt.Errorf("%d: must be at least %d", v, least)
	}
	return nil
}
