package keepalived_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/components/keepalived"
	"github.com/hawebtier/hawebtier/internal/netns"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

// TestVIPGuardDropsOnlyWhatNoOneListensFor loads the rendered guard into a
// namespace that holds the VIP, then connects to it from another one: with
// no listener the SYN goes unanswered (a timeout, where the kernel alone
// would refuse), with a listener the connection is made, and a port the
// guard does not name is refused as before.
func TestVIPGuardDropsOnlyWhatNoOneListensFor(t *testing.T) {
	realtool.Need(t, "nft", "ip", "python3")
	realtool.NeedRoot(t)
	t.Parallel()

	c := master()
	c.GuardPorts = []int{80}
	c.GuardPath = filepath.Join(t.TempDir(), "guard.nft")
	guard, err := keepalived.VIPGuard(c)
	if err != nil {
		t.Fatal(err)
	}
	write(t, c.GuardPath, guard, 0o644)
	if res, err := realtool.Run(10*time.Second, "sh", "-c", keepalived.GuardCheckCommand(c.GuardPath)); err != nil || res.ExitCode != 0 {
		t.Fatalf("nft -c rejects the guard: %v %s\n%s", err, res.Output(), guard)
	}

	lab, err := netns.New("kagd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lab.Close)
	lb, err := lab.AddHost("lb", "ens192", "10.99.0.11/24")
	if err != nil {
		t.Fatal(err)
	}
	client, err := lab.AddHost("client", "ens192", "10.99.0.5/24")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := lb.Run("ip", "addr", "add", c.VIP, "dev", "ens192"); err != nil {
		t.Fatalf("VIP: %v %s", err, out)
	}
	// Loaded twice, as every HAProxy start does: the second load replaces
	// the table instead of failing on it.
	for range 2 {
		if out, err := lb.Run("sh", "-c", keepalived.GuardCommand(c)); err != nil {
			t.Fatalf("loading the guard: %v %s", err, out)
		}
	}

	vipAddr := strings.Split(c.VIP, "/")[0]
	if got := connect(t, client, vipAddr+":80"); got != "timeout" {
		t.Errorf("port 80 without a listener: %s, want the SYN dropped (timeout)", got)
	}
	if got := connect(t, client, vipAddr+":81"); got != "refused" {
		t.Errorf("port 81 (not guarded): %s, want refused", got)
	}
	listener := lb.Cmd("python3", "-c", `
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 80)); s.listen(16); print("listening", flush=True)
while True:
    c, _ = s.accept(); c.close()
`, vipAddr)
	out, err := listener.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := listener.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = listener.Process.Kill(); _ = listener.Wait() })
	buf := make([]byte, 64)
	if n, err := out.Read(buf); err != nil || !strings.Contains(string(buf[:n]), "listening") {
		t.Fatalf("listener did not start: %v %q", err, buf[:n])
	}
	if got := connect(t, client, vipAddr+":80"); got != "connected" {
		t.Errorf("port 80 with HAProxy's listener: %s, want connected", got)
	}
}

// connect dials addr from host once (1.5 s timeout, no SYN retry counted)
// and says what happened: connected, refused or timeout.
func connect(t *testing.T, host *netns.Host, addr string) string {
	t.Helper()
	out, _ := host.Run("python3", "-c", `
import socket, sys
host, port = sys.argv[1].rsplit(":", 1)
s = socket.socket(); s.settimeout(1.5)
try:
    s.connect((host, int(port))); print("connected")
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("timeout")
`, addr)
	return strings.TrimSpace(out)
}

// TestHAProxyDropInPassesSystemdAndWritesTheState checks the drop-in with
// systemd-analyze verify against Debian's haproxy.service, then runs the
// commands it holds: the state file keepalived tracks says 0 after a
// start and 1 after a stop.
func TestHAProxyDropInPassesSystemdAndWritesTheState(t *testing.T) {
	realtool.Need(t, "systemd-analyze", "haproxy")
	t.Parallel()
	const unit = "/lib/systemd/system/haproxy.service"
	base, err := os.ReadFile(unit)
	if err != nil {
		t.Fatalf("Debian's unit (package haproxy): %v", err)
	}
	dir := t.TempDir()
	c := master()
	c.GuardPorts = []int{80}
	c.StateFile = filepath.Join(dir, "haproxy.state")
	dropIn := keepalived.HAProxyDropIn(c)
	write(t, filepath.Join(dir, "haproxy.service"), string(base), 0o644)
	if err := os.Mkdir(filepath.Join(dir, "haproxy.service.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "haproxy.service.d", filepath.Base(keepalived.DropInPath)), dropIn, 0o644)
	cmd := exec.Command("systemd-analyze", "verify", filepath.Join(dir, "haproxy.service"))
	cmd.Env = append(os.Environ(), "SYSTEMD_UNIT_PATH="+dir+":")
	out, err := cmd.CombinedOutput()
	// verify exits 0 on unknown keys and bad values, but says so: any line
	// about the drop-in is a problem.
	if err != nil || strings.Contains(string(out), filepath.Base(keepalived.DropInPath)) {
		t.Fatalf("systemd-analyze verify: %v\n%s\n--- drop-in ---\n%s", err, out, dropIn)
	}
	for _, tc := range []struct {
		key, want string
	}{{"ExecStartPost", "0"}, {"ExecStopPost", "1"}} {
		line := execLine(t, dropIn, tc.key)
		if out, err := exec.Command("sh", "-c", line).CombinedOutput(); err != nil {
			t.Fatalf("%s=%s: %v %s", tc.key, line, err, out)
		}
		got, err := os.ReadFile(c.StateFile)
		if err != nil || strings.TrimSpace(string(got)) != tc.want {
			t.Errorf("after %s the state file holds %q (%v), want %s", tc.key, got, err, tc.want)
		}
	}
	if !strings.Contains(execLine(t, dropIn, "ExecStartPre"), keepalived.GuardCommand(c)) {
		t.Errorf("ExecStartPre does not load the guard:\n%s", dropIn)
	}
}

// execLine is the command of key in a unit file.
func execLine(t *testing.T, unit, key string) string {
	t.Helper()
	for _, l := range strings.Split(unit, "\n") {
		if v, ok := strings.CutPrefix(l, key+"="); ok {
			return v
		}
	}
	t.Fatalf("no %s in\n%s", key, unit)
	return ""
}
