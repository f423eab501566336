package lab

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/components/haproxy/haproxytest"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/components/tomcat"
	"github.com/hawebtier/hawebtier/components/tomcat/tomcattest"
	"github.com/hawebtier/hawebtier/internal/netns"
)

// Node is one server of the lab: a namespace host, the files roles.Files
// gives it, and a directory tree that stands for its filesystem.
type Node struct {
	Name  string
	Role  string
	Host  *netns.Host
	Files []roles.Managed
	// Root holds the node's own copy of every Debian directory it uses
	// (Root+"/etc/apache2" is the node's /etc/apache2); Argv bind-mounts
	// them over the real ones for the node's processes.
	Root string
	// Tomcat is the CATALINA_BASE of an app node: the rendered
	// /etc/tomcat10/server.xml is its conf/server.xml, the rendered
	// /var/lib/tomcat10/webapps its webapps (Debian's own layout, where
	// /var/lib/tomcat10/conf links to /etc/tomcat10).
	Tomcat *tomcattest.Base
	mounts []string
}

// Directories the daemons of a role write to besides the rendered files'
// directories; /run is private to every node (pid files, sockets).
var runtimeDirs = map[string][]string{
	roles.LB:      {"/run"},
	roles.Web:     {"/run", "/var/log/apache2", "/var/www"},
	roles.App:     {"/run"},
	roles.Monitor: {"/run", "/var/lib/prometheus"},
}

const (
	tomcatConfDir    = "/etc/tomcat10/"
	tomcatWebappsDir = "/var/lib/tomcat10/webapps/"
)

// newNode lays out n.Root (and the Tomcat base of an app node) and
// installs files with their permissions and owners.
func newNode(name, role string, host *netns.Host, root string, files []roles.Managed) (*Node, error) {
	n := &Node{Name: name, Role: role, Host: host, Root: root, Files: files}
	dirs := append([]string(nil), runtimeDirs[role]...)
	for _, f := range files {
		if n.inTomcatBase(f.Path) {
			continue
		}
		// The first two components: /etc/apache2, /etc/default, ...
		parts := strings.SplitN(strings.TrimPrefix(f.Path, "/"), "/", 3)
		if len(parts) < 3 {
			return nil, fmt.Errorf("lab: %s: %s: expected a file in a directory two levels down", name, f.Path)
		}
		dirs = append(dirs, "/"+parts[0]+"/"+parts[1])
	}
	slices.Sort(dirs)
	n.mounts = slices.Compact(dirs)
	for _, d := range n.mounts {
		if _, err := os.Stat(d); err != nil {
			return nil, fmt.Errorf("lab: %s: mount point %s: %w (is its package installed?)", name, d, err)
		}
		if err := os.MkdirAll(root+d, 0o755); err != nil {
			return nil, err
		}
	}
	// What systemd's RuntimeDirectory=, the packages' tmpfiles.d and the
	// apache2 package (/var/www/html) make.
	for _, d := range []string{"/run/lock", "/run/haproxy", "/run/apache2", "/run/lock/apache2", "/var/www/html"} {
		if !slices.Contains(n.mounts, "/var/www") && strings.HasPrefix(d, "/var/www") {
			continue
		}
		if err := os.MkdirAll(root+d, 0o755); err != nil {
			return nil, err
		}
	}
	if role == roles.Monitor {
		if err := chownUser(root+"/var/lib/prometheus", "prometheus"); err != nil {
			return nil, err
		}
	}
	if role == roles.App {
		base, err := n.tomcatBase(filepath.Join(root, "catalina"))
		if err != nil {
			return nil, err
		}
		n.Tomcat = base
	}
	for _, f := range files {
		if err := n.install(f); err != nil {
			return nil, fmt.Errorf("lab: %s: %s: %w", name, f.Path, err)
		}
	}
	return n, nil
}

// tomcatBase makes the node's CATALINA_BASE with tomcattest.NewBase, from the
// same tomcat.Config package roles renders (read back from the rendered
// server.xml is not possible, so only the address and route are given
// here; install then overwrites server.xml with the rendered file).
func (n *Node) tomcatBase(dir string) (*tomcattest.Base, error) {
	b, err := tomcattest.NewBase(dir, tomcat.Config{Address: n.Host.IP(), HTTPPort: roles.AppHTTPPort, JvmRoute: n.Name})
	if err != nil {
		return nil, fmt.Errorf("lab: %s: %w", n.Name, err)
	}
	return b, nil
}

func (n *Node) inTomcatBase(path string) bool {
	return n.Role == roles.App && (strings.HasPrefix(path, tomcatConfDir) || strings.HasPrefix(path, tomcatWebappsDir))
}

// HostPath is where the node's file path is on this machine's filesystem.
func (n *Node) HostPath(path string) string {
	switch {
	case n.Tomcat != nil && strings.HasPrefix(path, tomcatConfDir):
		return filepath.Join(n.Tomcat.Dir, "conf", strings.TrimPrefix(path, tomcatConfDir))
	case n.Tomcat != nil && strings.HasPrefix(path, tomcatWebappsDir):
		return filepath.Join(n.Tomcat.Dir, "webapps", strings.TrimPrefix(path, tomcatWebappsDir))
	}
	return n.Root + path
}

