package boot

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// SSH runs commands on the VMs with the real ssh client from inside the lab,
// as pulumi-command's remote.Command does: the command string goes to the
// login shell, the content on stdin.
type SSH struct {
	Lab        *Lab
	Key        string // private key file
	KnownHosts string
}

// NewSSH uses key and learns each host's key on first contact (accept-new):
// cloud-init generates the host keys at first boot, so there is nothing to
// pin in advance, but a key that changes afterwards fails the connection.
func NewSSH(lab *Lab, key, dir string) *SSH {
	return &SSH{Lab: lab, Key: key, KnownHosts: filepath.Join(dir, "known_hosts")}
}

// Result is what a remote command did.
type Result struct {
	Stdout, Stderr string
	ExitCode       int
}

// Run runs command as user@host:port with stdin, bounded by timeout. err is
// set when ssh could not run the command or it exited non-zero (255 is
// ssh's own failure).
func (s *SSH) Run(ctx context.Context, host string, port int, user, command, stdin string, timeout time.Duration) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := s.Lab.CommandContext(ctx, "ssh",
		"-i", s.Key, "-p", fmt.Sprint(port),
		"-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
		"-o", "StrictHostKeyChecking=accept-new", "-o", "UserKnownHostsFile="+s.KnownHosts,
		"-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=15", "-o", "LogLevel=ERROR",
		user+"@"+host, "--", command)
	var out, errb bytes.Buffer
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := Result{Stdout: out.String(), Stderr: errb.String()}
	if cmd.ProcessState != nil {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	if ctx.Err() != nil {
		return res, fmt.Errorf("ssh %s@%s: %q: no answer within %s", user, host, firstLine(command), timeout)
	}
	if err != nil {
		return res, fmt.Errorf("ssh %s@%s: %q: exit %d: %s%s", user, host, firstLine(command), res.ExitCode, res.Stdout, res.Stderr)
	}
	return res, nil
}

// WaitReachable polls until a login succeeds (cloud-init has installed the
// key and sshd runs) or the deadline passes, failing early if stop reports
// true (QEMU exited).
func (s *SSH) WaitReachable(ctx context.Context, host, user string, deadline time.Time, stop func() bool) error {
	var last error
	for {
		_, err := s.Run(ctx, host, 22, user, "true", "", 30*time.Second)
		if err == nil {
			return nil
		}
		last = err
		if stop() {
			return fmt.Errorf("%s: the VM stopped before ssh answered (last: %w)", host, last)
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s: no ssh login before the deadline: %w", host, last)
		}
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
		}
	}
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return s
}
