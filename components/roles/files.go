package roles

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/hawebtier/hawebtier/components/cloudinit"
	"github.com/hawebtier/hawebtier/components/haproxy"
	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/keepalived"
	"github.com/hawebtier/hawebtier/components/monitoring"
	"github.com/hawebtier/hawebtier/components/tomcat"
)

// Managed is one configuration file of a node with what keeps it safe to
// change: Check validates a candidate copy ({path} stands for it) before it
// replaces the installed file, Reload makes the service pick the installed
// file up and exits non-zero when the service kept its old configuration.
// Secret files hold the AJP secret (or its placeholder): never log them and
// never put them in user-data.
type Managed struct {
	cloudinit.File
	Check  string // e.g. "haproxy -c -f {path}"; empty: no validator for this file alone
	Reload string // e.g. "systemctl reload-or-restart haproxy"; empty: nothing to reload
	Secret bool
	// Members: the file lists the tier's members, so it changes when the
	// tier grows (see Topology.MembersOverDay2).
	Members bool
}

// ALBIdleTimeoutSeconds is the idle timeout of both AWS ALBs (aws/webtier
// sets it). httpd keeps idle client connections longer (the public ALB
// closes them, never httpd under a request) and idle connections to the
// internal ALB shorter (httpd.BackendIdleSeconds: httpd closes them, never
// the ALB under a request). AWS's default is 60.
const ALBIdleTimeoutSeconds = 60

// Ports the roles use (the Debian packages' defaults).
const (
	WebPort        = 80   // HAProxy frontend on the VIP, httpd on every web server
	AppHTTPPort    = 8080 // Tomcat HTTP connector
	AppAJPPort     = 8009 // Tomcat AJP connector (proxy_ajp, jk)
	LBAdminPort    = 8404 // HAProxy stats, exporter and monitor URL on each LB's own address
	awsALBPort     = 80   // the internal ALB's listener
	tomcatBase     = "/var/lib/tomcat10"
	tomcatConf     = "/etc/tomcat10/server.xml"
	haproxyConf    = "/etc/haproxy/haproxy.cfg"
	keepalivedConf = "/etc/keepalived/keepalived.conf"
	// lbSysctlPath is not cloudinit.SysctlPath: this file is managed like
	// every other (day-2 too), not generated from UserData.Sysctl.
	lbSysctlPath = "/etc/sysctl.d/60-hawebtier-lb.conf"
)

// plan is everything a node of one role gets.
type plan struct {
	files    []Managed
	service  map[string]string // file path -> the service it configures
	packages []string
	users    []cloudinit.User
	bootCmds [][]string // after the files are written, before services (re)start
	services []string   // enabled and (re)started at first boot, in order
}

func (p *plan) add(service string, m Managed) {
	if p.service == nil {
		p.service = map[string]string{}
	}
	p.files = append(p.files, m)
	p.service[m.Path] = service
}

func reload(service string) string { return "systemctl reload-or-restart " + service }

// Files returns the files a node of role runs (index picks the node among
// t.Nodes(role); on AWS it must be 0), in the order to install them: a
// file comes after the files its check reads.
func Files(t Topology, role string, index int) ([]Managed, error) {
	r, err := NewTier(t)
	if err != nil {
		return nil, err
	}
	return r.Files(role, index)
}