func (n *Node) install(f roles.Managed) error {
	dst := n.HostPath(f.Path)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	mode, err := strconv.ParseUint(f.Permissions, 8, 32)
	if err != nil {
		return fmt.Errorf("permissions %q: %w", f.Permissions, err)
	}
	if err := os.WriteFile(dst, []byte(f.Content), os.FileMode(mode)); err != nil {
		return err
	}
	if err := os.Chmod(dst, os.FileMode(mode)); err != nil { // umask
		return err
	}
	owner, group, _ := strings.Cut(f.Owner, ":")
	uid, gid := 0, 0
	if owner != "" && owner != "root" {
		u, err := user.Lookup(owner)
		if err != nil {
			return err
		}
		uid, _ = strconv.Atoi(u.Uid)
	}
	if group != "" && group != "root" {
		g, err := user.LookupGroup(group)
		if err != nil {
			return err
		}
		gid, _ = strconv.Atoi(g.Gid)
	}
	return os.Lchown(dst, uid, gid)
}

func chownUser(path, name string) error {
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("lab: user %s: %w", name, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(path, uid, gid)
}

// Argv wraps argv so it runs with the node's view of the filesystem: each
// of the node's directories bind-mounted over the Debian one. `ip netns
// exec` gives every command a private mount namespace whose mounts do not
// propagate back, so the machine's own /etc is untouched.
func (n *Node) Argv(argv ...string) []string {
	var b strings.Builder
	b.WriteString("set -e\n")
	for _, d := range n.mounts {
		fmt.Fprintf(&b, "mount --bind '%s' '%s'\n", n.Root+d, d)
	}
	b.WriteString(`exec "$@"`)
	return append([]string{"sh", "-c", b.String(), "sh"}, argv...)
}

// Cmd is a command in the node (namespace and filesystem view).
func (n *Node) Cmd(argv ...string) *exec.Cmd {
	a := n.Argv(argv...)
	return n.Host.Cmd(a[0], a[1:]...)
}

// Run runs a command in the node with a timeout and returns its output.
func (n *Node) Run(timeout time.Duration, argv ...string) (string, error) {
	cmd := n.Cmd(argv...)
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	var werr error
	done := make(chan struct{})
	go func() { werr = cmd.Wait(); close(done) }()
	select {
	case <-done:
		return out.String(), werr
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		<-done
		return out.String(), fmt.Errorf("lab: %s: %s: timed out after %v", n.Name, argv[0], timeout)
	}
}

// Start runs a daemon in the foreground in the node until it is killed or
// the test ends.
func (n *Node) Start(t testing.TB, argv ...string) *haproxytest.Proc {
	t.Helper()
	a := n.Argv(argv...)
	p := haproxytest.Start(t, n.Host, a[0], a[1:]...)
	p.Name = filepath.Base(argv[0]) + "@" + n.Name
	return p
}

// Check runs every file's validator the way a node runs it before
// installing a change (roles.Managed.Check), on the installed file.
func (n *Node) Check() error {
	var errs []string
	for _, f := range n.Files {
		if f.Check == "" {
			continue
		}
		path := f.Path
		if n.inTomcatBase(path) {
			path = n.HostPath(path)
		}
		cmd := strings.ReplaceAll(f.Check, "{path}", path)
		if out, err := n.Run(60*time.Second, "sh", "-c", cmd); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %s: %v\n%s", f.Path, cmd, err, out))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("lab: %s: %s", n.Name, strings.Join(errs, "\n"))
	}
	return nil
}

// Defaults reads a shell-variable file the node has (an /etc/default
// file): NAME -> value, quotes removed.
func (n *Node) Defaults(path string) (map[string]string, error) {
	data, err := os.ReadFile(n.HostPath(path))
	if err != nil {
		return nil, err
	}
	vars := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		vars[k] = strings.Trim(v, `"'`)
	}
	return vars, nil
}

// Unit reads a systemd unit file (or drop-in) installed on the node and
// returns each key's values in order (ExecStartPre: [...]), with the
// prefixes systemd allows before a command ("-", "@", ...) removed.
func (n *Node) Unit(path string) (map[string][]string, error) {
	data, err := os.ReadFile(n.HostPath(path))
	if err != nil {
		return nil, fmt.Errorf("lab: %s: %w", n.Name, err)
	}
	out := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		out[k] = append(out[k], strings.TrimLeft(v, "-@:+!"))
	}
	return out, nil
}

// Pids returns the processes of the node whose command name is comm.
func (n *Node) Pids(comm string) []int {
	out, err := exec.Command("ip", "netns", "pids", n.Host.Name).Output()
	if err != nil {
		return nil
	}
	var pids []int
	for _, f := range strings.Fields(string(out)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			continue
		}
		c, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if err == nil && strings.TrimSpace(string(c)) == comm {
			pids = append(pids, pid)
		}
	}
	return pids
}

// Signal sends sig to every process of the node named comm and returns
// how many there were.
func (n *Node) Signal(comm string, sig syscall.Signal) int {
	pids := n.Pids(comm)
	for _, p := range pids {
		_ = syscall.Kill(p, sig)
	}
	return len(pids)
}

// Install replaces the node's files (a day-2 change): it writes files
// over the installed ones; the caller restarts what they configure.
func (n *Node) Install(files []roles.Managed) error {
	for _, f := range files {
		if err := n.install(f); err != nil {
			return fmt.Errorf("lab: %s: %s: %w", n.Name, f.Path, err)
		}
	}
	n.Files = files
	return nil
}

// Stop sends SIGTERM to the node's processes named comm and waits (at
// most timeout) until none is left, then SIGKILLs the rest.
func (n *Node) Stop(comm string, timeout time.Duration) {
	n.Signal(comm, syscall.SIGTERM)
	if _, ok := haproxytest.Poll(timeout, 50*time.Millisecond, func() bool { return len(n.Pids(comm)) == 0 }); !ok {
		n.Signal(comm, syscall.SIGKILL)
	}
}
