package stacks

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/hawebtier/hawebtier/onprem"
)

// OnPremConfig is `hawebtier:onprem`: where the tier goes in vCenter and
// which addresses its nodes get.
type OnPremConfig struct {
	Datacenter   string `json:"datacenter"`
	Cluster      string `json:"cluster"`
	Datastore    string `json:"datastore"`
	ResourcePool string `json:"resourcePool"` // default: the cluster's root pool
	PortGroup    string `json:"portGroup"`
	Template     string `json:"template"`
	// Folder is the VM folder the tier creates, relative to the datacenter.
	Folder string `json:"folder"`
	// Domain is the DNS domain of the nodes (FQDN = name.domain).
	Domain    string          `json:"domain"`
	Network   OnPremNetwork   `json:"network"`
	VIP       string          `json:"vip"`
	Addresses OnPremAddresses `json:"addresses"`
	// VRRPRouterID identifies the VIP's VRRP instance on the segment (1-255).
	VRRPRouterID int `json:"vrrpRouterId"`
	// WaitForGuestNetMinutes is how long to wait for VMware Tools to report
	// an address; 0 (default) does not wait, for labs without Tools.
	WaitForGuestNetMinutes int `json:"waitForGuestNetMinutes"`
	// Sizes per role (lb, web, app, monitor): a role or a field left out
	// takes onprem.DefaultSizes.
	Sizes map[string]onprem.Size `json:"sizes"`
	// SSH enables the day-2 configuration path. The key comes from the
	// secret config `hawebtier:sshPrivateKey`.
	SSH *SSHConfig `json:"ssh"`
	// DeployedCounts records the web and app counts the tier's VMs were
	// first created with (default: the current counts). Running VMs ignore
	// user-data changes, so counts above these reach the running load
	// balancers and web servers only over SSH: onprem.ssh is then required.
	DeployedCounts *onprem.Counts `json:"deployedCounts"`
}

// OnPremNetwork is the one subnet the tier lives on.
type OnPremNetwork struct {
	Subnet    string   `json:"subnet"`  // CIDR, e.g. 10.20.30.0/24
	Gateway   string   `json:"gateway"` // in Subnet
	DNS       []string `json:"dns"`
	Interface string   `json:"interface"` // guest NIC name, default roles.DefaultInterface
}

// OnPremAddresses are the nodes' static addresses, one per node.
type OnPremAddresses struct {
	LB      []string `json:"lb"`
	Web     []string `json:"web"`
	App     []string `json:"app"`
	Monitor string   `json:"monitor"`
}

// SSHConfig is how the day-2 component reaches the nodes: the tier's
// onprem.SSH by its json names (user, port, hostKeys: node name -> public
// host key, cloudInitTimeoutSeconds), the key from secret config
// (hawebtier:sshPrivateKey), and the public keys cloud-init authorizes.
type SSHConfig struct {
	onprem.SSH
	// AuthorizedKeys are public keys cloud-init authorizes for User on
	// first boot (optional when the template already has them).
	AuthorizedKeys []string `json:"authorizedKeys"`
}

func (o *OnPremConfig) applyDefaults() {
	if o.VRRPRouterID == 0 {
		o.VRRPRouterID = 51
	}
}

