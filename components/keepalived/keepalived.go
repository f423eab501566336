package keepalived

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Config is one load balancer's keepalived.
type Config struct {
	RouterID  int    // VRRP virtual_router_id, 1-255, the same on both nodes
	Interface string // e.g. ens192
	VIP       string // "10.20.30.10/24"
	State     string // MASTER or BACKUP: the node's role (picks the default priority)
	Priority  int    // default 150 for MASTER, 100 for BACKUP; 1-254
	SourceIP  string // this node's address (unicast_src_ip)
	// Peers are the other load balancers (unicast_peer), the only sources
	// whose adverts are accepted.
	Peers []string
	// AdvertIntervalMs is the VRRPv3 advert interval, a multiple of 10 ms.
	// Default 200: a dead master is noticed in about 3 intervals.
	AdvertIntervalMs int
	// CheckURL is the local HAProxy answering over HTTP, e.g.
	// "http://10.20.30.11:8404/healthz" (its monitor URL).
	CheckURL string
	// CheckScriptPath is where CheckScript's content is installed. Default
	// /etc/keepalived/check_haproxy.sh (root-owned, mode 0755, in a
	// directory only root can write: enable_script_security refuses others).
	CheckScriptPath string
	// ScriptUser runs the check script. Default "keepalived_script".
	ScriptUser string
	// NoPreempt leaves the VIP where it is when a higher-priority node
	// returns. Default false: preempt after PreemptDelaySec.
	NoPreempt bool
	// PreemptDelaySec is how long a returning higher-priority node waits
	// before taking the VIP back. Default 30; ignored with NoPreempt.
	PreemptDelaySec int
	// CheckIntervalSec, CheckFall and CheckRise time the check script:
	// default every 1 s, FAULT after 2 failures, back after 2 successes.
	CheckIntervalSec, CheckFall, CheckRise int
	// NodeName is the router_id in global_defs (logs, SNMP). Default
	// "lb-" + SourceIP.
	NodeName string
	// StateFile holds 0 while HAProxy runs and 1 once it has stopped,
	// written by haproxy.service (HAProxyDropIn) and read by keepalived
	// through inotify (track_file): the MASTER drops to FAULT the moment
	// HAProxy dies, instead of after CheckFall failed checks. Default
	// DefaultStateFile.
	StateFile string
	// GuardPorts are the VIP's ports HAProxy serves (e.g. 80). VIPGuard
	// drops a request to them that finds no listener, instead of refusing
	// it: between HAProxy's death and the VIP's move the client's SYN goes
	// unanswered, and its retransmission (after 1 s) reaches the new
	// MASTER. Empty: no guard.
	GuardPorts []int
	// GuardPath is where VIPGuard's content is installed (loaded by
	// haproxy.service before HAProxy starts). Default DefaultGuardPath.
	GuardPath string
}

// Defaults.
const (
	DefaultMasterPriority   = 150
	DefaultBackupPriority   = 100
	DefaultAdvertIntervalMs = 200
	DefaultCheckScriptPath  = "/etc/keepalived/check_haproxy.sh"
	DefaultScriptUser       = "keepalived_script"
	DefaultPreemptDelaySec  = 30
	DefaultStateFile        = "/run/hawebtier-haproxy.state"
	DefaultGuardPath        = "/etc/haproxy/hawebtier-vip-guard.nft"
	// DropInPath is where HAProxyDropIn's content is installed.
	DropInPath = "/etc/systemd/system/haproxy.service.d/hawebtier-failover.conf"
)

// WithDefaults returns c with every unset field given its default.
func (c Config) WithDefaults() Config {
	if c.Priority == 0 {
		switch c.State {
		case "MASTER":
			c.Priority = DefaultMasterPriority
		case "BACKUP":
			c.Priority = DefaultBackupPriority
		}
	}
	if c.AdvertIntervalMs == 0 {
		c.AdvertIntervalMs = DefaultAdvertIntervalMs
	}
	if c.CheckScriptPath == "" {
		c.CheckScriptPath = DefaultCheckScriptPath
	}
	if c.ScriptUser == "" {
		c.ScriptUser = DefaultScriptUser
	}
	if c.PreemptDelaySec == 0 && !c.NoPreempt {
		c.PreemptDelaySec = DefaultPreemptDelaySec
	}
	if c.CheckIntervalSec == 0 {
		c.CheckIntervalSec = 1
	}
	if c.CheckFall == 0 {
		c.CheckFall = 2
	}
	if c.CheckRise == 0 {
		c.CheckRise = 2
	}
	if c.NodeName == "" {
		c.NodeName = strings.TrimSuffix("lb-"+c.SourceIP, "-")
	}
	if c.StateFile == "" {
		c.StateFile = DefaultStateFile
	}
	if c.GuardPath == "" {
		c.GuardPath = DefaultGuardPath
	}
	return c
}

