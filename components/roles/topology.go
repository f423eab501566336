package roles

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/monitoring"

	"github.com/hawebtier/hawebtier/components/problem"
)

// Roles.
const (
	LB      = "lb"      // HAProxy + keepalived (on-prem only)
	Web     = "web"     // Apache httpd
	App     = "app"     // Tomcat
	Monitor = "monitor" // Prometheus, Alertmanager, blackbox exporter (on-prem only)
)

// Node is one server: its host name (a DNS label) and static address.
type Node struct {
	Name    string
	Address string
}

// AppSecrets tells the AWS app servers where their secrets are. Only ARNs
// and endpoints: the instances fetch the values at boot with their
// instance profile.
type AppSecrets struct {
	Region            string // e.g. eu-central-1
	DatabaseSecretARN string // RDS-managed master password secret
	CacheSecretARN    string // ElastiCache auth token secret; optional
	DatabaseEndpoint  string // host:port
	CacheEndpoint     string // host:port; optional
}

// Topology is one deployment of the tier. On-prem: two LBs, the web and
// app servers and the monitor, with static addresses in one subnet. AWS
// (AppEndpoint set): no node lists at all, since Auto Scaling Group
// instances share one user-data per role.
type Topology struct {
	Environment string // dev, staging, production
	// Domain is the nodes' DNS domain (FQDN = name.domain). Required
	// on-prem; on AWS it only names httpd's ServerName (default
	// <environment>.internal).
	Domain    string
	Connector httpd.Connector // proxy_http (default), proxy_ajp, jk
	// VIP is the address the load balancers share, in the nodes' subnet
	// of PrefixLen bits (on-prem).
	VIP       string
	PrefixLen int
	Interface string // guest NIC name, default ens192
	// VRRPRouterID is the VIP's VRRP instance on the segment, 1-255.
	VRRPRouterID int
	LBs          []Node // exactly 2 on-prem; index 0 is the MASTER
	Web          []Node
	App          []Node // on-prem; empty on AWS
	// AppEndpoint is, on AWS, the internal ALB's DNS name that httpd
	// proxies to (proxy_http, port 80). Setting it selects the AWS target.
	AppEndpoint string
	Monitor     *Node  // required on-prem
	HealthPath  string // answered by httpd itself; default /healthz
	// SSHUser is the day-2 login: "root" (default) gets
	// SSHAuthorizedKeys through cloud-init's disable_root: false; any
	// other name is created with passwordless sudo.
	SSHUser           string
	SSHAuthorizedKeys []string // public keys only
	// AJPSecret is the secret httpd and Tomcat share with proxy_ajp and
	// jk. Only Files uses it (for the day-2 step); UserData ignores it.
	// Empty: Files renders the placeholder and marks those files Secret.
	AJPSecret string
	// MembersOverDay2 (on-prem): the day-2 path delivers the files that
	// list the tier's members (HAProxy's servers, httpd's balancer or jk's
	// workers, Prometheus' targets), so UserData leaves them out and a
	// node's first-boot data does not grow with the tier. The services
	// they configure are enabled at boot and started by the day-2 step.
	MembersOverDay2 bool
	// AppSecrets (AWS only): the app servers fetch these at boot.
	AppSecrets *AppSecrets
	// Alertmanager routes alerts (on-prem monitor). Zero: alerts stay in
	// Alertmanager's UI.
	Alertmanager monitoring.AlertmanagerConfig
}

// Defaults.
const (
	DefaultInterface  = "ens192"
	DefaultHealthPath = "/healthz"
	DefaultSSHUser    = "root"
)

// OnAWS reports whether t is the AWS target (AppEndpoint set).
func (t Topology) OnAWS() bool { return t.AppEndpoint != "" }

// Roles lists the roles the target has.
func (t Topology) Roles() []string {
	if t.OnAWS() {
		return []string{Web, App}
	}
	return []string{LB, Web, App, Monitor}
}

// Nodes returns the nodes of a role (nil on AWS, where instances have no
// fixed names).
func (t Topology) Nodes(role string) []Node {
	switch role {
	case LB:
		return t.LBs
	case Web:
		return t.Web
	case App:
		return t.App
	case Monitor:
		if t.Monitor != nil {
			return []Node{*t.Monitor}
		}
	}
	return nil
}

func (t Topology) withDefaults() Topology {
	if t.Connector == "" {
		t.Connector = httpd.ProxyHTTP
	}
	if t.Interface == "" {
		t.Interface = DefaultInterface
	}
	if t.HealthPath == "" {
		t.HealthPath = DefaultHealthPath
	}
	if t.SSHUser == "" {
		t.SSHUser = DefaultSSHUser
	}
	if t.Domain == "" && t.OnAWS() {
		t.Domain = t.Environment + ".internal"
	}
	return t
}

