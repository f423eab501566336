package keepalived_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/components/haproxy"
	"github.com/hawebtier/hawebtier/components/haproxy/haproxytest"
	"github.com/hawebtier/hawebtier/components/keepalived"
	"github.com/hawebtier/hawebtier/internal/netns"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

const vip = "10.99.0.10"

// lbNode is one load balancer of the lab: its host, rendered files and
// daemons.
type lbNode struct {
	name    string
	host    *netns.Host
	haproxy string // rendered haproxy.cfg
	kc      keepalived.Config
	ha      *haproxytest.Proc // the unit's shell, HAProxy its child
	ka      *haproxytest.Proc
}

// startHAProxy runs HAProxy as haproxy.service does with the drop-in
// (keepalived.HAProxyDropIn): its ExecStartPre and ExecStartPost, HAProxy
// in the foreground, then its ExecStopPost once HAProxy has exited,
// however it ended.
func (n *lbNode) startHAProxy(t *testing.T) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	write(t, path, n.haproxy, 0o644)
	if out, err := exec.Command("haproxy", "-c", "-dW", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c -dW: %v\n%s", err, out)
	}
	dropIn := keepalived.HAProxyDropIn(n.kc)
	unit := execLine(t, dropIn, "ExecStartPre") + " && " + execLine(t, dropIn, "ExecStartPost") +
		" && { haproxy -db -f " + path + "; " + execLine(t, dropIn, "ExecStopPost") + "; }"
	n.ha = haproxytest.Start(t, n.host, "sh", "-c", unit)
}

