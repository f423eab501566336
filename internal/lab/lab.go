package lab

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/components/haproxy"
	"github.com/hawebtier/hawebtier/components/haproxy/haproxytest"
	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/httpd/httpdtest"
	"github.com/hawebtier/hawebtier/components/keepalived"
	"github.com/hawebtier/hawebtier/components/monitoring"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/components/tomcat"
	"github.com/hawebtier/hawebtier/internal/netns"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

// Programs are what the lab runs; realtool.Need them first.
var Programs = []string{
	"ip", "sh", "mount", "setpriv", "runuser", "curl", "python3", "haproxy", "keepalived", "nft", "apache2",
	"/usr/share/tomcat10/bin/catalina.sh", "prometheus", "promtool", "prometheus-alertmanager", "amtool",
	"prometheus-blackbox-exporter", "prometheus-apache-exporter", "mtail",
}

// Options choose what Start runs.
type Options struct {
	Connector httpd.Connector // default proxy_http
	AJPSecret string          // for proxy_ajp and jk
	// Monitoring starts the monitor (Prometheus, Alertmanager, blackbox
	// exporter) and the web nodes' Apache exporter and mtail.
	Monitoring bool
	// Timings of the monitor's Prometheus (zero: what roles.Files renders).
	Timings Timings
	// Web is the number of web servers, 2 (0) to MaxWeb.
	Web int
}

// Lab is the running tier.
type Lab struct {
	T      roles.Topology
	Net    *netns.Lab
	Client *netns.Host
	LBs    []*Node
	Web    []*Node
	App    []*Node
	Mon    *Node

	t     testing.TB
	mu    sync.Mutex
	procs map[string]*haproxytest.Proc // "haproxy@lb1" -> daemon
	http  *http.Client
}

// Start builds the topology's nodes, checks every rendered file with its
// validator, starts every daemon and waits until the dynamic page answers
// through the VIP from both app servers. Everything stops at the end of
// the test (t.Cleanup).
func Start(t testing.TB, o Options) *Lab {
	t.Helper()
	realtool.NeedRoot(t)
	realtool.Need(t, Programs...)
	needUser(t, keepalived.DefaultScriptUser)
	if o.Connector == "" {
		o.Connector = httpd.ProxyHTTP
	}
	if o.Web == 0 {
		o.Web = 2
	}
	if o.Web < 2 || o.Web > MaxWeb {
		t.Fatalf("lab: Options.Web %d: want 2 to %d", o.Web, MaxWeb)
	}
	topo := TopologyOf(o.Connector, o.AJPSecret, o.Web)
	net, err := netns.New("lab")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(net.Close)
	dir, err := os.MkdirTemp("", "hawebtier-lab-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil { // the tomcat user reaches its base
		t.Fatal(err)
	}
	l := &Lab{T: topo, Net: net, t: t, procs: map[string]*haproxytest.Proc{}}
	l.Client = l.addHost("client", ClientIP)
	l.http = Client(l.Client, 5*time.Second)

	monFiles, err := monitorFiles(topo, o.Timings)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{roles.LB, roles.Web, roles.App, roles.Monitor} {
		for i, rn := range topo.Nodes(role) {
			files, err := roles.Files(topo, role, i)
			if err != nil {
				t.Fatal(err)
			}
			if role == roles.Monitor {
				files = replaceContent(files, monFiles)
			}
			host := l.addHost(rn.Name, rn.Address)
			n, err := newNode(rn.Name, role, host, filepath.Join(dir, rn.Name), files)
			if err != nil {
				t.Fatal(err)
			}
			switch role {
			case roles.LB:
				l.LBs = append(l.LBs, n)
			case roles.Web:
				l.Web = append(l.Web, n)
			case roles.App:
				l.App = append(l.App, n)
			case roles.Monitor:
				l.Mon = n
			}
		}
	}
	// Tomcat takes longest: start both first, check the other nodes'
	// files meanwhile.
	for _, n := range l.App {
		l.StartTomcat(n)
	}
	t.Cleanup(func() {
		for _, n := range l.App {
			_ = n.Tomcat.Stop(10 * time.Second)
		}
	})
	l.parallel(l.all(), func(n *Node) error { return n.Check() })

	for _, n := range l.LBs {
		if out, err := n.Run(10*time.Second, "sysctl", "-p", "/etc/sysctl.d/60-hawebtier-lb.conf"); err != nil {
			t.Fatalf("%s: sysctl: %v %s", n.Name, err, out)
		}
		l.StartHAProxy(n)
		l.StartKeepalived(n)
	}
	if o.Monitoring {
		l.StartMonitor()
	}
	l.parallel(l.App, func(n *Node) error {
		_, err := l.WaitPage(fmt.Sprintf("http://%s:%d%s", n.Host.IP(), roles.AppHTTPPort, tomcat.HelloPath), "hello from "+n.Name, 120*time.Second)
		return err
	})
	for _, n := range l.Web {
		l.StartHTTPD(n)
		if o.Monitoring {
			l.StartWebAgents(n)
		}
	}
	// Every web server reaches every app server (JSPs compiled, balancer
	// members healthy) before any load.
	l.parallel(l.Web, func(n *Node) error {
		for _, a := range l.App {
			if _, err := l.WaitPage("http://"+n.Host.IP()+tomcat.HelloPath, "hello from "+a.Name, 60*time.Second); err != nil {
				return err
			}
		}
		return nil
	})
	if _, ok := haproxytest.Poll(30*time.Second, 100*time.Millisecond, func() bool { return l.VIPHolders() == "lb1" }); !ok {
		t.Fatalf("the VIP never settled on lb1 (the MASTER); holders %q", l.VIPHolders())
	}
	for _, lb := range l.LBs {
		if _, ok := haproxytest.Poll(20*time.Second, 100*time.Millisecond, func() bool { return l.ServersUp(lb) }); !ok {
			t.Fatalf("%s: HAProxy does not see every web server UP: %v", lb.Name, l.serverStatus(lb))
		}
	}
	if _, err := l.WaitPage("http://"+VIP+tomcat.HelloPath, "hello from", 20*time.Second); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			l.dumpLogs()
		}
	})
	return l
}