var (
	labelRE   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	domainRE  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$`)
	ifaceRE   = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,15}$`)
	pathRE    = regexp.MustCompile(`^/[A-Za-z0-9._~/%-]*$`)
	userRE    = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
	secretRE  = regexp.MustCompile(`^[A-Za-z0-9._~-]{16,128}$`)
	regionRE  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
	arnRE     = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:secret:[A-Za-z0-9/_+=.@!-]+$`)
	endpntRE  = regexp.MustCompile(`^[A-Za-z0-9.-]+:[0-9]{1,5}$`)
	pubKeyRE  = regexp.MustCompile(`^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( \S.*)?$`)
	hostRE    = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\.?$`)
	envNameRE = labelRE
)

// Validate returns every problem of t at once, each naming its field.
func (t Topology) Validate() error {
	t = t.withDefaults()
	probs := problem.List{Component: "roles"}
	bad := probs.Add

	if !envNameRE.MatchString(t.Environment) {
		bad("environment", "expected a lowercase name such as staging, got %q", t.Environment)
	}
	if !t.Connector.Valid() {
		bad("connector", "unknown connector %q, expected one of %s", t.Connector, httpd.ConnectorNames())
	}
	if !pathRE.MatchString(t.HealthPath) {
		bad("healthPath", "expected an absolute URL path, got %q", t.HealthPath)
	}
	if !userRE.MatchString(t.SSHUser) {
		bad("sshUser", "expected a lowercase user name, got %q", t.SSHUser)
	}
	for i, k := range t.SSHAuthorizedKeys {
		if !pubKeyRE.MatchString(k) {
			bad(fmt.Sprintf("sshAuthorizedKeys[%d]", i), "expected one OpenSSH public key line (a private key never belongs here)")
		}
	}
	ajp := t.Connector.UsesAJP()
	switch {
	case t.AJPSecret == "":
	case !ajp:
		bad("ajpSecret", "set, but connector %s does not use AJP", t.Connector)
	case strings.Contains(t.AJPSecret, "NOT-YET-DELIVERED"):
		bad("ajpSecret", "is a placeholder, not a secret")
	case !secretRE.MatchString(t.AJPSecret):
		bad("ajpSecret", "expected 16-128 characters of A-Z a-z 0-9 . _ ~ - (got %d characters)", len(t.AJPSecret))
	}

	if t.OnAWS() {
		t.validateAWS(bad)
	} else {
		t.validateOnPrem(bad)
	}
	return probs.Err()
}

func (t Topology) validateAWS(bad func(string, string, ...any)) {
	if !hostRE.MatchString(t.AppEndpoint) {
		bad("appEndpoint", "expected the internal ALB's DNS name, got %q", t.AppEndpoint)
	}
	if t.Connector != httpd.ProxyHTTP {
		bad("connector", "%q cannot be used on AWS: httpd reaches Tomcat through an internal ALB, which speaks HTTP only; use proxy_http", t.Connector)
	}
	for _, g := range []struct {
		field string
		n     int
	}{{"lbs", len(t.LBs)}, {"web", len(t.Web)}, {"app", len(t.App)}} {
		if g.n > 0 {
			bad(g.field, "must be empty on AWS (appEndpoint is set): Auto Scaling Group instances share one user-data per role and have no fixed names or addresses")
		}
	}
	if t.Monitor != nil {
		bad("monitor", "must be empty on AWS: CloudWatch monitors the tier there")
	}
	if t.VIP != "" {
		bad("vip", "must be empty on AWS: the ALBs take the place of the VIP")
	}
	if t.Domain != "" && !domainRE.MatchString(t.Domain) {
		bad("domain", "expected a lowercase DNS domain, got %q", t.Domain)
	}
	if s := t.AppSecrets; s != nil {
		if !regionRE.MatchString(s.Region) {
			bad("appSecrets.region", "expected an AWS region such as eu-central-1, got %q", s.Region)
		}
		if !arnRE.MatchString(s.DatabaseSecretARN) {
			bad("appSecrets.databaseSecretArn", "expected a Secrets Manager secret ARN, got %q", s.DatabaseSecretARN)
		}
		if s.CacheSecretARN != "" && !arnRE.MatchString(s.CacheSecretARN) {
			bad("appSecrets.cacheSecretArn", "expected a Secrets Manager secret ARN, got %q", s.CacheSecretARN)
		}
		if !endpntRE.MatchString(s.DatabaseEndpoint) {
			bad("appSecrets.databaseEndpoint", "expected host:port, got %q", s.DatabaseEndpoint)
		}
		if s.CacheEndpoint != "" && !endpntRE.MatchString(s.CacheEndpoint) {
			bad("appSecrets.cacheEndpoint", "expected host:port, got %q", s.CacheEndpoint)
		}
		if (s.CacheSecretARN == "") != (s.CacheEndpoint == "") {
			bad("appSecrets", "cacheSecretArn and cacheEndpoint go together")
		}
	}
}

