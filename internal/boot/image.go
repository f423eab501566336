package boot

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// buildScript makes the image; its bytes are part of the cache key, so an
// edit rebuilds.
//
//go:embed build-image.sh
var buildScript []byte

// DefaultCacheDir holds one directory per image hash.
const DefaultCacheDir = "/var/cache/hawebtier/boot"

// BasePackages make the template, whatever the role (README-section.md):
// a kernel for direct boot, systemd with udev (the .link file that names the
// NIC ens192) and dbus (systemd-logind fails without it), cloud-init,
// ifupdown (cloud-init's eni renderer on Debian), resolvconf (ifupdown
// applies dns-nameservers only through it), open-vm-tools (the VMware
// datasource reads guestinfo with vmware-rpctool), sshd for day 2, and
// locales (cloud-init's locale module fails without an enabled locale),
// e2fsprogs and cloud-guest-utils (cloud-init's resizefs and growpart grow
// the root filesystem to a clone's larger disk; resizefs fails the boot,
// cloud-init.service included, when resize2fs is missing).
var BasePackages = []string{
	"cloud-guest-utils", "cloud-init", "dbus", "e2fsprogs", "ifupdown", "iproute2",
	"linux-image-cloud-amd64", "locales", "open-vm-tools", "openssh-server", "resolvconf",
	"systemd-sysv", "udev",
}

// Image is a built template: QEMU boots Kernel and Initrd with Rootfs (raw
// ext4) as /dev/vda; Repo is the flat apt repository of its packages.
type Image struct {
	Dir    string
	Hash   string
	Kernel string
	Initrd string
	Rootfs string
	Repo   string
}

// PackageList is the build script's package file: base packages, then the
// role packages (pre-installed, services disabled), each sorted and unique.
func PackageList(rolePackages []string) []byte {
	var b bytes.Buffer
	base := slices.Sorted(slices.Values(BasePackages))
	for _, p := range slices.Compact(base) {
		fmt.Fprintf(&b, "base %s\n", p)
	}
	role := slices.Sorted(slices.Values(rolePackages))
	for _, p := range slices.Compact(role) {
		if !slices.Contains(base, p) {
			fmt.Fprintf(&b, "role %s\n", p)
		}
	}
	return b.Bytes()
}

// InputsHash is the cache key: the build script, the package file and the
// repository URL baked into the image's sources.list.
func InputsHash(packageList []byte, repoURL string) string {
	h := sha256.New()
	h.Write(buildScript)
	h.Write(packageList)
	h.Write([]byte("repo " + repoURL + "\n"))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// EnsureImage returns the cached image for these inputs, building it first
// when absent (built reports that). Concurrent callers wait on a lock; a
// build that fails leaves nothing in the cache.
func EnsureImage(ctx context.Context, cacheDir string, rolePackages []string, repoURL string, logf func(string, ...any)) (img *Image, built bool, err error) {
	list := PackageList(rolePackages)
	hash := InputsHash(list, repoURL)
	dir := filepath.Join(cacheDir, hash)
	img = &Image{
		Dir: dir, Hash: hash,
		Kernel: filepath.Join(dir, "vmlinuz"), Initrd: filepath.Join(dir, "initrd.img"),
		Rootfs: filepath.Join(dir, "rootfs.img"), Repo: filepath.Join(dir, "repo"),
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return nil, false, err
	}
	lock, err := os.OpenFile(filepath.Join(cacheDir, hash+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, false, err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return nil, false, fmt.Errorf("lock %s: %w", lock.Name(), err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck // released on close anyway

	if _, err := os.Stat(filepath.Join(dir, "manifest.txt")); err == nil {
		return img, false, nil
	}
	tmp := dir + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, false, err
	}
	defer os.RemoveAll(tmp) //nolint:errcheck // best effort: a failed build leaves no half image
	script := filepath.Join(tmp, "build-image.sh")
	pkgs := filepath.Join(tmp, "packages.list")
	if err := os.WriteFile(script, buildScript, 0o755); err != nil {
		return nil, false, err
	}
	if err := os.WriteFile(pkgs, list, 0o644); err != nil {
		return nil, false, err
	}
	logf("building image %s (packages: %s)", hash, strings.Join(strings.Fields(strings.ReplaceAll(strings.ReplaceAll(string(list), "base ", ""), "role ", "")), " "))
	out := filepath.Join(tmp, "image")
	cmd := exec.CommandContext(ctx, "sh", script, out, pkgs, repoURL)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		return nil, false, fmt.Errorf("build-image.sh: %w\n%s", err, LastLines(log.String(), 40))
	}
	if err := os.WriteFile(filepath.Join(out, "packages.list"), list, 0o644); err != nil {
		return nil, false, err
	}
	if err := os.Rename(out, dir); err != nil {
		return nil, false, err
	}
	return img, true, nil
}

// tail returns the last n lines of s.
// LastLines is the last n lines of s, for logs quoted in errors.
func LastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
