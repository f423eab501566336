// Package haproxytest runs real HAProxy processes inside network-namespace
// test hosts (internal/netns): the load balancer with a rendered config, and
// tiny HAProxy-based web servers to stand behind it. It also reads server
// states from the admin socket and sends bounded bursts of requests with
// curl from a client host. Only tests import it.
package haproxytest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/internal/netns"
)

// Proc is a daemon started in a test host. It is killed at the end of the
// test.
type Proc struct {
	Name string
	cmd  *exec.Cmd
	out  syncBuffer
	done chan struct{}
}

// Start runs name args... in host, in the foreground, until Kill or the
// end of the test.
func Start(t testing.TB, host *netns.Host, name string, args ...string) *Proc {
	t.Helper()
	p := &Proc{Name: name + "@" + host.Name, cmd: host.Cmd(name, args...), done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", p.Name, err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(p.Kill)
	return p
}

// Pid is the daemon's process id (`ip netns exec` execs the program).
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Signal sends sig to the daemon.
func (p *Proc) Signal(sig syscall.Signal) error { return p.cmd.Process.Signal(sig) }

// Kill SIGKILLs the daemon and waits (at most 5 s) for it to be gone.
func (p *Proc) Kill() {
	if p.Exited() {
		return
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
	}
}

// Exited reports whether the daemon has ended.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Output is what the daemon wrote so far.
func (p *Proc) Output() string { return p.out.String() }

// StartHAProxy writes cfg to a temporary file, checks it with
// `haproxy -c -dW` and runs it in the foreground in host.
func StartHAProxy(t testing.TB, host *netns.Host, cfg string) *Proc {
	t.Helper()
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("haproxy", "-c", "-dW", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c -dW: %v\n%s\n%s", err, out, cfg)
	}
	return Start(t, host, "haproxy", "-db", "-f", path)
}

// BackendConfig is a web server for tests: HAProxy answering every request
// (the health URL included) with 200 and body, on addr:port.
func BackendConfig(addr string, port int, body string) string {
	return fmt.Sprintf(`global
    maxconn 1024
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend web
    bind %s:%d
    http-request return status 200 content-type text/plain string "%s"
`, addr, port, body)
}

// StartBackend runs a BackendConfig web server in host on its address.
func StartBackend(t testing.TB, host *netns.Host, port int, body string) *Proc {
	t.Helper()
	return StartHAProxy(t, host, BackendConfig(host.IP(), port, body))
}

// ServerStatus returns the status column of `show stat` for each server of
// backend ("UP", "DOWN", "UP 1/2", ...), read from the admin socket.
func ServerStatus(socket, backend string) (map[string]string, error) {
	stats, err := ServerStats(socket, backend)
	if err != nil {
		return nil, err
	}
	states := map[string]string{}
	for sv, row := range stats {
		states[sv] = row["status"]
	}
	return states, nil
}

// ServerStats is every column of `show stat` (status, stot, ...) for each
// server of backend, by server name.
func ServerStats(socket, backend string) (map[string]map[string]string, error) {
	out, err := SocketCommand(socket, "show stat")
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "# ")))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 {
		return nil, fmt.Errorf("show stat: unreadable CSV (%w):\n%s", err, out)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	stats := map[string]map[string]string{}
	for _, row := range rows[1:] {
		if len(row) < len(rows[0]) || row[col["pxname"]] != backend {
			continue
		}
		if sv := row[col["svname"]]; sv != "BACKEND" && sv != "FRONTEND" {
			stats[sv] = map[string]string{}
			for name, i := range col {
				stats[sv][name] = row[i]
			}
		}
	}
	return stats, nil
}

// SocketCommand sends one command to HAProxy's admin socket and returns
// the answer.
func SocketCommand(socket, command string) (string, error) {
	c, err := net.DialTimeout("unix", socket, 2*time.Second)
	if err != nil {
		return "", err
	}
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(3 * time.Second))
	if _, err := io.WriteString(c, command+"\n"); err != nil {
		return "", err
	}
	b, err := io.ReadAll(c)
	return string(b), err
}