// assemble builds the plan of one node of a topology already validated,
// defaults filled in. Without t.AJPSecret, AJP files are rendered with the
// placeholder (still Secret).
// agents, when not nil, keeps the monitoring render of the nodes that are
// not the monitor across calls for one topology (see monitoring).
func assemble(t Topology, role string, index int, agents *monitoring.Files) (*plan, error) {
	if !slices.Contains(t.Roles(), role) {
		return nil, fmt.Errorf("roles: role %q: the %s target has roles %s", role, target(t), strings.Join(t.Roles(), ", "))
	}
	var node Node
	if t.OnAWS() {
		if index != 0 {
			return nil, fmt.Errorf("roles: %s[%d]: on AWS every instance of a role shares one configuration; use index 0", role, index)
		}
	} else {
		nodes := t.Nodes(role)
		if index < 0 || index >= len(nodes) {
			return nil, fmt.Errorf("roles: %s[%d]: the topology has %d %s nodes", role, index, len(nodes), role)
		}
		node = nodes[index]
	}

	p := &plan{}
	var err error
	switch role {
	case LB:
		err = p.lb(t, index)
	case Web:
		err = p.web(t, node)
	case App:
		err = p.app(t, node)
	case Monitor:
		// Only monitoring files.
	}
	if err == nil && !t.OnAWS() {
		err = p.monitoring(t, role, agents)
	}
	if err != nil {
		return nil, fmt.Errorf("roles: %s[%d]: %w", role, index, err)
	}
	return p, nil
}

// Tier renders the nodes of one topology: it validates the topology once
// and finds once per role which files list the tier's members
// (Managed.Members), so rendering every node of a tier of N servers costs
// O(N) renders, not O(N) per node. Files and UserData are the same as the
// package's functions. A Tier is not safe for concurrent use.
type Tier struct {
	t       Topology // validated, defaults filled in
	members map[string]map[string]bool
	agents  monitoring.Files // the monitoring render of every node but the monitor
	// nodes keeps each node assembled without the AJP secret, which
	// UserData and Files share (UserData never renders the secret).
	nodes map[nodeKey]*plan
	// render keeps each distinct file's YAML: the nodes of a role share
	// most files, so N nodes' user-data encode each file once.
	render cloudinit.Renderer
}

type nodeKey struct {
	role  string
	index int
}

// NewTier validates t.
func NewTier(t Topology) (*Tier, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return &Tier{t: t.withDefaults(), members: map[string]map[string]bool{}, nodes: map[nodeKey]*plan{}}, nil
}

// Files is Files(t, role, index).
func (r *Tier) Files(role string, index int) ([]Managed, error) {
	p, err := r.node(r.t, role, index)
	if err != nil {
		return nil, err
	}
	return slices.Clone(p.files), nil
}

// UserData is UserData(t, role, index).
func (r *Tier) UserData(role string, index int) (string, error) {
	t := r.t
	t.AJPSecret = "" // render with the placeholder, whatever the caller passed
	p, err := r.node(t, role, index)
	if err != nil {
		return "", err
	}
	return userData(t, p, role, index, &r.render)
}

// node is the node assembled and marked, once per node for the topology
// without the AJP secret.
func (r *Tier) node(t Topology, role string, index int) (*plan, error) {
	if t.AJPSecret != "" {
		return r.marked(t, role, index)
	}
	k := nodeKey{role, index}
	if p, ok := r.nodes[k]; ok {
		return p, nil
	}
	p, err := r.marked(t, role, index)
	if err != nil {
		return nil, err
	}
	r.nodes[k] = p
	return p, nil
}

// marked assembles one node with the files that list the tier's members
// marked: those that differ when the tier has one more web and one more
// app server. Comparing renders, rather than keeping a list per renderer,
// stays right when a renderer starts or stops naming members; the files
// are the same for every node of a role, so the comparison is made once
// per role.
func (r *Tier) marked(t Topology, role string, index int) (*plan, error) {
	p, err := assemble(t, role, index, &r.agents)
	if err != nil || t.OnAWS() {
		return p, err
	}
	members, ok := r.members[role]
	if !ok {
		if members, err = memberPaths(t, role, &r.agents); err != nil {
			return nil, fmt.Errorf("roles: %s[%d]: %w", role, index, err)
		}
		r.members[role] = members
	}
	for i, f := range p.files {
		p.files[i].Members = members[f.Path]
	}
	return p, nil
}

