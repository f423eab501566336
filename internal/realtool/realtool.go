package realtool

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// packages maps a program to the Debian package that ships it.
var packages = map[string]string{
	"haproxy":                      "haproxy",
	"apache2":                      "apache2",
	"keepalived":                   "keepalived",
	"promtool":                     "prometheus",
	"prometheus":                   "prometheus",
	"cloud-init":                   "cloud-init",
	"sshd":                         "openssh-server",
	"ssh":                          "openssh-client",
	"ssh-keygen":                   "openssh-client",
	"dot":                          "graphviz",
	"wrk":                          "wrk",
	"ab":                           "apache2-utils",
	"mtail":                        "mtail",
	"prometheus-node-exporter":     "prometheus-node-exporter",
	"prometheus-apache-exporter":   "prometheus-apache-exporter",
	"prometheus-blackbox-exporter": "prometheus-blackbox-exporter",
	"prometheus-alertmanager":      "prometheus-alertmanager",
	"amtool":                       "prometheus-alertmanager",
	"ip":                           "iproute2",
	"curl":                         "curl",
	"ping":                         "iputils-ping",
	"java":                         "tomcat10",
	"nft":                          "nftables",
	"systemd-analyze":              "systemd",
}

// EnvRequired set to "required" makes a missing program fail its test
// instead of skipping it. The README's test command (.ci/test) sets it, so
// a run that did not drive the real programs is never green.
const EnvRequired = "HAWEBTIER_REAL_TOOLS"

// InCI reports whether every program must be present: under CI, or when
// EnvRequired says so.
func InCI() bool {
	return os.Getenv("CI") != "" && os.Getenv("CI") != "false" || os.Getenv(EnvRequired) == "required"
}

// Need makes sure every program is on PATH (or is an absolute path that
// exists). Missing under CI: the test fails. Missing elsewhere: skipped,
// naming the package to install.
func Need(t testing.TB, programs ...string) {
	t.Helper()
	var missing, pkgs []string
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			missing = append(missing, p)
			if pkg, ok := packages[p]; ok {
				pkgs = append(pkgs, pkg)
			}
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := "missing " + strings.Join(missing, ", ") + "; install with: apt-get install -y --no-install-recommends " + strings.Join(pkgs, " ")
	if InCI() {
		t.Fatal(msg + " (.ci/run installs it, as root)")
	}
	t.Skip(msg)
}

// NeedRoot is Need for tests that create network namespaces or start
// daemons as other users.
func NeedRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if InCI() {
		t.Fatal("this test needs root (CI runs as root)")
	}
	t.Skip("needs root")
}

// Result is what a program did.
type Result struct {
	ExitCode int
	Stdout   string
	Stderr   string
}

// Output is stdout and stderr together, for messages.
func (r Result) Output() string { return r.Stdout + r.Stderr }

// Run runs a program with a timeout and returns its exit code and output.
// An error is returned only when the program could not be started or timed
// out; a non-zero exit is in Result.ExitCode.
func Run(timeout time.Duration, name string, args ...string) (Result, error) {
	return RunIn(timeout, "", nil, name, args...)
}

// RunIn is Run in a working directory with extra environment variables.
func RunIn(timeout time.Duration, dir string, env []string, name string, args ...string) (Result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := Result{Stdout: out.String(), Stderr: errb.String()}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		res.ExitCode = ee.ExitCode()
		return res, nil
	}
	return res, err
}

// WriteTemp writes content to a file named name in a new temp directory of
// the test and returns its absolute path.
func WriteTemp(t testing.TB, name, content string) string {
	t.Helper()
	dir := t.TempDir()
	p := dir + "/" + name
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
