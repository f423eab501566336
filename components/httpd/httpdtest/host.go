package httpdtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/internal/proc"
)

// This file runs httpd from rendered files on this host: for the tests,
// the failover lab (which prefixes the argument lists with
// `ip netns exec NS`) and people trying a configuration by hand.

// Program is the httpd binary of Debian's apache2 package.
const Program = "apache2"

// CheckArgs is the argument list of CheckCommand.
func CheckArgs(confPath string) []string { return []string{Program, "-t", "-f", confPath} }

// StartArgs starts httpd with a standalone configuration (as root; it
// switches to Layout.User for the workers).
func StartArgs(confPath string) []string { return []string{Program, "-f", confPath, "-k", "start"} }

// StopArgs stops the httpd started with StartArgs.
func StopArgs(confPath string) []string { return []string{Program, "-f", confPath, "-k", "stop"} }

// Install creates the layout's directories (ConfDir, RuntimeDir, LogDir,
// MutexDir, DocumentRoot) and writes the files where Layout.Path says:
// SecretFile 0600, the rest 0644.
func Install(l httpd.Layout, f httpd.Files) error {
	for _, d := range []string{l.ConfDir, filepath.Dir(l.ConfFile), l.RuntimeDir, l.LogDir, l.MutexDir, l.DocumentRoot, filepath.Dir(l.PidFile)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("httpd: install: %w", err)
		}
	}
	for _, name := range f.Names() {
		p := l.Path(name)
		mode := os.FileMode(0o644)
		if httpd.IsSecret(name) {
			mode = 0o600
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("httpd: install %s: %w", name, err)
		}
		if err := os.WriteFile(p, []byte(f[name]), mode); err != nil {
			return fmt.Errorf("httpd: install %s: %w", name, err)
		}
		if err := os.Chmod(p, mode); err != nil { // WriteFile keeps the mode of an existing file
			return fmt.Errorf("httpd: install %s: %w", name, err)
		}
	}
	return nil
}

// Check runs `apache2 -t -f` on the installed configuration and returns
// its output in the error when the configuration is rejected.
func Check(l httpd.Layout) error {
	return run(15*time.Second, CheckArgs(l.ConfFile))
}

// Start starts httpd on the installed configuration and waits (up to
// timeout) for its pid file.
func Start(l httpd.Layout, timeout time.Duration) error {
	if err := run(timeout, StartArgs(l.ConfFile)); err != nil {
		return err
	}
	deadline := time.Now().Add(timeout)
	for {
		if pid, err := readPid(l.PidFile); err == nil && proc.Alive(pid) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("httpd: no running process in %s after %s; see %s", l.PidFile, timeout, l.ErrorLog())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop stops the httpd of the layout (-k stop), waits up to timeout for the
// main process to exit and kills it (SIGKILL) if it has not. Stopping an
// httpd that does not run is not an error.
func Stop(l httpd.Layout, timeout time.Duration) error {
	pid, err := readPid(l.PidFile)
	if err != nil || !proc.Alive(pid) {
		return nil
	}
	stopErr := run(timeout, StopArgs(l.ConfFile))
	deadline := time.Now().Add(timeout)
	for proc.Alive(pid) {
		if time.Now().After(deadline) {
			// The workers die with their parent's process group gone.
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			_ = syscall.Kill(pid, syscall.SIGKILL)
			return errors.Join(fmt.Errorf("httpd: pid %d still running %s after -k stop (killed)", pid, timeout), stopErr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

func readPid(file string) (int, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

func run(timeout time.Duration, argv []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput()
	if ctx.Err() != nil {
		return fmt.Errorf("httpd: %s: timed out after %s", strings.Join(argv, " "), timeout)
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("httpd: %s: exit %d: %s", strings.Join(argv, " "), ee.ExitCode(), bytes.TrimSpace(out))
		}
		return fmt.Errorf("httpd: %s: %w", strings.Join(argv, " "), err)
	}
	return nil
}