// memberPaths are the paths of the files of role's first node that change
// when the tier has one more web and one more app server.
func memberPaths(t Topology, role string, agents *monitoring.Files) (map[string]bool, error) {
	p, err := assemble(t, role, 0, agents)
	if err != nil {
		return nil, err
	}
	grown, err := t.withProbeMembers()
	if err != nil {
		return nil, err
	}
	// The agents' files name no member (monitoring), so the grown tier's
	// are the same.
	q, err := assemble(grown, role, 0, agents)
	if err != nil {
		return nil, fmt.Errorf("with one more web and app server: %w", err)
	}
	content := map[string]string{}
	for _, f := range q.files {
		content[f.Path] = f.Content
	}
	out := map[string]bool{}
	for _, f := range p.files {
		if c, ok := content[f.Path]; !ok || c != f.Content {
			out[f.Path] = true
		}
	}
	return out, nil
}

// withProbeMembers is t with one more web and one more app server, at the
// highest addresses of the subnet that no node and not the VIP use.
func (t Topology) withProbeMembers() (Topology, error) {
	t = t.withDefaults()
	vip, err := netip.ParseAddr(t.VIP)
	if err != nil {
		return t, fmt.Errorf("vip %q: %w", t.VIP, err)
	}
	subnet, err := vip.Prefix(t.PrefixLen)
	if err != nil {
		return t, fmt.Errorf("vip %s/%d: %w", t.VIP, t.PrefixLen, err)
	}
	used := map[string]bool{t.VIP: true}
	for _, role := range t.Roles() {
		for _, n := range t.Nodes(role) {
			used[n.Address] = true
		}
	}
	if !vip.Is4() {
		return t, fmt.Errorf("vip %s: the on-prem tier is IPv4", t.VIP)
	}
	b := subnet.Masked().Addr().As4()
	broadcast := netip.AddrFrom4([4]byte(binary.BigEndian.AppendUint32(nil, binary.BigEndian.Uint32(b[:])|(1<<(32-t.PrefixLen)-1))))
	var free []string
	for a := broadcast.Prev(); subnet.Contains(a) && a != subnet.Masked().Addr() && len(free) < 2; a = a.Prev() {
		if !used[a.String()] {
			free = append(free, a.String())
		}
	}
	if len(free) < 2 {
		return t, fmt.Errorf("subnet %s has no two free addresses to tell which files list the members", subnet)
	}
	t.Web = append(slices.Clone(t.Web), Node{Name: "probe-web", Address: free[0]})
	t.App = append(slices.Clone(t.App), Node{Name: "probe-app", Address: free[1]})
	return t, nil
}

func target(t Topology) string {
	if t.OnAWS() {
		return "aws"
	}
	return "on-prem"
}

func (t Topology) ajp() bool { return t.Connector.UsesAJP() }

// ajpSecret is what AJP files are rendered with.
func (t Topology) ajpSecret() string {
	if !t.ajp() {
		return ""
	}
	if t.AJPSecret != "" {
		return t.AJPSecret
	}
	return httpd.SecretPlaceholder
}

// secret reports whether content carries the AJP secret (or placeholder).
func (t Topology) secret(content string) bool {
	s := t.ajpSecret()
	return s != "" && strings.Contains(content, s)
}

