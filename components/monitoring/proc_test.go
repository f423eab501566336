package monitoring

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// start runs a daemon in the foreground of the test; cleanup sends
// SIGTERM, then SIGKILL after 5 s, and waits for it. Its output goes to a
// file in the test's temp dir, shown when the test fails.
func start(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	logf, err := os.CreateTemp(t.TempDir(), name+"-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		// The process group: apache2's children go with their parent.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			if len(b) > 4000 {
				b = b[len(b)-4000:]
			}
			t.Logf("%s output (tail):\n%s", name, b)
		}
		_ = logf.Close()
	})
	return cmd
}

var client = &http.Client{Timeout: 3 * time.Second}

// get returns the status and body of url.
func get(url string) (int, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// eventually polls cond every 100 ms for at most timeout and returns its
// last error (nil once it held).
func eventually(timeout time.Duration, cond func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// sample is one line of the Prometheus text format.
type sample struct {
	Labels string // `{a="b",...}` or ""
	Value  float64
}

// scrape fetches url and parses the text exposition format by metric
// name.
func scrape(url string) (map[string][]sample, error) {
	code, body, err := get(url)
	if err != nil {
		return nil, err
	}
	if code != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d", url, code)
	}
	out := map[string][]sample{}
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, labels := line, ""
		if i := strings.IndexAny(line, "{ "); i >= 0 {
			name = line[:i]
			if line[i] == '{' {
				j := strings.LastIndex(line, "}")
				labels = line[i : j+1]
			}
		}
		fields := strings.Fields(line[len(name)+len(labels):])
		if len(fields) == 0 {
			return nil, fmt.Errorf("%s: no value in %q", url, line)
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %w", url, line, err)
		}
		out[name] = append(out[name], sample{labels, v})
	}
	return out, sc.Err()
}

// value returns the value of the sample of name whose labels contain
// every matcher (`state="busy"`), and whether there is one.
func value(m map[string][]sample, name string, matchers ...string) (float64, bool) {
next:
	for _, s := range m[name] {
		for _, mt := range matchers {
			if !strings.Contains(s.Labels, mt) {
				continue next
			}
		}
		return s.Value, true
	}
	return 0, false
}

// defaultArgs reads ARGS="..." of a rendered /etc/default file as the
// argument list systemd passes ($ARGS splits on white space).
func defaultArgs(t *testing.T, content string) []string {
	t.Helper()
	for _, line := range strings.Split(content, "\n") {
		if v, ok := strings.CutPrefix(line, "ARGS="); ok {
			return strings.Fields(strings.Trim(v, `"`))
		}
	}
	t.Fatalf("no ARGS in %q", content)
	return nil
}

// defaultVars reads KEY=value lines of a rendered /etc/default file.
func defaultVars(content string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(content, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(k, "#") {
			out[k] = strings.Trim(v, `"`)
		}
	}
	return out
}

// replaceConfigFile points --config.file=/etc/prometheus/X at path.
func replaceConfigFile(args []string, path string) []string {
	out := make([]string, 0, len(args))
	for _, a := range args {
		if strings.HasPrefix(a, "--config.file=") {
			a = "--config.file=" + path
		}
		out = append(out, a)
	}
	return out
}