var (
	ifaceName = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,15}$`)
	userName  = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
	safeName  = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`)
	safePath  = regexp.MustCompile(`^/[A-Za-z0-9_./-]+$`)
)

func (c Config) validate() error {
	var errs []error
	add := func(field string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("keepalived: %s: %w", field, err))
		}
	}
	add("routerID", inRange(c.RouterID, 1, 255))
	if c.Interface == "" || c.Interface == "lo" || !ifaceName.MatchString(c.Interface) {
		add("interface", fmt.Errorf("%q: want a network interface name (not lo), at most 15 characters", c.Interface))
	}
	vip, err := netip.ParsePrefix(c.VIP)
	if err != nil || vip.Addr().Is4In6() {
		add("vip", fmt.Errorf("%q: want an address with its prefix length, e.g. 10.20.30.10/24", c.VIP))
	}
	if c.State != "MASTER" && c.State != "BACKUP" {
		add("state", fmt.Errorf("%q: want MASTER or BACKUP", c.State))
	}
	add("priority", inRange(c.Priority, 1, 254))
	src, err := netip.ParseAddr(c.SourceIP)
	if err != nil {
		add("sourceIP", fmt.Errorf("%q is not an IP address", c.SourceIP))
	} else if vip.IsValid() {
		switch {
		case src == vip.Addr():
			add("sourceIP", fmt.Errorf("%q is the VIP: want this node's own address", c.SourceIP))
		case src.Is4() != vip.Addr().Is4():
			add("sourceIP", fmt.Errorf("%q and the VIP %q are of different IP versions", c.SourceIP, c.VIP))
		}
	}
	if len(c.Peers) == 0 {
		add("peers", errors.New("at least one peer load balancer is required (unicast VRRP)"))
	}
	seen := map[netip.Addr]bool{}
	for i, p := range c.Peers {
		f := fmt.Sprintf("peers[%d]", i)
		a, err := netip.ParseAddr(p)
		switch {
		case err != nil:
			add(f, fmt.Errorf("%q is not an IP address", p))
		case seen[a]:
			add(f, fmt.Errorf("%q is listed twice", p))
		case src.IsValid() && a == src:
			add(f, fmt.Errorf("%q is this node's own address", p))
		case vip.IsValid() && a == vip.Addr():
			add(f, fmt.Errorf("%q is the VIP", p))
		case src.IsValid() && a.Is4() != src.Is4():
			add(f, fmt.Errorf("%q and sourceIP are of different IP versions", p))
		}
		seen[a] = true
	}
	if c.AdvertIntervalMs%10 != 0 {
		add("advertIntervalMs", fmt.Errorf("%d: VRRPv3 counts in centiseconds, want a multiple of 10", c.AdvertIntervalMs))
	} else {
		add("advertIntervalMs", inRange(c.AdvertIntervalMs, 10, 40950))
	}
	if u, err := url.Parse(c.CheckURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		strings.ContainsAny(c.CheckURL, "'\" \\\t\n") {
		add("checkURL", fmt.Errorf("%q: want an http(s) URL of the local HAProxy, without quotes or spaces", c.CheckURL))
	}
	if !safePath.MatchString(c.CheckScriptPath) {
		add("checkScriptPath", fmt.Errorf("%q: want an absolute path of letters, digits and _ . / - only", c.CheckScriptPath))
	}
	if !userName.MatchString(c.ScriptUser) || c.ScriptUser == "root" {
		add("scriptUser", fmt.Errorf("%q: want an unprivileged system user name", c.ScriptUser))
	}
	switch {
	case c.NoPreempt && c.PreemptDelaySec != 0:
		add("preemptDelaySec", errors.New("set together with noPreempt: choose one"))
	case !c.NoPreempt:
		add("preemptDelaySec", inRange(c.PreemptDelaySec, 1, 1000))
	}
	add("checkIntervalSec", inRange(c.CheckIntervalSec, 1, 3600))
	add("checkFall", inRange(c.CheckFall, 1, 100))
	add("checkRise", inRange(c.CheckRise, 1, 100))
	if !safeName.MatchString(c.NodeName) {
		add("nodeName", fmt.Errorf("%q: want letters, digits and _ . : - only", c.NodeName))
	}
	if !safePath.MatchString(c.StateFile) {
		add("stateFile", fmt.Errorf("%q: want an absolute path of letters, digits and _ . / - only", c.StateFile))
	}
	if !safePath.MatchString(c.GuardPath) {
		add("guardPath", fmt.Errorf("%q: want an absolute path of letters, digits and _ . / - only", c.GuardPath))
	}
	for i, p := range c.GuardPorts {
		add(fmt.Sprintf("guardPorts[%d]", i), inRange(p, 1, 65535))
	}
	return errors.Join(errs...)
}

