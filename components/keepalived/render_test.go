package keepalived_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/components/haproxy/haproxytest"
	"github.com/hawebtier/hawebtier/components/keepalived"
	"github.com/hawebtier/hawebtier/internal/netns"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

func master() keepalived.Config {
	return keepalived.Config{
		RouterID:  51,
		Interface: "ens192",
		VIP:       "10.99.0.10/24",
		State:     "MASTER",
		SourceIP:  "10.99.0.11",
		Peers:     []string{"10.99.0.12"},
		CheckURL:  "http://10.99.0.11:8404/healthz",
	}
}

var scriptUserOnce sync.Once

// needScriptUser creates keepalived's unprivileged script user if it is
// missing (idempotent): keepalived rejects a script_user that does not
// exist.
func needScriptUser(t *testing.T) {
	t.Helper()
	realtool.NeedRoot(t)
	var err error
	scriptUserOnce.Do(func() {
		if exec.Command("id", keepalived.DefaultScriptUser).Run() == nil {
			return
		}
		out, e := exec.Command("useradd", "-r", "-s", "/usr/sbin/nologin", keepalived.DefaultScriptUser).CombinedOutput()
		// Another test binary may have created it meanwhile.
		if e != nil && exec.Command("id", keepalived.DefaultScriptUser).Run() != nil {
			err = e
			t.Logf("useradd: %s", out)
		}
	})
	if err != nil {
		t.Fatalf("creating %s: %v", keepalived.DefaultScriptUser, err)
	}
}

// scriptDir makes a directory only root can write, as enable_script_security
// demands of every directory above a script (the test's temp dir is under
// /tmp, which everyone can write), readable by the script user.
func scriptDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/run", "hawebtier-keepalived-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkHost is a namespace with an ens192 interface: keepalived -t checks
// that the interface exists and refuses lo.
func checkHost(t *testing.T) *netns.Host {
	t.Helper()
	lab, err := netns.New("kat")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lab.Close)
	h, err := lab.AddHost("t", "ens192", "10.99.0.11/24")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// keepalivedCheck writes text and runs CheckCommand on it in host; it
// returns the exit code and output.
func keepalivedCheck(t *testing.T, host *netns.Host, text string) (int, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keepalived.conf")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := host.Cmd("sh", "-c", keepalived.CheckCommand(path)).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	}
	t.Fatal(err)
	return 0, ""
}

func TestRenderedConfigsPassKeepalivedCheck(t *testing.T) {
	realtool.Need(t, "keepalived", "ip")
	needScriptUser(t)
	t.Parallel()
	host := checkHost(t)
	dir := scriptDir(t)
	script := filepath.Join(dir, "check_haproxy.sh")
	if err := os.WriteFile(script, []byte(keepalived.CheckScript(master())), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		change func(*keepalived.Config)
		want   []string
	}{
		"MASTER with defaults": {
			change: func(*keepalived.Config) {},
			want: []string{
				"    state BACKUP", "    priority 150", "    advert_int 0.2", "    preempt_delay 30",
				"    unicast_src_ip 10.99.0.11", "    check_unicast_src", "        10.99.0.12",
				"        10.99.0.10/24 dev ens192", "    vrrp_version 3", "    script_user keepalived_script",
				"    enable_script_security", "    init_fail", "    virtual_router_id 51",
			},
		},
		"BACKUP without preemption": {
			change: func(c *keepalived.Config) {
				c.State, c.SourceIP, c.Peers, c.NoPreempt = "BACKUP", "10.99.0.12", []string{"10.99.0.11"}, true
			},
			want: []string{"    priority 100", "    nopreempt", "    unicast_src_ip 10.99.0.12"},
		},
		"three nodes, slow adverts, custom check timing": {
			change: func(c *keepalived.Config) {
				c.Peers = []string{"10.99.0.12", "10.99.0.13"}
				c.AdvertIntervalMs, c.Priority, c.RouterID = 1000, 200, 255
				c.CheckIntervalSec, c.CheckFall, c.CheckRise = 2, 3, 4
				c.PreemptDelaySec = 5
			},
			want: []string{"    advert_int 1", "    priority 200", "        10.99.0.13", "    interval 2",
				"    timeout 3", "    fall 3", "    rise 4", "    preempt_delay 5", "vrrp_instance VI_255 {"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := master()
			c.CheckScriptPath = script
			tc.change(&c)
			text, err := keepalived.Render(c)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if missing := haproxytest.MissingLines(text, tc.want); len(missing) > 0 {
				t.Errorf("missing lines %q in:\n%s", missing, text)
			}
			if !strings.Contains(text, "VRRPv3 has no authentication") {
				t.Errorf("the file does not say that VRRPv3 has no authentication")
			}
			// keepalived -t exits 0 on some mistakes it only warns about
			// (preempt_delay with initial state MASTER is cleared, for one).
			if code, out := keepalivedCheck(t, host, text); code != 0 || out != "" {
				t.Errorf("%s: exit %d, want 0 and no output:\n%s\n%s", keepalived.CheckCommand("FILE"), code, out, text)
			}
		})
	}
}

