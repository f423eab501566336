package day2

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/internal/netns"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

// sshLab is a host running Debian's sshd, haproxy (master-worker) and a
// python backend in one network namespace, and a client namespace that
// reaches it over a bridge.
type sshLab struct {
	t          *testing.T
	dir        string
	web        *netns.Host
	client     *netns.Host
	key        string // client private key
	knownHosts string
	haproxyCfg string
	haproxyPID string // pidfile of the haproxy master
}

const (
	webAddr    = "10.99.5.11"
	clientAddr = "10.99.5.12"
)

// capped keeps the first max bytes written to it.
type capped struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// haproxyConfig renders a minimal load balancer whose responses carry the
// config version, so the test can see when the new config serves.
func haproxyConfig(version string) string {
	return `global
    maxconn 256
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend web
    bind ` + webAddr + `:80
    http-response set-header X-Config ` + version + `
    default_backend app
backend app
    server s1 127.0.0.1:8080
`
}

// startDaemon starts cmd, kills it at cleanup and shows its output (up to
// 4 KiB) when the test failed.
func startDaemon(t *testing.T, cmd *exec.Cmd, what string) {
	t.Helper()
	out := &capped{max: 4096}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", what, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			t.Errorf("%s did not exit after kill", what)
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", what, out.String())
		}
	})
}