func (o *OnPremConfig) validate(c *Config, ps *problems) {
	k := func(s string) string { return key("onprem." + s) }
	requireName(ps, k("datacenter"), o.Datacenter, "the vSphere datacenter name")
	requireName(ps, k("cluster"), o.Cluster, "the vSphere compute cluster name")
	requireName(ps, k("datastore"), o.Datastore, "the datastore name")
	requireName(ps, k("portGroup"), o.PortGroup, "the port group (network) name")
	requireName(ps, k("template"), o.Template, "the VM template to clone")
	requireName(ps, k("folder"), o.Folder, "the VM folder to create")
	requireName(ps, k("domain"), o.Domain, "the DNS domain of the nodes")
	if o.WaitForGuestNetMinutes < 0 {
		ps.add(k("waitForGuestNetMinutes"), "expected 0 or more, got %d", o.WaitForGuestNetMinutes)
	}

	subnet, err := netip.ParsePrefix(o.Network.Subnet)
	subnetOK := err == nil
	if !subnetOK {
		ps.add(k("network.subnet"), "expected an IPv4 CIDR such as 10.20.30.0/24, got %q", o.Network.Subnet)
	} else if subnet.Masked() != subnet || !subnet.Addr().Is4() {
		ps.add(k("network.subnet"), "expected a network address in IPv4 CIDR form (%s), got %q", subnet.Masked(), o.Network.Subnet)
		subnetOK = false
	}

	// Every address the tier uses, with the key that names it.
	type addr struct {
		key string
		ip  netip.Addr
	}
	var all []addr
	check := func(kk, v string) {
		ip, err := netip.ParseAddr(v)
		if err != nil || !ip.Is4() {
			ps.add(kk, "expected an IPv4 address, got %q", v)
			return
		}
		if subnetOK {
			if !subnet.Contains(ip) {
				ps.add(kk, "%s is outside the subnet %s", ip, subnet)
				return
			}
			if ip == subnet.Addr() {
				ps.add(kk, "%s is the subnet's network address", ip)
				return
			}
			if ip == lastAddr(subnet) {
				ps.add(kk, "%s is the subnet's broadcast address", ip)
				return
			}
		}
		all = append(all, addr{kk, ip})
	}
	check(k("network.gateway"), o.Network.Gateway)
	if len(o.Network.DNS) == 0 {
		ps.add(k("network.dns"), "need at least one DNS server")
	}
	for i, d := range o.Network.DNS {
		if ip, err := netip.ParseAddr(d); err != nil || !ip.Is4() {
			ps.add(fmt.Sprintf("%s[%d]", k("network.dns"), i), "expected an IPv4 address, got %q", d)
		}
	}
	check(k("vip"), o.VIP)
	if len(o.Addresses.LB) != 2 {
		ps.add(k("addresses.lb"), "need exactly 2 load balancer addresses (an HAProxy pair sharing the VIP), got %d", len(o.Addresses.LB))
	}
	if len(o.Addresses.Web) != c.Web.Count {
		ps.add(k("addresses.web"), "need %d addresses, one per web server (web.count), got %d", c.Web.Count, len(o.Addresses.Web))
	}
	if len(o.Addresses.App) != c.App.Count {
		ps.add(k("addresses.app"), "need %d addresses, one per app server (app.count), got %d", c.App.Count, len(o.Addresses.App))
	}
	for i, a := range o.Addresses.LB {
		check(fmt.Sprintf("%s[%d]", k("addresses.lb"), i), a)
	}
	for i, a := range o.Addresses.Web {
		check(fmt.Sprintf("%s[%d]", k("addresses.web"), i), a)
	}
	for i, a := range o.Addresses.App {
		check(fmt.Sprintf("%s[%d]", k("addresses.app"), i), a)
	}
	check(k("addresses.monitor"), o.Addresses.Monitor)

	seen := map[netip.Addr]string{}
	for _, a := range all {
		if first, dup := seen[a.ip]; dup {
			if a.key == k("vip") || first == k("vip") {
				ps.add(a.key, "%s collides with %s: the VIP must be an address no node or gateway uses", a.ip, first)
			} else {
				ps.add(a.key, "duplicate address %s, already used by %s", a.ip, first)
			}
			continue
		}
		seen[a.ip] = a.key
	}

	if o.SSH != nil {
		if !c.HasSSHPrivateKey {
			ps.add(key("sshPrivateKey"), "required when onprem.ssh is set: set it with `pulumi config set --secret hawebtier:sshPrivateKey < key`")
		}
		for i, pk := range o.SSH.AuthorizedKeys {
			if !looksLikePublicKey(pk) {
				ps.add(fmt.Sprintf("%s[%d]", k("ssh.authorizedKeys"), i), "expected a public key such as \"ssh-ed25519 AAAA... comment\" (never a private key)")
			}
		}
		names := map[string]bool{}
		for _, n := range onPremNodes(c) {
			names[n.name] = true
		}
		for _, name := range slices.Sorted(maps.Keys(o.SSH.HostKeys)) {
			if !names[name] {
				ps.add(k("ssh.hostKeys."+name), "unknown node; expected one of %s", fmtList(onPremNodeNames(c)))
			}
			if !looksLikePublicKey(o.SSH.HostKeys[name]) {
				ps.add(k("ssh.hostKeys."+name), "expected a public host key such as \"ssh-ed25519 AAAA...\"")
			}
		}
	}
	if c.Connector == "proxy_ajp" || c.Connector == "jk" {
		if o.SSH == nil {
			ps.add(k("ssh"), "required with connector %q: the AJP secret reaches the nodes over SSH, never in user-data", c.Connector)
		}
	}
	if d := o.DeployedCounts; d != nil {
		for _, t := range []struct {
			role          string
			deployed, now int
		}{{"web", d.Web, c.Web.Count}, {"app", d.App, c.App.Count}} {
			switch {
			case t.deployed < 2:
				ps.add(k("deployedCounts."+t.role), "need at least 2 (the %s servers the tier was first deployed with), got %d", t.role, t.deployed)
			case t.deployed > t.now:
				ps.add(k("deployedCounts."+t.role), "%d is above %s.count %d: to remove servers, lower deployedCounts.%s to the new count as well", t.deployed, t.role, t.now, t.role)
			case t.deployed < t.now && o.SSH == nil:
				ps.add(k("ssh"), "required to scale a running tier: %s.count %d is above deployedCounts.%s %d, and running VMs ignore user-data changes, so the running nodes learn the new %s servers only over SSH (on a new tier, set deployedCounts to the counts or remove it)", t.role, t.now, t.role, t.deployed, t.role)
			}
		}
	}
}

