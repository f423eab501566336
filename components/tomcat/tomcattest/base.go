package tomcattest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hawebtier/hawebtier/components/tomcat"
	"github.com/hawebtier/hawebtier/internal/proc"
)

// Home is CATALINA_HOME of Debian's tomcat10 package; its etc/ holds the
// default conf files NewBase copies.
const Home = "/usr/share/tomcat10"

// User is the account Tomcat runs as when the base is started by root.
const User = "tomcat"

// Base is a CATALINA_BASE: conf/, logs/, temp/, work/, webapps/.
type Base struct {
	Dir  string // absolute path
	Home string // CATALINA_HOME, default Home
	// JavaOpts for the JVM; default "-Xmx256m -Djava.awt.headless=true".
	JavaOpts string
}

// NewBase creates a CATALINA_BASE in dir (absolute) for c: the Debian
// package's conf files, server.xml rendered from c, and tomcat.Webapps. Run as
// root, it makes conf/ root:tomcat (0750, server.xml 0640: it holds the AJP
// secret) and the rest tomcat-owned, as a real host needs. An invalid c
// returns RenderServerXML's errors and writes nothing.
func NewBase(dir string, c tomcat.Config) (*Base, error) {
	xml, err := tomcat.RenderServerXML(c)
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(dir) {
		return nil, fmt.Errorf("tomcat: base %q: not an absolute path", dir)
	}
	b := &Base{Dir: dir, Home: Home}
	// conf/Catalina/localhost is Tomcat's xmlBase: it only reads it, but
	// logs SEVERE when it is missing and conf/ is read-only.
	for _, d := range []string{"conf/Catalina/localhost", "logs", "temp", "work", "webapps"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o750); err != nil {
			return nil, fmt.Errorf("tomcat: base: %w", err)
		}
	}
	etc := filepath.Join(b.Home, "etc")
	entries, err := os.ReadDir(etc)
	if err != nil {
		return nil, fmt.Errorf("tomcat: base: default conf (is tomcat10 installed?): %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == "server.xml" || e.Name() == "tomcat-users.xml" {
			continue // ours, and no user database: nothing reads it
		}
		data, err := os.ReadFile(filepath.Join(etc, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("tomcat: base: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, "conf", e.Name()), data, 0o640); err != nil {
			return nil, fmt.Errorf("tomcat: base: %w", err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "conf", "server.xml"), []byte(xml), 0o640); err != nil {
		return nil, fmt.Errorf("tomcat: base: %w", err)
	}
	apps := tomcat.Webapps()
	for _, name := range apps.Names() {
		p := filepath.Join(dir, "webapps", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			return nil, fmt.Errorf("tomcat: base: %w", err)
		}
		if err := os.WriteFile(p, []byte(apps[name]), 0o640); err != nil {
			return nil, fmt.Errorf("tomcat: base: %w", err)
		}
	}
	if os.Geteuid() == 0 {
		if err := b.chown(); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// chown gives conf/ to root:tomcat (read-only for Tomcat) and everything
// else to tomcat.
func (b *Base) chown() error {
	u, err := user.Lookup(User)
	if err != nil {
		return fmt.Errorf("tomcat: base: user %s (is tomcat10 installed?): %w", User, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(b.Dir, 0, gid); err != nil {
		return fmt.Errorf("tomcat: base: %w", err)
	}
	if err := os.Chmod(b.Dir, 0o750); err != nil {
		return fmt.Errorf("tomcat: base: %w", err)
	}
	return filepath.Walk(b.Dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil || p == b.Dir {
			return err
		}
		owner := uid
		if rel, _ := filepath.Rel(b.Dir, p); rel == "conf" || strings.HasPrefix(rel, "conf"+string(filepath.Separator)) {
			owner = 0
		}
		if err := os.Lchown(p, owner, gid); err != nil {
			return fmt.Errorf("tomcat: base: %w", err)
		}
		return nil
	})
}

// PidFile is CATALINA_PID.
func (b *Base) PidFile() string { return filepath.Join(b.Dir, "temp", "catalina.pid") }

// Args is the argument list that runs `catalina.sh <args>` for this base:
// as the tomcat user when run by root. The lab prefixes it with
// `ip netns exec NS`.
func (b *Base) Args(args ...string) []string {
	home := b.Home
	if home == "" {
		home = Home
	}
	opts := b.JavaOpts
	if opts == "" {
		opts = "-Xmx256m -Djava.awt.headless=true"
	}
	var argv []string
	if os.Geteuid() == 0 {
		argv = []string{"runuser", "-u", User, "--"}
	}
	argv = append(argv, "env",
		"CATALINA_HOME="+home, "CATALINA_BASE="+b.Dir, "CATALINA_PID="+b.PidFile(),
		"CATALINA_TMPDIR="+filepath.Join(b.Dir, "temp"), "JAVA_OPTS="+opts,
		filepath.Join(home, "bin", "catalina.sh"))
	return append(argv, args...)
}

// configWarning matches what Tomcat's configtest prints, and exits 0 on,
// for an attribute or element it does not know.
var configWarning = regexp.MustCompile(`(?m)^.*(failed to set property|No rules found matching|Failed to set property).*$`)

// ConfigTest runs `catalina.sh configtest` and fails on malformed XML and on
// the warnings Tomcat otherwise ignores (unknown attributes and elements).
// It binds the connectors' ports: do not run it while the base runs.
func (b *Base) ConfigTest() error {
	out, err := run(60*time.Second, b.Args("configtest"))
	if err != nil {
		return fmt.Errorf("tomcat: configtest: %w: %s", err, out)
	}
	if w := configWarning.FindAllString(out, -1); len(w) > 0 {
		return fmt.Errorf("tomcat: configtest: %d warning(s):\n%s", len(w), strings.Join(w, "\n"))
	}
	return nil
}

// Start starts Tomcat in the background (catalina.sh start). Use WaitReady
// for the first page.
func (b *Base) Start() error {
	if out, err := run(30*time.Second, b.Args("start")); err != nil {
		return fmt.Errorf("tomcat: start: %w: %s", err, out)
	}
	return nil
}

// Stop stops Tomcat: SIGTERM (the JVM's shutdown hook stops Tomcat
// cleanly; the shutdown port is disabled by default), then SIGKILL after
// timeout. Stopping a base that does not run is not an error.
func (b *Base) Stop(timeout time.Duration) error {
	pid, err := b.pid()
	if err != nil || !proc.Alive(pid) {
		return nil
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	deadline := time.Now().Add(timeout)
	for proc.Alive(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			return fmt.Errorf("tomcat: pid %d still running %s after SIGTERM (killed)", pid, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = os.Remove(b.PidFile())
	return nil
}

// Running reports whether the base's JVM runs.
func (b *Base) Running() bool {
	pid, err := b.pid()
	return err == nil && proc.Alive(pid)
}

func (b *Base) pid() (int, error) {
	data, err := os.ReadFile(b.PidFile())
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(data)))
}

// WaitReady polls url until it answers 200 or timeout passes (the first
// request of a JSP compiles it: several seconds), and returns the body.
func WaitReady(url string, timeout time.Duration) (string, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(timeout)
	var last string
	for {
		resp, err := client.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return string(body), nil
			}
			last = fmt.Sprintf("status %d: %.200s", resp.StatusCode, body)
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("tomcat: %s not ready after %s: %s", url, timeout, last)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func run(timeout time.Duration, argv []string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	// catalina.sh start leaves the JVM holding our pipes otherwise.
	out, err := os.CreateTemp("", "catalina-out-")
	if err != nil {
		return "", err
	}
	defer func() { _ = os.Remove(out.Name()) }()
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	err = cmd.Run()
	data, _ := os.ReadFile(out.Name())
	if ctx.Err() != nil {
		return string(data), fmt.Errorf("%s: timed out after %s", strings.Join(argv, " "), timeout)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(data), fmt.Errorf("%s: exit %d", argv[len(argv)-1], ee.ExitCode())
	}
	return string(data), err
}