func newSSHLab(t *testing.T) *sshLab {
	t.Helper()
	realtool.NeedRoot(t)
	realtool.Need(t, "ip", "ssh", "ssh-keygen", "/usr/sbin/sshd", "/usr/sbin/haproxy", "python3")
	l := &sshLab{t: t, dir: t.TempDir()}

	lab, err := netns.New("day2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lab.Close)
	if l.web, err = lab.AddHost("web", "eth0", webAddr+"/24"); err != nil {
		t.Fatal(err)
	}
	if l.client, err = lab.AddHost("client", "eth0", clientAddr+"/24"); err != nil {
		t.Fatal(err)
	}

	// Keys made for this test only.
	l.key = filepath.Join(l.dir, "client_key")
	hostKey := filepath.Join(l.dir, "host_key")
	for _, k := range []string{l.key, hostKey} {
		if res, err := realtool.Run(10*time.Second, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "day2-test", "-f", k); err != nil || res.ExitCode != 0 {
			t.Fatalf("ssh-keygen: %v %s", err, res.Output())
		}
	}
	pub, err := os.ReadFile(l.key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	authorized := filepath.Join(l.dir, "authorized_keys")
	write(t, authorized, string(pub))
	hostPub, err := os.ReadFile(hostKey + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	l.knownHosts = filepath.Join(l.dir, "known_hosts")
	write(t, l.knownHosts, webAddr+" "+string(hostPub))

	// sshd needs its privilege separation directory; Debian's unit makes it.
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		t.Fatal(err)
	}
	sshdConfig := filepath.Join(l.dir, "sshd_config")
	write(t, sshdConfig, fmt.Sprintf(`Port 22
ListenAddress %s
HostKey %s
PidFile %s/sshd.pid
AuthorizedKeysFile %s
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
`, webAddr, hostKey, l.dir, authorized))
	startDaemon(t, l.web.Cmd("/usr/sbin/sshd", "-D", "-e", "-f", sshdConfig), "sshd")

	// The backend and the running haproxy with the first config.
	www := filepath.Join(l.dir, "www")
	write(t, filepath.Join(www, "index.html"), "hello\n")
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal(err)
	}
	startDaemon(t, l.web.Cmd(python, "-m", "http.server", "--bind", "127.0.0.1", "--directory", www, "8080"), "backend")
	l.haproxyCfg = filepath.Join(l.dir, "etc", "haproxy", "haproxy.cfg")
	write(t, l.haproxyCfg, haproxyConfig("v1"))
	l.haproxyPID = filepath.Join(l.dir, "haproxy.pid")
	// Master-worker: a reload (SIGUSR2) re-executes the master with the
	// listening sockets kept open, so no connection is refused.
	startDaemon(t, l.web.Cmd("/usr/sbin/haproxy", "-W", "-f", l.haproxyCfg, "-p", l.haproxyPID), "haproxy")

	// Wait for sshd and haproxy+backend, bounded.
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := l.ssh("true", "")
		code, body := l.get()
		if err == nil && res.ExitCode == 0 && code == "200 v1" && body == "hello" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lab not ready after 10s: ssh exit %d %v %s; http %q %q", res.ExitCode, err, res.Output(), code, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return l
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ssh runs command on the web host as root, from the client namespace,
// with stdin, the way the pulumi-command provider does: one session, the
// command string as is, run by the login shell.
func (l *sshLab) ssh(command, stdin string) (realtool.Result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", l.client.Name, "ssh",
		"-F", "/dev/null", "-i", l.key, "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
		"-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile="+l.knownHosts,
		"-o", "ConnectTimeout=5", "-p", "22", "root@"+webAddr, command)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := realtool.Result{Stdout: out.String(), Stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		res.ExitCode = ee.ExitCode()
		err = nil
		if res.ExitCode == 255 {
			err = fmt.Errorf("ssh failed: %s", res.Stderr)
		}
	}
	return res, err
}

// get fetches / through haproxy from the client: "status version", body.
func (l *sshLab) get() (string, string) {
	out, err := l.client.Run("curl", "-sS", "--noproxy", "*", "--max-time", "3", "-D", "-", "http://"+webAddr+"/")
	if err != nil {
		return "error", err.Error()
	}
	status, version := "", ""
	head, body, _ := strings.Cut(strings.ReplaceAll(out, "\r\n", "\n"), "\n\n")
	for i, line := range strings.Split(head, "\n") {
		if f := strings.Fields(line); i == 0 && len(f) > 1 {
			status = f[1]
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "x-config") {
			version = strings.TrimSpace(v)
		}
	}
	return status + " " + version, strings.TrimSpace(body)
}

// pids returns the haproxy master pid and its workers' pids.
func (l *sshLab) pids() (string, []string) {
	b, err := os.ReadFile(l.haproxyPID)
	if err != nil {
		l.t.Fatal(err)
	}
	master := strings.TrimSpace(string(b))
	out, _ := exec.Command("pgrep", "-P", master).Output()
	workers := strings.Fields(string(out))
	sort.Strings(workers)
	return master, workers
}

// loadResult is what the load generator reports.
type loadResult struct {
	OK       int            `json:"ok"`
	Fail     int            `json:"fail"`
	Versions map[string]int `json:"versions"`
	Errors   []string       `json:"errors"`
	Seconds  float64        `json:"seconds"`
}

// loadScript sends requests, each on a new connection, from a few threads
// until it has seen the new config (X-Config v2) answer afterV2 times or
// maxSeconds pass, whichever is first, then prints the counts as JSON. It
// prints "seen v1" and "seen v2" the first time each version answers, so
// the test waits on states, not on time: the reload happens while the load
// is running whatever the machine's load.
const loadScript = `
import json, sys, threading, time, urllib.request
url, threads, after_v2, max_s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
lock = threading.Lock()
res = {"ok": 0, "fail": 0, "versions": {}, "errors": []}
start = time.time()
def done():
    with lock:
        return res["versions"].get("v2", 0) >= after_v2 or time.time() - start > max_s
def worker():
    while not done():
        try:
            with opener.open(url, timeout=3) as r:
                r.read()
                v = r.headers.get("X-Config", "?")
                with lock:
                    if r.status == 200:
                        res["ok"] += 1
                        res["versions"][v] = res["versions"].get(v, 0) + 1
                        if res["versions"][v] == 1:
                            print("seen " + v, flush=True)
                    else:
                        res["fail"] += 1
                        res["errors"].append(str(r.status))
        except Exception as e:
            with lock:
                res["fail"] += 1
                res["errors"].append(repr(e)[:200])
        time.sleep(0.01)
print("started", flush=True)
ts = [threading.Thread(target=worker) for _ in range(threads)]
for t in ts: t.start()
for t in ts: t.join()
res["seconds"] = round(time.time() - start, 2)
res["errors"] = res["errors"][:10]
print(json.dumps(res), flush=True)
`

// TestInstallOverRealSSH runs the exact commands NewHost registers over
// real SSH against a host running haproxy.
func TestInstallOverRealSSH(t *testing.T) {
	t.Parallel()
	start := time.Now()
	l := newSSHLab(t)
	t.Logf("lab ready in %v", time.Since(start).Round(time.Millisecond))

	haproxyFile := File{
		Path:   l.haproxyCfg,
		Check:  "/usr/sbin/haproxy -c -f {path}",
		Reload: "kill -USR2 \"$(cat " + l.haproxyPID + ")\"",
	}
	script, err := InstallScript(haproxyFile)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("good config reloads without dropping a request", func(t *testing.T) {
		master, workers := l.pids()
		python, _ := exec.LookPath("python3")
		// The load stops once v2 has answered 100 times (or after 60 s,
		// which fails the test: the reload never showed).
		load := l.client.Cmd(python, "-c", loadScript, "http://"+webAddr+"/", "4", "100", "60")
		stdout, err := load.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		load.Stderr = &stderr
		if err := load.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = load.Process.Kill() })
		lines := make(chan string, 16)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// waitLine waits, bounded, for the load to print want.
		var last string
		waitLine := func(want string) {
			t.Helper()
			deadline := time.After(60 * time.Second)
			for {
				select {
				case line, ok := <-lines:
					if !ok {
						t.Fatalf("load ended before %q: %s", want, stderr.String())
					}
					last = line
					if line == want || (want == "" && strings.HasPrefix(line, "{")) {
						return
					}
				case <-deadline:
					t.Fatalf("load did not print %q within 60 s: %s", want, stderr.String())
				}
			}
		}
		// The old config is serving under load before the reload.
		waitLine("seen v1")

		t0 := time.Now()
		res, err := l.ssh(script, haproxyConfig("v2"))
		if err != nil || res.ExitCode != 0 {
			t.Fatalf("install exit %d %v:\n%s", res.ExitCode, err, res.Output())
		}
		t.Logf("install over ssh took %v: %s", time.Since(t0).Round(time.Millisecond), strings.TrimSpace(res.Output()))
		if !strings.Contains(res.Stdout, "installed and reloaded") {
			t.Errorf("install output: %s", res.Output())
		}
		waitLine("seen v2")
		waitLine("") // the counts, once v2 answered 100 times
		if err := load.Wait(); err != nil {
			t.Errorf("load generator: %v: %s", err, stderr.String())
		}
		var lr loadResult
		if err := json.Unmarshal([]byte(last), &lr); err != nil {
			t.Fatalf("load output %q: %v", last, err)
		}
		t.Logf("load: %d ok, %d failed, versions %v, in %.2fs", lr.OK, lr.Fail, lr.Versions, lr.Seconds)
		if lr.Fail != 0 {
			t.Errorf("%d requests failed during the reload: %v", lr.Fail, lr.Errors)
		}
		if lr.Versions["v1"] == 0 || lr.Versions["v2"] < 100 {
			t.Errorf("versions served %v: want v1 (before) and at least 100 v2 (after the reload)", lr.Versions)
		}
		if got, err := os.ReadFile(l.haproxyCfg); err != nil || string(got) != haproxyConfig("v2") {
			t.Errorf("installed file = %q %v", got, err)
		}
		newMaster, newWorkers := l.pids()
		if newMaster != master {
			t.Errorf("master pid %s -> %s: want a reload, not a restart", master, newMaster)
		}
		if strings.Join(newWorkers, " ") == strings.Join(workers, " ") {
			t.Errorf("workers %v unchanged: haproxy did not reload", workers)
		}
		if code, _ := l.get(); code != "200 v2" {
			t.Errorf("after the reload: %q, want 200 v2", code)
		}
	})

	t.Run("same content twice changes nothing", func(t *testing.T) {
		waitForOneWorker(t, l)
		before, err := os.Stat(l.haproxyCfg)
		if err != nil {
			t.Fatal(err)
		}
		master, workers := l.pids()
		res, err := l.ssh(script, haproxyConfig("v2"))
		if err != nil || res.ExitCode != 0 {
			t.Fatalf("exit %d %v: %s", res.ExitCode, err, res.Output())
		}
		if !strings.Contains(res.Stdout, "unchanged") {
			t.Errorf("output %q, want unchanged", res.Output())
		}
		after, err := os.Stat(l.haproxyCfg)
		if err != nil {
			t.Fatal(err)
		}
		if !after.ModTime().Equal(before.ModTime()) || !os.SameFile(before, after) {
			t.Errorf("file touched: mtime %v -> %v, same inode %v", before.ModTime(), after.ModTime(), os.SameFile(before, after))
		}
		if m, w := l.pids(); m != master || strings.Join(w, " ") != strings.Join(workers, " ") {
			t.Errorf("haproxy reloaded: master %s -> %s, workers %v -> %v", master, m, workers, w)
		}
		assertNoLeftovers(t, filepath.Dir(l.haproxyCfg), "haproxy.cfg")
	})

	t.Run("broken config fails with haproxy's message and changes nothing", func(t *testing.T) {
		waitForOneWorker(t, l)
		before, err := os.ReadFile(l.haproxyCfg)
		if err != nil {
			t.Fatal(err)
		}
		stBefore, _ := os.Stat(l.haproxyCfg)
		master, workers := l.pids()
		broken := haproxyConfig("v3") + "    bogus-keyword-day2 on\n"
		res, err := l.ssh(script, broken)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("broken config: exit %d:\n%s", res.ExitCode, res.Output())
		if res.ExitCode != ExitCheckFailed {
			t.Errorf("exit %d, want %d", res.ExitCode, ExitCheckFailed)
		}
		for _, w := range []string{"check failed", "bogus-keyword-day2", "ALERT"} {
			if !strings.Contains(res.Stderr, w) {
				t.Errorf("stderr lacks %q", w)
			}
		}
		after, _ := os.ReadFile(l.haproxyCfg)
		if !bytes.Equal(before, after) {
			t.Errorf("installed file changed:\n%s", after)
		}
		if st, _ := os.Stat(l.haproxyCfg); !st.ModTime().Equal(stBefore.ModTime()) {
			t.Error("installed file's mtime changed")
		}
		if m, w := l.pids(); m != master || strings.Join(w, " ") != strings.Join(workers, " ") {
			t.Errorf("haproxy touched: master %s -> %s, workers %v -> %v", master, m, workers, w)
		}
		if code, body := l.get(); code != "200 v2" || body != "hello" {
			t.Errorf("still serving? %q %q", code, body)
		}
		assertNoLeftovers(t, filepath.Dir(l.haproxyCfg), "haproxy.cfg")
	})

	t.Run("secret file: content never in the output", func(t *testing.T) {
		const secret = "Kn0wnSshSecret-51c2"
		f := File{
			Path:   filepath.Join(l.dir, "etc", "tomcat10", "ajp.secret"),
			Check:  "/usr/sbin/haproxy -c -f {path}", // a validator that echoes the offending line
			Secret: true,
		}
		script, err := InstallScript(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(script, secret) {
			t.Fatal("secret in the command string")
		}
		// A failing check: haproxy would quote the line holding the secret.
		res, err := l.ssh(script, "global\n    "+secret+" on\n")
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitCode != ExitCheckFailed || strings.Contains(res.Output(), secret) {
			t.Errorf("exit %d (want %d), output (must not hold the secret):\n%s", res.ExitCode, ExitCheckFailed, res.Output())
		}
		// A passing one installs it 0600 and prints nothing secret.
		good := haproxyConfig("s") + "# " + secret + "\n"
		res, err = l.ssh(script, good)
		if err != nil || res.ExitCode != 0 || strings.Contains(res.Output(), secret) {
			t.Errorf("exit %d %v, output:\n%s", res.ExitCode, err, res.Output())
		}
		if st, err := os.Stat(f.Path); err != nil {
			t.Error(err)
		} else if st.Mode().Perm() != 0o600 {
			t.Errorf("secret file mode %o, want 0600", st.Mode().Perm())
		}
	})

	t.Run("cloud-init wait is bounded", func(t *testing.T) {
		status, _ := realtool.Run(10*time.Second, "cloud-init", "status")
		t0 := time.Now()
		res, err := l.ssh(WaitForCloudInitScript(2), "")
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(t0)
		t.Logf("cloud-init status here: %q; wait exit %d in %v: %s", strings.TrimSpace(status.Stdout), res.ExitCode, took.Round(time.Millisecond), strings.TrimSpace(res.Output()))
		switch {
		case strings.Contains(status.Stdout, "not run") || strings.Contains(status.Stdout, "running"):
			// This machine never booted with cloud-init: the wait must
			// give up at its timeout and say so.
			if res.ExitCode != 1 || !strings.Contains(res.Stderr, "did not finish within 2s") {
				t.Errorf("exit %d, want 1 with a timeout message:\n%s", res.ExitCode, res.Output())
			}
		case strings.Contains(status.Stdout, "done"):
			if res.ExitCode != 0 {
				t.Errorf("cloud-init is done but the wait exited %d:\n%s", res.ExitCode, res.Output())
			}
		default:
			if res.ExitCode == 0 {
				t.Errorf("cloud-init status %q but the wait succeeded", status.Stdout)
			}
		}
	})
	t.Logf("whole SSH test: %v", time.Since(start).Round(time.Millisecond))
}

// waitForOneWorker waits (bounded) until the soft-stopped worker of the
// previous reload has exited, so pid comparisons see a settled haproxy.
func waitForOneWorker(t *testing.T, l *sshLab) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if _, w := l.pids(); len(w) == 1 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	_, w := l.pids()
	t.Fatalf("haproxy workers did not settle to one: %v", w)
}

func assertNoLeftovers(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("%s holds %v, want %v (temp files left behind?)", dir, names, want)
	}
}
