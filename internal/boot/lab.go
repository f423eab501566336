package boot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Lab is a network namespace holding a bridge with the stack's gateway
// address, one tap per VM, and nothing else: no route out, forwarding off.
// QEMU, the apt repository's HTTP server, ssh and curl run inside it.
type Lab struct {
	NS      string
	Gateway string // the bridge's address, e.g. 10.20.30.1
	procs   []*proc
	taps    int
}

// proc is a long-running process the lab started; done closes when it exits.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// NewLab creates the namespace and its bridge with gatewayCIDR
// (10.20.30.1/24). Close removes everything.
func NewLab(gatewayCIDR string) (*Lab, error) {
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	gw, _, _ := strings.Cut(gatewayCIDR, "/")
	l := &Lab{NS: "hwboot" + hex.EncodeToString(b), Gateway: gw}
	if err := run("ip", "netns", "add", l.NS); err != nil {
		return nil, err
	}
	for _, s := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "br0", "type", "bridge"},
		{"addr", "add", gatewayCIDR, "dev", "br0"},
		{"link", "set", "br0", "up"},
	} {
		if err := run(append([]string{"ip", "-n", l.NS}, s...)...); err != nil {
			l.Close()
			return nil, err
		}
	}
	return l, nil
}

// RemoveStaleLabs deletes the namespaces a killed run of this package left
// (named hwboot*, with no process left in them: QEMU dies with the test
// binary, see Command).
func RemoveStaleLabs(logf func(string, ...any)) {
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(f[0], "hwboot") {
			continue
		}
		if pids, err := exec.Command("ip", "netns", "pids", f[0]).Output(); err == nil && len(strings.TrimSpace(string(pids))) == 0 {
			if run("ip", "netns", "del", f[0]) == nil {
				logf("removed the namespace %s a killed run left", f[0])
			}
		}
	}
}

// AddTap creates a tap on the bridge for one VM and returns its name.
func (l *Lab) AddTap() (string, error) {
	name := fmt.Sprintf("tap%d", l.taps)
	l.taps++
	for _, s := range [][]string{
		{"tuntap", "add", "dev", name, "mode", "tap"},
		{"link", "set", name, "master", "br0"},
		{"link", "set", name, "up"},
	} {
		if err := run(append([]string{"ip", "-n", l.NS}, s...)...); err != nil {
			return "", err
		}
	}
	return name, nil
}

// Command builds a command that runs inside the namespace.
func (l *Lab) Command(name string, args ...string) *exec.Cmd {
	return l.CommandContext(context.Background(), name, args...)
}

// CommandContext is Command, killed when ctx ends.
func (l *Lab) CommandContext(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", l.NS, name}, args...)...)
	// If the test binary dies (a go test -timeout panic skips every
	// cleanup), the kernel kills the child with it. `ip netns exec` execs
	// the program, so the child is the program itself.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return cmd
}

// Start starts a long-running process in the namespace, output to logPath;
// Close kills it.
func (l *Lab) Start(logPath string, name string, args ...string) (*proc, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := l.Command(name, args...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	f.Close() // the child holds its own copy
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(p.done)
	}()
	l.procs = append(l.procs, p)
	return p, nil
}

// ServeRepo serves dir over HTTP on the gateway address (python3 -m
// http.server), the VMs' only package source, and waits until it answers.
func (l *Lab) ServeRepo(dir string, port int, logPath string) error {
	py := "python3"
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		py = "/usr/bin/python3" // Debian's, not a version manager's shim
	}
	if _, err := l.Start(logPath, py, "-m", "http.server", "--bind", l.Gateway, "--directory", dir, fmt.Sprint(port)); err != nil {
		return err
	}
	url := fmt.Sprintf("http://%s:%d/Release", l.Gateway, port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := l.Command("curl", "-fsS", "-o", "/dev/null", "--max-time", "2", url).CombinedOutput()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("repository at %s did not answer within 30 s: %s", url, out)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// Close kills the processes it started (by their own pid), then deletes the
// namespace, which removes the bridge and the taps.
func (l *Lab) Close() {
	for _, p := range l.procs {
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	l.procs = nil
	_ = run("ip", "netns", "del", l.NS)
}

// VMSpec says how to boot one node.
type VMSpec struct {
	Name     string
	Image    *Image
	Seed     string
	MemoryMB int
	MAC      string
	Dir      string // overlay and console log
}

// VM is one running QEMU.
type VM struct {
	Name    string
	Console string // serial console log
	Started time.Time
	proc    *proc
}

// StartVM boots spec in the lab: QEMU with software emulation (TCG: this
// machine's KVM is a nested paravirtual one that hangs a stock kernel, see
// BOOT-NOTES), direct kernel boot of the image's own kernel and initrd, a
// qcow2 overlay over the cached raw rootfs, the seed as a second disk, and
// one virtio NIC on a tap of the lab's bridge.
func (l *Lab) StartVM(spec VMSpec) (*VM, error) {
	overlay := filepath.Join(spec.Dir, "disk.qcow2")
	if out, err := exec.Command("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", spec.Image.Rootfs, overlay).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("qemu-img: %w: %s", err, out)
	}
	tap, err := l.AddTap()
	if err != nil {
		return nil, err
	}
	vm := &VM{Name: spec.Name, Console: filepath.Join(spec.Dir, "console.log")}
	args := []string{
		"-name", spec.Name,
		"-machine", "q35", "-cpu", "max",
		// tb-size bounds TCG's translation cache, which otherwise makes
		// each qemu process hold ~1.8 GiB whatever the guest's memory.
		"-accel", "tcg,tb-size=256",
		"-smp", "1", "-m", fmt.Sprint(spec.MemoryMB),
		"-display", "none", "-monitor", "none", "-serial", "file:" + vm.Console,
		"-no-reboot",
		"-kernel", spec.Image.Kernel, "-initrd", spec.Image.Initrd,
		"-append", "root=/dev/vda rw console=ttyS0",
		"-drive", "file=" + overlay + ",if=virtio,format=qcow2",
		"-drive", "file=" + spec.Seed + ",if=virtio,format=raw,readonly=on",
		"-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no",
		"-device", "virtio-net-pci,netdev=n0,mac=" + spec.MAC,
	}
	vm.Started = time.Now()
	p, err := l.Start(filepath.Join(spec.Dir, "qemu.log"), "qemu-system-x86_64", args...)
	if err != nil {
		return nil, err
	}
	vm.proc = p
	return vm, nil
}

// Exited reports whether QEMU has exited (a kernel panic with -no-reboot).
func (v *VM) Exited() bool {
	select {
	case <-v.proc.done:
		return true
	default:
		return false
	}
}

func run(args ...string) error {
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