func (l *Lab) addHost(name, addr string) *netns.Host {
	h, err := l.Net.AddHost(name, roles.DefaultInterface, fmt.Sprintf("%s/%d", addr, PrefixLen))
	if err != nil {
		l.t.Fatal(err)
	}
	return h
}

func (l *Lab) all() []*Node {
	out := append(append(append([]*Node(nil), l.LBs...), l.Web...), l.App...)
	return append(out, l.Mon)
}

// parallel runs fn for every node at once and fails the test with every
// error.
func (l *Lab) parallel(nodes []*Node, fn func(*Node) error) {
	l.t.Helper()
	errs := make([]error, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = fn(n) }()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			l.t.Error(err)
		}
	}
	if l.t.Failed() {
		l.t.FailNow()
	}
}

func (l *Lab) keep(p *haproxytest.Proc) *haproxytest.Proc {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.procs[p.Name] = p
	return p
}

// Proc returns a daemon by name, e.g. "keepalived@lb1".
func (l *Lab) Proc(name string) *haproxytest.Proc {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.procs[name]
}

// StartHAProxy runs HAProxy as Debian's haproxy.service does.
func (l *Lab) StartHAProxy(n *Node) {
	// As haproxy.service with the rendered drop-in runs it: the drop-in's
	// ExecStartPre and ExecStartPost (the VIP guard, the state keepalived
	// tracks), HAProxy, then ExecStopPost once HAProxy has exited, however
	// it ended (the lab's SIGKILL included).
	unit, err := n.Unit(keepalived.DropInPath)
	if err != nil {
		l.t.Fatal(err)
	}
	start := strings.Join(append(unit["ExecStartPre"], unit["ExecStartPost"]...), " && ")
	stop := strings.Join(unit["ExecStopPost"], "; ")
	p := n.Start(l.t, "sh", "-c", start+` && { "$@"; `+stop+`; }`, "sh",
		"haproxy", "-Ws", "-f", "/etc/haproxy/haproxy.cfg", "-p", "/run/haproxy.pid", "-S", "/run/haproxy-master.sock")
	p.Name = "haproxy@" + n.Name
	l.keep(p)
}