// Burst is the outcome of a bounded burst of requests.
type Burst struct {
	OK, Failed int
	Codes      map[string]int // HTTP status ("000" when no answer) -> count
	Bodies     map[string]int // body -> count, for answered requests
}

// Requests sends n sequential GETs to url with curl from host (one curl
// process, each request bounded by a 2 s timeout) and counts the answers.
// A request fails unless it gets a 200.
func Requests(host *netns.Host, url string, n int) (Burst, error) {
	args := []string{"-s", "--max-time", "2", "-H", "Connection: close"}
	for i := 0; i < n; i++ {
		args = append(args, "-w", "\n|%{http_code}\n", url)
	}
	// curl exits non-zero when the last transfer failed; the codes say
	// which ones did.
	out, err := host.Cmd("curl", args...).Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return Burst{}, err
	}
	b := Burst{Codes: map[string]int{}, Bodies: map[string]int{}}
	var body strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		code, isCode := strings.CutPrefix(line, "|")
		if !isCode {
			body.WriteString(line)
			continue
		}
		b.Codes[code]++
		if code == "200" {
			b.OK++
			b.Bodies[body.String()]++
		} else {
			b.Failed++
		}
		body.Reset()
	}
	if got := b.OK + b.Failed; got != n {
		return b, fmt.Errorf("curl reported %d of %d requests:\n%s", got, n, out)
	}
	return b, nil
}

// Poll calls cond every step until it is true or limit has passed, and
// returns how long it took and whether cond came true.
func Poll(limit, step time.Duration, cond func() bool) (time.Duration, bool) {
	start := time.Now()
	for {
		if cond() {
			return time.Since(start), true
		}
		if time.Since(start) > limit {
			return time.Since(start), false
		}
		time.Sleep(step)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Loop calls a function every interval in a goroutine until Stop.
type Loop struct {
	done chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

// Every starts calling fn every interval (a slow fn delays the next call).
func Every(interval time.Duration, fn func()) *Loop {
	l := &Loop{done: make(chan struct{})}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-l.done:
				return
			case <-tick.C:
				fn()
			}
		}
	}()
	return l
}

// Stop ends the loop and waits for a call in flight. It may be called
// more than once.
func (l *Loop) Stop() { l.once.Do(func() { close(l.done); l.wg.Wait() }) }

// Load sends requests from a client host at a steady rate until Stop:
// every 100 ms a burst of rate/10 requests (a bounded curl run).
type Load struct {
	mu          sync.Mutex
	ok, fail    int
	lastFailure time.Time
	loop        *Loop
}

// StartLoad starts sending about rate requests per second to url from host.
func StartLoad(host *netns.Host, url string, rate int) *Load {
	l := &Load{}
	per := max(rate/10, 1)
	l.loop = Every(100*time.Millisecond, func() {
		b, err := Requests(host, url, per)
		if err != nil {
			return
		}
		l.mu.Lock()
		l.ok += b.OK
		l.fail += b.Failed
		if b.Failed > 0 {
			l.lastFailure = time.Now()
		}
		l.mu.Unlock()
	})
	return l
}

// Counts returns the requests answered with 200 and the failed ones so far.
func (l *Load) Counts() (ok, failed int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ok, l.fail
}

// LastFailure is when the last burst with a failed request ended (zero if
// none failed).
func (l *Load) LastFailure() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastFailure
}

// Stop ends the load (waiting for the burst in flight) and returns the
// counts.
func (l *Load) Stop() (ok, failed int) {
	l.loop.Stop()
	return l.Counts()
}

// MissingLines returns the lines of want that are not whole lines of text.
func MissingLines(text string, want []string) []string {
	lines := map[string]bool{}
	for _, l := range strings.Split(text, "\n") {
		lines[l] = true
	}
	var missing []string
	for _, w := range want {
		if !lines[w] {
			missing = append(missing, w)
		}
	}
	return missing
}