func (p *plan) lb(t Topology, index int) error {
	self, peer := t.LBs[index], t.LBs[1-index]
	var servers []haproxy.Server
	for _, w := range t.Web {
		servers = append(servers, haproxy.Server{Name: w.Name, Address: w.Address, Port: WebPort})
	}
	hc := haproxy.Config{
		Bind:       fmt.Sprintf("%s:%d", t.VIP, WebPort),
		AdminBind:  fmt.Sprintf("%s:%d", self.Address, LBAdminPort),
		Servers:    servers,
		HealthPath: t.HealthPath,
		// A web server that dies (or whose Tomcat dies) with a request in
		// flight answers 502 or nothing: retry GET/HEAD on another one.
		RetryOn: LBRetryOn,
		User:    "haproxy",
		Group:   "haproxy",
	}
	cfg, err := haproxy.Render(hc)
	if err != nil {
		return err
	}
	state := "BACKUP"
	if index == 0 {
		state = "MASTER"
	}
	kc := keepalived.Config{
		RouterID:  t.VRRPRouterID,
		Interface: t.Interface,
		VIP:       fmt.Sprintf("%s/%d", t.VIP, t.PrefixLen),
		State:     state,
		SourceIP:  self.Address,
		Peers:     []string{peer.Address},
		CheckURL:  fmt.Sprintf("http://%s:%d%s", self.Address, LBAdminPort, hc.WithDefaults().MonitorPath),
		NodeName:  self.Name,
		// The VIP's port HAProxy serves: dropped, not refused, while no
		// HAProxy listens on the node that holds the VIP.
		GuardPorts: []int{WebPort},
	}
	kconf, err := keepalived.Render(kc)
	if err != nil {
		return err
	}
	guard, err := keepalived.VIPGuard(kc)
	if err != nil {
		return err
	}
	kc = kc.WithDefaults()
	p.add("", Managed{File: root(lbSysctlPath, keepalived.Sysctl(), "0644"), Reload: "sysctl -p {path}"})
	// haproxy.service loads the guard and tells keepalived when HAProxy
	// stops (keepalived.HAProxyDropIn); runcmd's daemon-reload picks the
	// drop-in up before HAProxy's first restart.
	p.add("haproxy", Managed{File: root(kc.GuardPath, guard, "0644"), Check: keepalived.GuardCheckCommand("{path}"), Reload: "nft -f {path}"})
	p.add("haproxy", Managed{File: root(keepalived.DropInPath, keepalived.HAProxyDropIn(kc), "0644"), Reload: "systemctl daemon-reload"})
	p.add("", Managed{File: root(kc.CheckScriptPath, keepalived.CheckScript(kc), "0755"), Check: "sh -n {path}"})
	p.add("haproxy", Managed{File: root(haproxyConf, cfg, "0644"), Check: haproxy.CheckCommand("{path}"), Reload: reload("haproxy")})
	p.add("keepalived", Managed{File: root(keepalivedConf, kconf, "0644"), Check: keepalived.CheckCommand("{path}"), Reload: reload("keepalived")})
	p.packages = append(p.packages, "haproxy", "keepalived", "curl", "nftables") // curl: the check script; nft: the guard
	p.users = append(p.users, cloudinit.User{Name: kc.ScriptUser, Gecos: "keepalived check scripts", System: true})
	// HAProxy on the BACKUP binds the VIP it does not hold yet.
	p.bootCmds = append(p.bootCmds, []string{"sysctl", "-p", lbSysctlPath})
	p.services = append(p.services, "haproxy", "keepalived")
	return nil
}

func (p *plan) web(t Topology, node Node) error {
	c := httpd.Config{
		// Every address: the Apache exporter reads server-status on
		// 127.0.0.1, HAProxy (or the ALB) comes to the node's address.
		Listen:     fmt.Sprintf("*:%d", WebPort),
		Connector:  t.Connector,
		HealthPath: t.HealthPath,
		AJPSecret:  t.ajpSecret(),
		Layout:     httpd.DebianLayout(),
	}
	if t.OnAWS() {
		c.ServerName = "web." + t.Domain
		c.AppServers = []httpd.AppServer{{Address: t.AppEndpoint, HTTPPort: awsALBPort}}
		c.KeepAliveTimeout = ALBIdleTimeoutSeconds + 5
	} else {
		c.ServerName = node.Name + "." + t.Domain
		for _, a := range t.App {
			c.AppServers = append(c.AppServers, httpd.AppServer{Route: a.Name, Address: a.Address, HTTPPort: AppHTTPPort, AJPPort: AppAJPPort})
		}
		c.StatusAllow = []string{t.Monitor.Address}
	}
	files, err := httpd.Render(c)
	if err != nil {
		return err
	}
	// The secret first and httpd.conf last: httpd.conf's check reads the
	// files it includes.
	names := files.Names()
	slices.SortStableFunc(names, func(a, b string) int { return webOrder(a) - webOrder(b) })
	for _, n := range names {
		m := Managed{File: root(c.Layout.Path(n), files[n], "0644"), Reload: reload("apache2")}
		if httpd.IsSecret(n) || t.secret(files[n]) {
			m.Secret, m.Permissions = true, "0600"
		}
		if n == "httpd.conf" {
			// The runtime directories exist only once apache2ctl has run
			// since boot, and httpd -t insists on them.
			m.Check = "mkdir -p " + c.Layout.RuntimeDir + " " + c.Layout.MutexDir + " && " + httpd.CheckCommand("{path}")
		}
		p.add("apache2", m)
	}
	p.packages = append(p.packages, "apache2")
	if t.Connector == httpd.JK {
		p.packages = append(p.packages, "libapache2-mod-jk")
	}
	p.services = append(p.services, "apache2")
	return nil
}