// StartKeepalived runs keepalived as keepalived.service does, logging to
// its output (Proc.Output) instead of syslog.
func (l *Lab) StartKeepalived(n *Node) {
	l.keep(n.Start(l.t, "keepalived", "--dont-fork", "--log-console", "--log-detail"))
}

// StartHTTPD runs httpd on the rendered apache2.conf in the foreground.
func (l *Lab) StartHTTPD(n *Node) {
	l.keep(n.Start(l.t, append(httpdtest.StartArgs("/etc/apache2/apache2.conf"), "-DFOREGROUND")...))
}

// StartTomcat starts the node's Tomcat (catalina.sh start, as the tomcat
// user) in its namespace; WaitPage tells when it answers.
func (l *Lab) StartTomcat(n *Node) {
	args := n.Tomcat.Args("start")
	if out, err := n.Host.Cmd(args[0], args[1:]...).CombinedOutput(); err != nil {
		l.t.Fatalf("%s: catalina.sh start: %v %s", n.Name, err, out)
	}
}

// service runs the program of a Debian unit with the ARGS of its
// /etc/default file, as the unit's user.
func (l *Lab) service(n *Node, user, program, defaults string) {
	vars, err := n.Defaults(defaults)
	if err != nil {
		l.t.Fatal(err)
	}
	argv := append([]string{"setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", program}, strings.Fields(vars["ARGS"])...)
	l.keep(n.Start(l.t, argv...))
}

// StartMonitor runs Prometheus, Alertmanager and the blackbox exporter on
// the monitor node.
func (l *Lab) StartMonitor() {
	n := l.Mon
	l.service(n, "prometheus", "/usr/bin/prometheus", "/etc/default/prometheus")
	l.service(n, "prometheus", "/usr/bin/prometheus-alertmanager", "/etc/default/prometheus-alertmanager")
	l.service(n, "prometheus", "/usr/bin/prometheus-blackbox-exporter", "/etc/default/prometheus-blackbox-exporter")
}

// StartWebAgents runs the Apache exporter and mtail on a web node.
func (l *Lab) StartWebAgents(n *Node) {
	l.service(n, "prometheus", "/usr/bin/prometheus-apache-exporter", "/etc/default/prometheus-apache-exporter")
	vars, err := n.Defaults("/etc/default/mtail")
	if err != nil {
		l.t.Fatal(err)
	}
	// mtail.service's ExecStart with its HOST default.
	l.keep(n.Start(l.t, "setpriv", "--reuid=mtail", "--regid=mtail", "--init-groups", "/usr/bin/mtail",
		"--progs", "/etc/mtail", "--logtostderr", "--address", "::", "--port", vars["PORT"], "--logs", vars["LOGS"]))
}

// Get sends one GET from the client host and returns status and body.
func (l *Lab) Get(url string) (int, string, error) {
	resp, err := l.http.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return resp.StatusCode, string(body), err
}

// HTTP is the client host's HTTP client (5 s timeout, no keep-alive).
func (l *Lab) HTTP() *http.Client { return l.http }

// WaitPage polls url from the client until it answers 200 with a body
// containing want, or timeout passes.
func (l *Lab) WaitPage(url, want string, timeout time.Duration) (string, error) {
	var last string
	_, ok := haproxytest.Poll(timeout, 250*time.Millisecond, func() bool {
		code, body, err := l.Get(url)
		last = fmt.Sprintf("%d %q %v", code, firstLine(body), err)
		return err == nil && code == http.StatusOK && strings.Contains(body, want)
	})
	if !ok {
		return last, fmt.Errorf("lab: %s never answered 200 with %q in %v; last: %s", url, want, timeout, last)
	}
	return last, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}