func inRange(v, lo, hi int) error {
	if v < lo || v > hi {
		return fmt.Errorf("%d is out of range %d-%d", v, lo, hi)
	}
	return nil
}

// Render returns keepalived.conf for c (defaults applied), or every problem
// with c, each naming its field.
func Render(c Config) (string, error) {
	c = c.WithDefaults()
	if err := c.validate(); err != nil {
		return "", err
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	advert := strconv.FormatFloat(float64(c.AdvertIntervalMs)/1000, 'f', -1, 64)
	w("# keepalived.conf rendered by hawebtier (components/keepalived); changes by hand are overwritten.")
	w("#")
	w("# SECURITY: VRRPv3 has no authentication (RFC 5798 removed it): any host on this")
	w("# segment could claim the VIP. Adverts are unicast to the peers below and accepted")
	w("# only from them (check_unicast_src); the host firewall should admit IP protocol 112")
	w("# (VRRP) from these peers only.")
	w("global_defs {")
	w("    router_id %s", c.NodeName)
	w("    vrrp_version 3")
	w("    # The check script runs unprivileged and only if no one but root can change it.")
	w("    script_user %s", c.ScriptUser)
	w("    enable_script_security")
	w("}")
	w("")
	w("# The local HAProxy must answer over HTTP (not merely exist as a process); after")
	w("# %d failures this node goes to FAULT and releases the VIP to its peer.", c.CheckFall)
	w("vrrp_script chk_haproxy {")
	w("    script \"%s\"", c.CheckScriptPath)
	w("    interval %d", c.CheckIntervalSec)
	w("    timeout %d", c.CheckIntervalSec+1)
	w("    fall %d", c.CheckFall)
	w("    rise %d", c.CheckRise)
	w("    # After a boot, not eligible for the VIP before HAProxy has answered.")
	w("    init_fail")
	w("}")
	w("")
	w("# haproxy.service writes 1 here when HAProxy stops (killed, crashed or stopped)")
	w("# and 0 once it runs again; keepalived reads it on every change (inotify), so")
	w("# the MASTER goes to FAULT at once and its last advert (priority 0) hands the")
	w("# VIP to the peer without waiting for the check script.")
	w("vrrp_track_file haproxy_stopped {")
	w("    file \"%s\"", c.StateFile)
	w("    weight 0")
	w("    init_file 0")
	w("}")
	w("")
	w("vrrp_instance VI_%d {", c.RouterID)
	w("    # Role %s. Every node starts as BACKUP (needed for %s);", c.State, preemptWord(c))
	w("    # the priority decides who is master.")
	w("    state BACKUP")
	w("    interface %s", c.Interface)
	w("    virtual_router_id %d", c.RouterID)
	w("    priority %d", c.Priority)
	w("    advert_int %s", advert)
	if c.NoPreempt {
		w("    # A returning node never takes the VIP back: one move per failure, none on return.")
		w("    nopreempt")
	} else {
		w("    # A returning higher-priority node waits %d s before taking the VIP back: a", c.PreemptDelaySec)
		w("    # crash-looping HAProxy moves the VIP at most once per delay instead of flapping it.")
		w("    preempt_delay %d", c.PreemptDelaySec)
	}
	w("    unicast_src_ip %s", c.SourceIP)
	w("    check_unicast_src")
	w("    unicast_peer {")
	for _, p := range c.Peers {
		w("        %s", p)
	}
	w("    }")
	w("    virtual_ipaddress {")
	w("        %s dev %s", c.VIP, c.Interface)
	w("    }")
	w("    track_script {")
	w("        chk_haproxy")
	w("    }")
	w("    track_file {")
	w("        haproxy_stopped weight 0")
	w("    }")
	w("}")
	return b.String(), nil
}

// StateCommand is the shell command that records HAProxy's state in
// c.StateFile for keepalived: running (0) or stopped (1).
func StateCommand(c Config, running bool) string {
	c = c.WithDefaults()
	v := "1"
	if running {
		v = "0"
	}
	return "echo " + v + " > " + c.StateFile
}

// GuardCommand loads VIPGuard's rules (installed at c.GuardPath).
func GuardCommand(c Config) string {
	return "nft -f " + c.WithDefaults().GuardPath
}

// HAProxyDropIn is the drop-in for Debian's haproxy.service (install it at
// DropInPath, then systemctl daemon-reload) that ties HAProxy to
// keepalived: it loads the VIP guard before HAProxy starts, and records in
// c.StateFile that HAProxy runs (once it is ready: the unit is
// Type=notify) and that it stopped (ExecStopPost runs however the main
// process ended, SIGKILL included, before Restart=always starts it again).
func HAProxyDropIn(c Config) string {
	c = c.WithDefaults()
	var b strings.Builder
	b.WriteString("# Rendered by hawebtier (components/keepalived); changes by hand are overwritten.\n")
	b.WriteString("[Service]\n")
	if len(c.GuardPorts) > 0 {
		b.WriteString("# Requests to the VIP that find no HAProxy are dropped, not refused.\n")
		fmt.Fprintf(&b, "ExecStartPre=/bin/sh -c '%s'\n", GuardCommand(c))
	}
	b.WriteString("# keepalived tracks this file (track_file haproxy_stopped).\n")
	fmt.Fprintf(&b, "ExecStartPost=/bin/sh -c '%s'\n", StateCommand(c, true))
	fmt.Fprintf(&b, "ExecStopPost=/bin/sh -c '%s'\n", StateCommand(c, false))
	return b.String()
}

// VIPGuard is the nftables ruleset (install it at c.GuardPath; GuardCommand
// loads it) that drops TCP to the VIP's GuardPorts when no socket listens
// there. A refused connection fails the request at once; a dropped SYN is
// sent again by the client 1 s later, by when keepalived has moved the VIP
// to the peer (track_file): a dead HAProxy then costs requests only their
// delay, as a powered-off node does. The table is its own, declared and
// deleted before it is defined, so loading the file again replaces it and
// touches no other table. Empty without GuardPorts.
func VIPGuard(c Config) (string, error) {
	c = c.WithDefaults()
	if err := c.validate(); err != nil {
		return "", err
	}
	if len(c.GuardPorts) == 0 {
		return "", nil
	}
	vip, _ := netip.ParsePrefix(c.VIP) // validated
	// The table's family is also the match's keyword (ip daddr, ip6 daddr).
	family := "ip"
	if vip.Addr().Is6() {
		family = "ip6"
	}
	ports := make([]string, len(c.GuardPorts))
	for i, p := range c.GuardPorts {
		ports[i] = strconv.Itoa(p)
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# Rendered by hawebtier (components/keepalived); changes by hand are overwritten.")
	w("# While this node holds the VIP but no HAProxy listens on it (HAProxy died, and")
	w("# keepalived is handing the VIP over), drop requests to it instead of refusing")
	w("# them: clients retransmit their SYN a second later and reach the new MASTER.")
	w("table %s hawebtier_vip_guard", family)
	w("delete table %s hawebtier_vip_guard", family)
	w("table %s hawebtier_vip_guard {", family)
	w("    chain input {")
	w("        type filter hook input priority filter; policy accept;")
	w("        # A socket (HAProxy's listener, or an established connection) takes it.")
	w("        %s daddr %s tcp dport { %s } socket transparent 0 accept", family, vip.Addr(), strings.Join(ports, ", "))
	w("        %s daddr %s tcp dport { %s } socket transparent 1 accept", family, vip.Addr(), strings.Join(ports, ", "))
	w("        %s daddr %s tcp dport { %s } drop", family, vip.Addr(), strings.Join(ports, ", "))
	w("    }")
	w("}")
	return b.String(), nil
}

// GuardCheckCommand checks a rendered VIPGuard file without loading it
// (nft -c; needs CAP_NET_ADMIN, as loading it does).
func GuardCheckCommand(path string) string { return "nft -c -f " + path }

func preemptWord(c Config) string {
	if c.NoPreempt {
		return "nopreempt"
	}
	return "preempt_delay"
}

// CheckScript is the content of the check script (install it at
// CheckScriptPath, root-owned, mode 0755). POSIX sh; exit 0 means the local
// HAProxy answered over HTTP within a second.
func CheckScript(c Config) string {
	c = c.WithDefaults()
	return fmt.Sprintf(`#!/bin/sh
# Rendered by hawebtier (components/keepalived); keepalived runs it as %s.
# Exit 0 while the local HAProxy answers over HTTP. Checked over HTTP, not by
# process name: a hung HAProxy still has a process, and network namespaces and
# containers share one process table.
exec curl -fsS --max-time 1 -o /dev/null '%s'
`, c.ScriptUser, c.CheckURL)
}

// Sysctl is the sysctl.d file every load balancer needs.
func Sysctl() string {
	return `# Rendered by hawebtier (components/keepalived). HAProxy on the BACKUP binds the
# VIP it does not hold yet, so it is already listening when keepalived moves the
# VIP here.
net.ipv4.ip_nonlocal_bind = 1
`
}

// CheckCommand is the command that validates a rendered file on a node.
// It is `keepalived -t -f path`, run with SIGTERM ignored: keepalived 2.2.7
// (Debian 12) signals itself with SIGTERM while checking a script that runs
// as another user in test mode, and dies with status 143 on a valid file
// (fixed upstream by skipping that check under -t). Exit 0 valid, 5 invalid.
func CheckCommand(path string) string {
	return `sh -c 'trap "" TERM; exec keepalived -t -f ` + path + `'`
}