func (t Topology) validateOnPrem(bad func(string, string, ...any)) {
	if !domainRE.MatchString(t.Domain) {
		bad("domain", "expected a lowercase DNS domain such as example.internal, got %q", t.Domain)
	}
	if t.AppSecrets != nil {
		bad("appSecrets", "AWS only (set appEndpoint): on-prem nodes receive secrets over SSH")
	}
	if !ifaceRE.MatchString(t.Interface) || t.Interface == "lo" {
		bad("interface", "expected a NIC name of at most 15 characters such as ens192, got %q", t.Interface)
	}
	if t.VRRPRouterID < 1 || t.VRRPRouterID > 255 {
		bad("vrrpRouterId", "expected 1-255, got %d", t.VRRPRouterID)
	}
	if len(t.LBs) != 2 {
		bad("lbs", "need exactly 2 load balancers (an HAProxy pair sharing the VIP), got %d", len(t.LBs))
	}
	if len(t.Web) < 2 {
		bad("web", "need at least 2 web servers for HA, got %d", len(t.Web))
	}
	if len(t.App) < 2 {
		bad("app", "need at least 2 app servers for HA, got %d (on AWS set appEndpoint instead)", len(t.App))
	}
	if t.Monitor == nil {
		bad("monitor", "required on-prem: the node that runs Prometheus and Alertmanager")
	}

	var subnet netip.Prefix
	vip, err := netip.ParseAddr(t.VIP)
	subnetOK := false
	switch {
	case err != nil || !vip.Is4():
		bad("vip", "expected an IPv4 address, got %q", t.VIP)
	case t.PrefixLen < 8 || t.PrefixLen > 30:
		bad("prefixLen", "expected the subnet's prefix length, 8-30, got %d", t.PrefixLen)
	default:
		subnet = netip.PrefixFrom(vip, t.PrefixLen).Masked()
		subnetOK = true
	}

	seenAddr := map[netip.Addr]string{}
	if subnetOK {
		seenAddr[vip] = "vip"
		if vip == subnet.Addr() || vip == broadcast(subnet) {
			bad("vip", "%s is the network or broadcast address of %s", vip, subnet)
		}
	}
	seenName := map[string]string{}
	check := func(field string, n Node) {
		if !labelRE.MatchString(n.Name) {
			bad(field+".name", "expected a lowercase DNS label, got %q", n.Name)
		} else if first, dup := seenName[n.Name]; dup {
			bad(field+".name", "duplicate name %q, already %s", n.Name, first)
		} else {
			seenName[n.Name] = field
		}
		ip, err := netip.ParseAddr(n.Address)
		if err != nil || !ip.Is4() {
			bad(field+".address", "expected an IPv4 address, got %q", n.Address)
			return
		}
		if subnetOK {
			switch {
			case !subnet.Contains(ip):
				bad(field+".address", "%s is outside the subnet %s (vip/prefixLen)", ip, subnet)
			case ip == subnet.Addr() || ip == broadcast(subnet):
				bad(field+".address", "%s is the network or broadcast address of %s", ip, subnet)
			}
		}
		if first, dup := seenAddr[ip]; dup {
			if first == "vip" {
				bad(field+".address", "%s is the VIP: the VIP must be an address no node uses", ip)
			} else {
				bad(field+".address", "duplicate address %s, already %s", ip, first)
			}
			return
		}
		seenAddr[ip] = field
	}
	for _, g := range []struct {
		field string
		nodes []Node
	}{{"lbs", t.LBs}, {"web", t.Web}, {"app", t.App}} {
		for i, n := range g.nodes {
			check(fmt.Sprintf("%s[%d]", g.field, i), n)
		}
	}
	if t.Monitor != nil {
		check("monitor", *t.Monitor)
	}
}

func broadcast(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As4()
	for i := p.Bits(); i < 32; i++ {
		b[i/8] |= 1 << (7 - i%8)
	}
	return netip.AddrFrom4(b)
}