// VIPHolders names the load balancers whose interface holds the VIP
// ("lb1", "lb2", "lb1+lb2" or ""). An interface that is down holds nothing
// (a node whose link is cut keeps the address but cannot answer for it).
func (l *Lab) VIPHolders() string {
	var hs []string
	for _, n := range l.LBs {
		out, _ := exec.Command("ip", "-n", n.Host.Name, "-4", "-o", "addr", "show", "dev", roles.DefaultInterface, "up").Output()
		if strings.Contains(string(out), " "+VIP+"/") {
			hs = append(hs, n.Name)
		}
	}
	return strings.Join(hs, "+")
}

// AdminSocket is the HAProxy admin socket of a load balancer, as this
// machine sees it.
func (l *Lab) AdminSocket(lb *Node) string { return lb.HostPath(haproxy.DefaultStatsSocket) }

func (l *Lab) serverStatus(lb *Node) map[string]string {
	st, err := haproxytest.ServerStatus(l.AdminSocket(lb), haproxy.BackendName)
	if err != nil {
		return map[string]string{"error": err.Error()}
	}
	return st
}

// ServerSessions is how many sessions lb's HAProxy has sent each web
// server (the stats' stot).
func (l *Lab) ServerSessions(lb *Node) (map[string]int, error) {
	stats, err := haproxytest.ServerStats(l.AdminSocket(lb), haproxy.BackendName)
	if err != nil {
		return nil, err
	}
	sessions := map[string]int{}
	for sv, row := range stats {
		n, err := strconv.Atoi(row["stot"])
		if err != nil {
			return nil, fmt.Errorf("show stat: %s stot %q: %w", sv, row["stot"], err)
		}
		sessions[sv] = n
	}
	return sessions, nil
}

// ServerStatus is HAProxy's view of one web server on lb ("UP", "DOWN",
// ...), or "" when it cannot be read.
func (l *Lab) ServerStatus(lb *Node, web string) string {
	return l.serverStatus(lb)[web]
}

// ServersUp reports whether lb's HAProxy sees every web server UP.
func (l *Lab) ServersUp(lb *Node) bool {
	st := l.serverStatus(lb)
	for _, w := range l.Web {
		if st[w.Name] != "UP" {
			return false
		}
	}
	return true
}

// Node returns the node named name.
func (l *Lab) Node(name string) *Node {
	for _, n := range l.all() {
		if n.Name == name {
			return n
		}
	}
	l.t.Fatalf("lab: no node %q", name)
	return nil
}

func (l *Lab) dumpLogs() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for name, p := range l.procs {
		out := p.Output()
		if len(out) > 3000 {
			out = "..." + out[len(out)-3000:]
		}
		l.t.Logf("--- %s:\n%s", name, out)
	}
	for _, n := range l.Web {
		if b, err := os.ReadFile(n.Root + "/var/log/apache2/error.log"); err == nil {
			s := string(b)
			if len(s) > 2000 {
				s = "..." + s[len(s)-2000:]
			}
			l.t.Logf("--- %s error.log:\n%s", n.Name, s)
		}
	}
}

// monitorFiles renders the monitor's files with timings, keyed by their
// install path.
func monitorFiles(t roles.Topology, timings Timings) (map[string]string, error) {
	f, err := monitoring.Render(MonitoringConfig(t, timings))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range f {
		out[monitoring.InstallPath(k)] = v
	}
	return out, nil
}

// replaceContent gives each file the content that by-path has for it.
func replaceContent(files []roles.Managed, byPath map[string]string) []roles.Managed {
	out := append([]roles.Managed(nil), files...)
	for i, f := range out {
		if c, ok := byPath[f.Path]; ok {
			out[i].Content = c
		}
	}
	return out
}

var userOnce sync.Map

// needUser makes sure a system user exists, as roles.UserData's users:
// do on a real node (keepalived's script user).
func needUser(t testing.TB, name string) {
	t.Helper()
	once, _ := userOnce.LoadOrStore(name, &sync.Once{})
	once.(*sync.Once).Do(func() {
		if exec.Command("id", name).Run() == nil {
			return
		}
		out, err := exec.Command("useradd", "-r", "-s", "/usr/sbin/nologin", name).CombinedOutput()
		if err != nil && exec.Command("id", name).Run() != nil {
			t.Fatalf("creating user %s: %v %s", name, err, out)
		}
	})
}