// LBRetryOn are the failures on which HAProxy resends an idempotent
// request to another web server.
const LBRetryOn = "conn-failure empty-response 502 503"

func firstOnly(nodes []Node) []Node {
	if len(nodes) > 1 {
		return nodes[:1]
	}
	return nodes
}

func webOrder(name string) int {
	switch {
	case httpd.IsSecret(name):
		return 0
	case name == "httpd.conf":
		return 2
	}
	return 1
}

func (p *plan) app(t Topology, node Node) error {
	c := tomcat.Config{HTTPPort: AppHTTPPort}
	if t.OnAWS() {
		// Behind the internal ALB, which keeps no route: one name for all.
		c.Address, c.JvmRoute = "0.0.0.0", "app"
	} else {
		c.Address, c.JvmRoute = node.Address, node.Name
		c.StatusAllow = regexp.QuoteMeta(t.Monitor.Address)
		if t.ajp() {
			c.AJPPort, c.AJPSecret = AppAJPPort, t.ajpSecret()
		}
	}
	xml, err := tomcat.RenderServerXML(c)
	if err != nil {
		return err
	}
	apps := tomcat.Webapps()
	for _, n := range apps.Names() {
		// JSPs are recompiled when they change: nothing to reload.
		p.add("tomcat10", Managed{File: cloudinit.File{Path: tomcatBase + "/webapps/" + n, Content: apps[n], Permissions: "0640", Owner: "root:tomcat"}})
	}
	p.add("tomcat10", Managed{
		File:   cloudinit.File{Path: tomcatConf, Content: xml, Permissions: "0640", Owner: "root:tomcat"},
		Check:  wellFormedXML,
		Reload: "systemctl restart tomcat10", // Tomcat has no graceful reload of server.xml
		Secret: t.secret(xml),
	})
	p.packages = append(p.packages, "tomcat10")
	if t.OnAWS() && t.AppSecrets != nil {
		if err := p.appSecrets(*t.AppSecrets); err != nil {
			return err
		}
	}
	p.services = append(p.services, "tomcat10")
	return nil
}

// wellFormedXML is what `catalina.sh configtest` fails on (malformed XML),
// without binding the running Tomcat's ports. python3 is on every image
// cloud-init runs on.
const wellFormedXML = `python3 -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" {path}`

// monitoringRules says how each monitoring file is checked and reloaded.
var monitoringRules = map[string]struct{ check, service string }{
	monitoring.FileRules:             {"promtool check rules {path}", "prometheus"},
	monitoring.FilePrometheus:        {"promtool check config {path}", "prometheus"},
	monitoring.FileAlertmanager:      {"amtool check-config {path}", "prometheus-alertmanager"},
	monitoring.FileBlackbox:          {"prometheus-blackbox-exporter --config.check --config.file={path}", "prometheus-blackbox-exporter"},
	monitoring.FileMtailProgram:      {"mtail --compile_only --progs {path}", "mtail"},
	monitoring.FileDefaultPrometheus: {"", "prometheus"},
	monitoring.FileDefaultAlertmgr:   {"", "prometheus-alertmanager"},
	monitoring.FileDefaultBlackbox:   {"", "prometheus-blackbox-exporter"},
	monitoring.FileDefaultNode:       {"", "prometheus-node-exporter"},
	monitoring.FileDefaultApache:     {"", "prometheus-apache-exporter"},
	monitoring.FileDefaultMtail:      {"", "mtail"},
}

