package netns

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os/exec"
	"strings"
	"sync"
)

// Lab is a set of hosts (namespaces) on one layer-2 segment: a bridge that
// lives in its own namespace, so nothing is added to the root namespace.
type Lab struct {
	prefix string
	hub    string
	mu     sync.Mutex
	hosts  []*Host
	closed bool
}

// Host is one namespace with one interface on the lab's segment.
type Host struct {
	Name  string // namespace name
	Iface string // interface name inside the namespace
	Addr  string // CIDR address on the segment, e.g. 10.99.0.11/24
}

// IP is the host's address without the prefix length.
func (h *Host) IP() string {
	ip, _, _ := strings.Cut(h.Addr, "/")
	return ip
}

// Cmd builds a command that runs inside the host's namespace.
func (h *Host) Cmd(name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", h.Name, name}, args...)...)
}

// Run runs a command in the namespace and returns its combined output.
func (h *Host) Run(name string, args ...string) (string, error) {
	out, err := h.Cmd(name, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s in %s: %w: %s", name, strings.Join(args, " "), h.Name, err, out)
	}
	return string(out), nil
}

// New creates an empty lab. Names get a random suffix so parallel tests
// and leftovers of a killed run never clash.
func New(label string) (*Lab, error) {
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	l := &Lab{prefix: fmt.Sprintf("hw%s%s", short(label, 4), hex.EncodeToString(b))}
	l.hub = l.prefix + "hub"
	if err := run("ip", "netns", "add", l.hub); err != nil {
		return nil, err
	}
	steps := [][]string{
		{"ip", "-n", l.hub, "link", "add", "br0", "type", "bridge"},
		{"ip", "-n", l.hub, "link", "set", "br0", "up"},
		{"ip", "-n", l.hub, "link", "set", "lo", "up"},
	}
	for _, s := range steps {
		if err := run(s...); err != nil {
			l.Close()
			return nil, err
		}
	}
	return l, nil
}

func short(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.ToLower(s))
	if len(s) > n {
		return s[:n]
	}
	return s
}

// AddHost creates a namespace with an interface named iface (e.g. ens192,
// as the rendered configs expect) holding addr (CIDR), joined to the
// segment. Loopback is brought up too.
func (l *Lab) AddHost(name, iface, addr string) (*Host, error) {
	l.mu.Lock()
	idx := len(l.hosts)
	l.mu.Unlock()
	ns := fmt.Sprintf("%s-%s", l.prefix, short(name, 8))
	peer := fmt.Sprintf("%sp%d", l.prefix, idx)
	if len(peer) > 15 {
		peer = peer[len(peer)-15:]
	}
	h := &Host{Name: ns, Iface: iface, Addr: addr}
	if err := run("ip", "netns", "add", ns); err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.hosts = append(l.hosts, h)
	l.mu.Unlock()
	steps := [][]string{
		{"ip", "-n", l.hub, "link", "add", peer, "type", "veth", "peer", "name", iface, "netns", ns},
		{"ip", "-n", l.hub, "link", "set", peer, "master", "br0"},
		{"ip", "-n", l.hub, "link", "set", peer, "up"},
		{"ip", "-n", ns, "link", "set", "lo", "up"},
		{"ip", "-n", ns, "addr", "add", addr, "dev", iface},
		{"ip", "-n", ns, "link", "set", iface, "up"},
	}
	for _, s := range steps {
		if err := run(s...); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// Hosts returns the lab's hosts in creation order.
func (l *Lab) Hosts() []*Host {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*Host(nil), l.hosts...)
}

// Close kills every process left in the lab's namespaces and deletes them.
func (l *Lab) Close() {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.closed = true
	hosts := append([]*Host(nil), l.hosts...)
	l.mu.Unlock()
	for _, h := range hosts {
		killAll(h.Name)
		_ = run("ip", "netns", "del", h.Name)
	}
	_ = run("ip", "netns", "del", l.hub)
}

// killAll kills the processes whose network namespace is ns.
func killAll(ns string) {
	out, err := exec.Command("ip", "netns", "pids", ns).Output()
	if err != nil {
		return
	}
	for _, pid := range strings.Fields(string(out)) {
		_ = exec.Command("kill", "-9", pid).Run()
	}
}

func run(args ...string) error {
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