// The check must be able to fail.
func TestKeepalivedRejectsBrokenVariants(t *testing.T) {
	realtool.Need(t, "keepalived", "ip")
	needScriptUser(t)
	t.Parallel()
	host := checkHost(t)
	good, err := keepalived.Render(master())
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(string) string{
		"unknown keyword": func(s string) string {
			return strings.Replace(s, "    check_unicast_src", "    check_unicast_source", 1)
		},
		"bad advert interval": func(s string) string { return strings.Replace(s, "advert_int 0.2", "advert_int fast", 1) },
		"missing brace":       func(s string) string { return strings.TrimSuffix(s, "}\n") },
		"router id out of range": func(s string) string {
			return strings.Replace(s, "virtual_router_id 51", "virtual_router_id 256", 1)
		},
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			bad := breakIt(good)
			if bad == good {
				t.Fatal("the variant is not broken: the rendered text changed")
			}
			if code, out := keepalivedCheck(t, host, bad); code == 0 {
				t.Errorf("keepalived accepted a broken file (%s):\n%s", out, bad)
			}
		})
	}
}

func TestRenderRejectsBadInput(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		change func(*keepalived.Config)
		want   []string
	}{
		"empty config": {
			change: func(c *keepalived.Config) { *c = keepalived.Config{} },
			want: []string{
				"keepalived: routerID: 0 is out of range 1-255",
				`keepalived: interface: "": want a network interface name (not lo), at most 15 characters`,
				`keepalived: vip: "": want an address with its prefix length, e.g. 10.20.30.10/24`,
				`keepalived: state: "": want MASTER or BACKUP`,
				"keepalived: priority: 0 is out of range 1-254",
				`keepalived: sourceIP: "" is not an IP address`,
				"keepalived: peers: at least one peer load balancer is required (unicast VRRP)",
				`keepalived: checkURL: "": want an http(s) URL of the local HAProxy, without quotes or spaces`,
			},
		},
		"loopback, VIP without prefix, lower-case state": {
			change: func(c *keepalived.Config) { c.Interface, c.VIP, c.State = "lo", "10.99.0.10", "master" },
			want: []string{
				`keepalived: interface: "lo": want a network interface name (not lo), at most 15 characters`,
				`keepalived: vip: "10.99.0.10": want an address with its prefix length, e.g. 10.20.30.10/24`,
				`keepalived: state: "master": want MASTER or BACKUP`,
				"keepalived: priority: 0 is out of range 1-254",
			},
		},
		"peers: self, VIP, twice, bad, other family": {
			change: func(c *keepalived.Config) {
				c.Peers = []string{"10.99.0.11", "10.99.0.10", "10.99.0.12", "10.99.0.12", "10.99.0.300", "fd00::1"}
			},
			want: []string{
				`keepalived: peers[0]: "10.99.0.11" is this node's own address`,
				`keepalived: peers[1]: "10.99.0.10" is the VIP`,
				`keepalived: peers[3]: "10.99.0.12" is listed twice`,
				`keepalived: peers[4]: "10.99.0.300" is not an IP address`,
				`keepalived: peers[5]: "fd00::1" and sourceIP are of different IP versions`,
			},
		},
		"source is the VIP, priority 255, advert not in centiseconds": {
			change: func(c *keepalived.Config) { c.SourceIP, c.Priority, c.AdvertIntervalMs = "10.99.0.10", 255, 205 },
			want: []string{
				"keepalived: priority: 255 is out of range 1-254",
				`keepalived: sourceIP: "10.99.0.10" is the VIP: want this node's own address`,
				"keepalived: advertIntervalMs: 205: VRRPv3 counts in centiseconds, want a multiple of 10",
			},
		},
		"check URL, script path, script user, preemption": {
			change: func(c *keepalived.Config) {
				c.CheckURL = "http://10.99.0.11:8404/healthz'; rm -rf /'"
				c.CheckScriptPath = "check.sh"
				c.ScriptUser = "root"
				c.NoPreempt, c.PreemptDelaySec = true, 10
				c.CheckFall = -1
			},
			want: []string{
				`keepalived: checkURL: "http://10.99.0.11:8404/healthz'; rm -rf /'": want an http(s) URL of the local HAProxy, without quotes or spaces`,
				`keepalived: checkScriptPath: "check.sh": want an absolute path of letters, digits and _ . / - only`,
				`keepalived: scriptUser: "root": want an unprivileged system user name`,
				"keepalived: preemptDelaySec: set together with noPreempt: choose one",
				"keepalived: checkFall: -1 is out of range 1-100",
			},
		},
		"router id and interface too long": {
			change: func(c *keepalived.Config) { c.RouterID, c.Interface = 256, "a-very-long-interface" },
			want: []string{
				"keepalived: routerID: 256 is out of range 1-255",
				`keepalived: interface: "a-very-long-interface": want a network interface name (not lo), at most 15 characters`,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := master()
			tc.change(&c)
			text, err := keepalived.Render(c)
			if err == nil {
				t.Fatalf("Render accepted bad input:\n%s", text)
			}
			if diff := cmp.Diff(tc.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// The sysctl file is applied by the real sysctl inside a namespace (the
// setting is per network namespace) and takes effect.
func TestSysctlAppliesNonlocalBind(t *testing.T) {
	realtool.Need(t, "ip", "sysctl")
	realtool.NeedRoot(t)
	t.Parallel()
	host := checkHost(t)
	path := realtool.WriteTemp(t, "60-hawebtier-lb.conf", keepalived.Sysctl())
	if out, err := host.Run("sysctl", "-p", path); err != nil {
		t.Fatalf("sysctl -p: %v\n%s", err, out)
	}
	out, err := host.Run("sysctl", "-n", "net.ipv4.ip_nonlocal_bind")
	if err != nil || strings.TrimSpace(out) != "1" {
		t.Errorf("net.ipv4.ip_nonlocal_bind = %q (%v), want 1", out, err)
	}
}

// The check script is valid POSIX sh, fails when nothing answers at the
// URL, and carries the URL it was given.
func TestCheckScriptFailsWhenHAProxyDoesNotAnswer(t *testing.T) {
	realtool.Need(t, "ip", "curl")
	realtool.NeedRoot(t)
	t.Parallel()
	host := checkHost(t)
	script := keepalived.CheckScript(master())
	path := realtool.WriteTemp(t, "check.sh", script)
	if out, err := exec.Command("sh", "-n", path).CombinedOutput(); err != nil {
		t.Fatalf("sh -n: %v\n%s", err, out)
	}
	if out, err := host.Run("sh", path); err == nil {
		t.Errorf("the check passed with no HAProxy listening: %s", out)
	}
	if !strings.Contains(script, "curl -fsS --max-time 1 -o /dev/null 'http://10.99.0.11:8404/healthz'") {
		t.Errorf("script does not curl the check URL:\n%s", script)
	}
}

func TestCheckCommand(t *testing.T) {
	t.Parallel()
	want := `sh -c 'trap "" TERM; exec keepalived -t -f /etc/keepalived/keepalived.conf'`
	if got := keepalived.CheckCommand("/etc/keepalived/keepalived.conf"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
