package haproxy

import (
	"fmt"
	"net/netip"
	"strings"
)

// Render returns haproxy.cfg for c (defaults applied). It validates first
// and returns every problem at once, naming the field; it never returns a
// configuration HAProxy would reject.
func Render(c Config) (string, error) {
	c = c.WithDefaults()
	if err := c.validate(); err != nil {
		return "", err
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }

	w("# haproxy.cfg rendered by hawebtier (components/haproxy); changes by hand are overwritten.")
	w("global")
	w("    %s", logLine(c.Log))
	w("    maxconn %d", c.MaxConn)
	w("    # Admin level: day-2 tooling and tests drain servers and read states here.")
	w("    stats socket %s mode 600 level admin", c.StatsSocket)
	w("    stats timeout 30s")
	if c.PIDFile != "" {
		w("    pidfile %s", c.PIDFile)
	}
	if c.Chroot != "" {
		w("    chroot %s", c.Chroot)
	}
	if c.User != "" {
		w("    user %s", c.User)
	}
	if c.Group != "" {
		w("    group %s", c.Group)
	}
	w("")
	w("defaults")
	w("    mode http")
	w("    log global")
	w("    option httplog")
	w("    option dontlognull")
	w("    # A failed connection is retried up to %d times, each time on another server", c.Retries)
	w("    # (redispatch 1), so a server that died since its last check costs no request.")
	w("    retries %d", c.Retries)
	w("    option redispatch 1")
	if c.RetryOn != "" {
		w("    retry-on %s", c.RetryOn)
	}
	t := c.Timeouts
	w("    timeout connect %dms", t.ConnectMs)
	w("    timeout client %dms", t.ClientMs)
	w("    timeout server %dms", t.ServerMs)
	w("    timeout http-request %dms", t.HTTPRequestMs)
	w("    timeout http-keep-alive %dms", t.HTTPKeepAliveMs)
	w("    timeout queue %dms", t.QueueMs)
	w("    timeout check %dms", t.CheckMs)
	w("")
	w("frontend http_in")
	w("    bind %s", c.Bind)
	w("    option forwardfor")
	w("    default_backend %s", BackendName)
	w("")
	w("backend %s", BackendName)
	w("    balance roundrobin")
	if c.RetryOn != "" {
		w("    # Layer-7 retries resend a request whose server failed under it: only")
		w("    # idempotent requests, never a POST that may already have taken effect.")
		w("    http-request disable-l7-retry if !METH_GET !METH_HEAD")
	}
	w("    # Active checks of a URL httpd serves itself: one Tomcat failing never ejects every web server.")
	w("    option httpchk")
	if c.HealthHost != "" {
		w("    http-check send meth GET uri %s ver HTTP/1.1 hdr Host %s", c.HealthPath, c.HealthHost)
	} else {
		w("    http-check send meth GET uri %s", c.HealthPath)
	}
	w("    http-check expect status 200")
	w("    # Down after %d failed checks %d ms apart; host names that do not resolve yet do not stop HAProxy.",
		c.Check.Fall, c.Check.InterMs)
	w("    default-server check inter %dms fall %d rise %d init-addr last,libc,none",
		c.Check.InterMs, c.Check.Fall, c.Check.Rise)
	for _, s := range c.Servers {
		w("    server %s %s", s.Name, hostPort(s.Address, s.Port))
	}
	w("")
	w("# Admin listener on this node's own address only: stats page, Prometheus exporter,")
	w("# and the monitor URL keepalived's check script asks.")
	w("frontend admin")
	w("    bind %s", c.AdminBind)
	w("    monitor-uri %s", c.MonitorPath)
	w("    http-request use-service prometheus-exporter if { path %s }", c.MetricsPath)
	w("    stats enable")
	w("    stats uri %s", c.StatsPath)
	w("    stats refresh 10s")
	return b.String(), nil
}

// CheckCommand is the command that validates a rendered file on a node
// (day-2 runs it before reloading).
func CheckCommand(path string) string { return "haproxy -c -f " + path }

func logLine(target string) string {
	if target == "stdout" || target == "stderr" {
		return "log " + target + " format raw local0"
	}
	return "log " + target + " local0"
}

func hostPort(host string, port int) string {
	if a, err := netip.ParseAddr(host); err == nil && a.Is6() {
		return fmt.Sprintf("[%s]:%d", host, port)
	}
	return fmt.Sprintf("%s:%d", host, port)
}