// killHAProxy SIGKILLs the HAProxy the unit's shell runs (its only child).
func (n *lbNode) killHAProxy(t *testing.T) {
	t.Helper()
	pid := n.ha.Pid()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil || len(strings.Fields(string(b))) != 1 {
		t.Fatalf("%s: HAProxy under the unit's shell: %q %v", n.name, b, err)
	}
	child, _ := strconv.Atoi(strings.Fields(string(b))[0])
	if err := syscall.Kill(child, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
}

// TestVIPMovesWhenHAProxyDiesAndDoesNotFlapBack runs two load balancers
// (rendered haproxy + keepalived, real daemons) in network namespaces in
// front of two web servers. It checks that exactly one node holds the VIP,
// that killing HAProxy on the MASTER moves the VIP to the BACKUP, and that
// bringing HAProxy back moves the VIP at most once (home, after the preempt
// delay) with no flapping. Times and failed requests are measured and
// logged, not asserted.
func TestVIPMovesWhenHAProxyDiesAndDoesNotFlapBack(t *testing.T) {
	realtool.Need(t, "keepalived", "haproxy", "ip", "curl", "sysctl", "nft")
	needScriptUser(t)
	t.Parallel()

	lab, err := netns.New("kafo")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lab.Close)
	add := func(name, addr string) *netns.Host {
		h, err := lab.AddHost(name, "ens192", addr)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	client := add("client", "10.99.0.5/24")
	var servers []haproxy.Server
	for i, name := range []string{"web1", "web2"} {
		h := add(name, "10.99.0.2"+string(rune('1'+i))+"/24")
		haproxytest.StartBackend(t, h, 80, name)
		servers = append(servers, haproxy.Server{Name: name, Address: h.IP(), Port: 80})
	}
	nodes := []*lbNode{
		{name: "lb1", host: add("lb1", "10.99.0.11/24")},
		{name: "lb2", host: add("lb2", "10.99.0.12/24")},
	}
	dir := scriptDir(t)
	const preemptDelay = 3
	for i, n := range nodes {
		peer := nodes[1-i].host.IP()
		state := map[int]string{0: "MASTER", 1: "BACKUP"}[i]
		sysctl := filepath.Join(dir, n.name+"-sysctl.conf")
		write(t, sysctl, keepalived.Sysctl(), 0o644)
		if out, err := n.host.Run("sysctl", "-p", sysctl); err != nil {
			t.Fatalf("%s: %v %s", n.name, err, out)
		}
		if n.haproxy, err = haproxy.Render(haproxy.Config{
			Bind:        vip + ":80", // the BACKUP binds it too, thanks to the sysctl
			AdminBind:   n.host.IP() + ":8404",
			Servers:     servers,
			StatsSocket: filepath.Join(t.TempDir(), "admin.sock"),
			Log:         "stdout",
		}); err != nil {
			t.Fatal(err)
		}
		kc := keepalived.Config{
			RouterID: 51, Interface: "ens192", VIP: vip + "/24", State: state,
			SourceIP: n.host.IP(), Peers: []string{peer},
			CheckURL:        "http://" + n.host.IP() + ":8404/healthz",
			CheckScriptPath: filepath.Join(dir, n.name+"-check_haproxy.sh"),
			PreemptDelaySec: preemptDelay,
			StateFile:       filepath.Join(dir, n.name+"-haproxy.state"),
			GuardPorts:      []int{80},
			GuardPath:       filepath.Join(dir, n.name+"-vip-guard.nft"),
		}
		guard, err := keepalived.VIPGuard(kc)
		if err != nil {
			t.Fatal(err)
		}
		write(t, kc.GuardPath, guard, 0o644)
		n.kc = kc
		n.startHAProxy(t)
		conf, err := keepalived.Render(kc)
		if err != nil {
			t.Fatal(err)
		}
		write(t, kc.CheckScriptPath, keepalived.CheckScript(kc), 0o755)
		confPath := filepath.Join(dir, n.name+"-keepalived.conf")
		write(t, confPath, conf, 0o644)
		pid := func(s string) string { return filepath.Join(dir, n.name+"-"+s+".pid") }
		n.ka = haproxytest.Start(t, n.host, "keepalived", "--dont-fork", "--log-console", "--log-detail",
			"--vrrp", "-f", confPath, "-p", pid("main"), "-r", pid("vrrp"), "-c", pid("checkers"))
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, n := range nodes {
				t.Logf("%s keepalived:\n%s\n%s haproxy:\n%s", n.name, n.ka.Output(), n.name, n.ha.Output())
			}
		}
	})

	holders := func() string {
		var hs []string
		for _, n := range nodes {
			out, _ := n.host.Run("ip", "-4", "-o", "addr", "show", "dev", "ens192")
			if strings.Contains(out, " "+vip+"/24 ") {
				hs = append(hs, n.name)
			}
		}
		return strings.Join(hs, "+")
	}
	if _, ok := haproxytest.Poll(20*time.Second, 100*time.Millisecond, func() bool { return holders() == "lb1" }); !ok {
		t.Fatalf("the VIP never settled on lb1 (the MASTER); holders %q", holders())
	}
	front := "http://" + vip + "/"
	if b, err := haproxytest.Requests(client, front, 20); err != nil || b.Failed != 0 {
		t.Fatalf("through the VIP: %+v %v", b, err)
	}

	// Sample the holders and send load (50 requests/s) through the VIP from
	// here on.
	rec := startSampler(holders)
	t.Cleanup(func() { rec.stop() })
	load := haproxytest.StartLoad(client, front, 50)
	t.Cleanup(func() { load.Stop() })

	killedAt := time.Now()
	nodes[0].killHAProxy(t)
	moved, ok := haproxytest.Poll(20*time.Second, 50*time.Millisecond, func() bool { return holders() == "lb2" })
	if !ok {
		t.Fatalf("HAProxy on lb1 killed: the VIP did not move to lb2; holders %q", holders())
	}
	time.Sleep(2 * time.Second) // load on the new holder
	ok1, failed1 := load.Counts()
	t.Logf("MEASURED HAProxy on the MASTER killed: VIP on lb2 after %v, last failed request %v after the kill; %d of %d requests through the VIP failed (50/s, until 3 s after the move)",
		moved.Round(10*time.Millisecond), load.LastFailure().Sub(killedAt).Round(10*time.Millisecond), failed1, ok1+failed1)
	if nodes[0].ka.Exited() || nodes[1].ka.Exited() {
		t.Fatal("a keepalived exited")
	}
	// lb1 gave the VIP up because of the state file, not the check script.
	if out := nodes[0].ka.Output(); !strings.Contains(out, "tracked file haproxy_stopped now FAULT state") {
		t.Errorf("lb1's keepalived did not go to FAULT on the state file:\n%s", out)
	}
	// The guard drops what reaches lb1 before the VIP moves, and the
	// clients' SYNs are retransmitted to lb2: only a request in flight on
	// the killed HAProxy may fail.
	if failed1 > 2 {
		t.Errorf("%d requests failed when HAProxy on the MASTER was killed, want at most 2", failed1)
	}

	// HAProxy back on lb1: watch a bounded window longer than the check's
	// rise plus the preempt delay.
	backAt := time.Now()
	nodes[0].startHAProxy(t)
	time.Sleep(time.Duration(preemptDelay+7) * time.Second)
	samples := rec.stop()
	ok2, failed2 := load.Stop()

	var changes []string
	last, both, none := "lb2", 0, 0
	var homeAfter time.Duration
	for _, s := range samples {
		if s.at.Before(backAt) {
			continue
		}
		switch s.holders {
		case "lb1+lb2":
			both++
		case "":
			none++
		case last:
		default:
			changes = append(changes, last+"->"+s.holders)
			last = s.holders
			if s.holders == "lb1" && homeAfter == 0 {
				homeAfter = s.at.Sub(backAt)
			}
		}
	}
	t.Logf("MEASURED HAProxy back on lb1: VIP moves %v (home after %v, preempt_delay %d s); samples with both/no holder: %d/%d; %d of %d requests failed while it came back",
		changes, homeAfter.Round(10*time.Millisecond), preemptDelay, both, none, failed2-failed1, ok2+failed2-ok1-failed1)
	if len(changes) > 1 {
		t.Errorf("the VIP flapped after HAProxy came back: %v", changes)
	}
	// The planned move home hands the VIP over: a sample with the VIP on
	// both LBs is a split brain, one with it on none an outage.
	if both > 0 || none > 0 {
		t.Errorf("while HAProxy came back, %d samples saw the VIP on both LBs and %d on none; want 0/0", both, none)
	}
	if got := holders(); got != "lb1" {
		t.Errorf("after HAProxy came back and the preempt delay passed, holders %q, want lb1 (the designated MASTER)", got)
	}
}

func write(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask may have narrowed it
		t.Fatal(err)
	}
}

type sample struct {
	at      time.Time
	holders string
}

// sampler records who holds the VIP every 50 ms until stop.
type sampler struct {
	mu      sync.Mutex
	samples []sample
	loop    *haproxytest.Loop
}

func startSampler(holders func() string) *sampler {
	s := &sampler{}
	s.loop = haproxytest.Every(50*time.Millisecond, func() {
		smp := sample{time.Now(), holders()}
		s.mu.Lock()
		s.samples = append(s.samples, smp)
		s.mu.Unlock()
	})
	return s
}

// stop ends sampling and returns the samples.
func (s *sampler) stop() []sample {
	s.loop.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sample(nil), s.samples...)
}