// onPremNode is one node of the on-prem tier as the stack names it.
type onPremNode struct {
	role, name, address string
}

// onPremNodes lists the nodes the on-prem stack deploys, in role order:
// lb-1, lb-2, web-1..N, app-1..M, mon-1. Addresses missing from the config
// are empty (validation reports them).
func onPremNodes(c *Config) []onPremNode {
	o := c.OnPrem
	at := func(list []string, i int) string {
		if i < len(list) {
			return list[i]
		}
		return ""
	}
	var out []onPremNode
	for _, r := range []struct {
		role  string
		count int
		addrs []string
	}{{"lb", 2, o.Addresses.LB}, {"web", c.Web.Count, o.Addresses.Web}, {"app", c.App.Count, o.Addresses.App}} {
		for i := 0; i < r.count; i++ {
			out = append(out, onPremNode{r.role, r.role + "-" + itoa(i+1), at(r.addrs, i)})
		}
	}
	return append(out, onPremNode{"monitor", "mon-1", o.Addresses.Monitor})
}

func onPremNodeNames(c *Config) []string {
	var out []string
	for _, n := range onPremNodes(c) {
		out = append(out, n.name)
	}
	return out
}

func looksLikePublicKey(k string) bool {
	f := strings.Fields(k)
	return len(f) >= 2 && !strings.Contains(k, "PRIVATE KEY") &&
		(strings.HasPrefix(f[0], "ssh-") || strings.HasPrefix(f[0], "ecdsa-") || strings.HasPrefix(f[0], "sk-"))
}

// lastAddr is the broadcast address of an IPv4 prefix.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As4()
	host := 32 - p.Bits()
	for i := 3; i >= 0 && host > 0; i-- {
		n := host
		if n > 8 {
			n = 8
		}
		b[i] |= byte(1<<n - 1)
		host -= n
	}
	return netip.AddrFrom4(b)
}