// monitoringOrder installs the rules before prometheus.yml, whose check
// reads them.
var monitoringOrder = []string{
	monitoring.FileRules, monitoring.FilePrometheus, monitoring.FileAlertmanager, monitoring.FileBlackbox,
	monitoring.FileMtailProgram, monitoring.FileDefaultPrometheus, monitoring.FileDefaultAlertmgr,
	monitoring.FileDefaultBlackbox, monitoring.FileDefaultApache, monitoring.FileDefaultMtail, monitoring.FileDefaultNode,
}

func (p *plan) monitoring(t Topology, role string, agents *monitoring.Files) error {
	target := func(n Node) monitoring.Target { return monitoring.Target{Name: n.Name, Address: n.Address} }
	targets := func(ns []Node) []monitoring.Target {
		var out []monitoring.Target
		for _, n := range ns {
			out = append(out, target(n))
		}
		return out
	}
	// Only the monitor's files (Prometheus' targets and rules) name the
	// other nodes; the agents' files on every other node do not. Rendering
	// those with one node per role keeps each node's files O(1) in the
	// tier's size instead of rendering every target once per node.
	lbs, web, app := t.LBs, t.Web, t.App
	if role != Monitor {
		lbs, web, app = firstOnly(lbs), firstOnly(web), firstOnly(app)
	}
	if role != Monitor && agents != nil && *agents != nil {
		return p.monitoringFiles(*agents, role)
	}
	all, err := monitoring.Render(monitoring.Config{
		Environment:             t.Environment,
		LBs:                     targets(lbs),
		Web:                     targets(web),
		App:                     targets(app),
		VIP:                     t.VIP,
		HealthPath:              t.HealthPath,
		AppPath:                 tomcat.HelloPath,
		AppStatusPath:           tomcat.StatusPath,
		Monitor:                 target(*t.Monitor),
		Alertmanager:            t.Alertmanager,
		ApacheMaxRequestWorkers: httpd.DefaultMaxRequestWorkers,
	})
	if err != nil {
		return err
	}
	if role != Monitor && agents != nil {
		*agents = all
	}
	return p.monitoringFiles(all, role)
}

// monitoringFiles adds role's files of the monitoring render.
func (p *plan) monitoringFiles(all monitoring.Files, role string) error {
	files, err := monitoring.RoleFiles(all, role)
	if err != nil {
		return err
	}
	for key := range files {
		if !slices.Contains(monitoringOrder, key) {
			return fmt.Errorf("monitoring file %q has no install rule in package roles", key)
		}
	}
	for _, key := range monitoringOrder {
		content, ok := files[key]
		if !ok {
			continue
		}
		r := monitoringRules[key]
		m := Managed{File: root(monitoring.InstallPath(key), content, "0644"), Check: r.check, Reload: reload(r.service)}
		if strings.HasPrefix(key, "default/") {
			m.Reload = "systemctl restart " + r.service // command-line flags: only a restart reads them
		}
		p.add(r.service, m)
	}
	pkgs, err := monitoring.Packages(role)
	if err != nil {
		return err
	}
	svcs, err := monitoring.Services(role)
	if err != nil {
		return err
	}
	p.packages = append(p.packages, pkgs...)
	p.services = append(p.services, svcs...)
	return nil
}

func root(path, content, perm string) cloudinit.File {
	return cloudinit.File{Path: path, Content: content, Permissions: perm, Owner: "root:root"}
}
