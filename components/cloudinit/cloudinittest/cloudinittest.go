package cloudinittest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/internal/realtool"
)

// Schema runs `cloud-init schema --config-file` on doc and returns what it
// did. It fails the test when cloud-init cannot be run (and skips outside
// CI when it is not installed).
func Schema(t testing.TB, doc string) realtool.Result {
	t.Helper()
	realtool.Need(t, "cloud-init")
	p := realtool.WriteTemp(t, "user-data", doc)
	res, err := realtool.Run(30*time.Second, "cloud-init", "schema", "--config-file", p)
	if err != nil {
		t.Fatalf("cloud-init schema: %v", err)
	}
	return res
}

// RequireValid fails the test unless cloud-init's schema accepts doc.
func RequireValid(t testing.TB, doc string) {
	t.Helper()
	if res := Schema(t, doc); res.ExitCode != 0 {
		t.Fatalf("cloud-init schema rejected the user-data (exit %d):\n%s\n--- user-data ---\n%s", res.ExitCode, res.Output(), doc)
	}
}

// vmwareNetwork is how cloud-init's VMware datasource turns guestinfo
// metadata into network config: its own process_metadata, so the test
// reads the metadata exactly as a booting VM does.
const vmwareNetwork = `
import sys, yaml
from cloudinit.sources.DataSourceVMware import load_json_or_yaml, process_metadata
md = process_metadata(load_json_or_yaml(open(sys.argv[1]).read()))
for k in ("instance-id", "local-hostname"):
    print("%s=%s" % (k, md.get(k, "")))
yaml.safe_dump(md["network"]["config"], open(sys.argv[2], "w"))
`

// Network is guestinfo metadata as the VMware datasource reads it: its
// instance-id and local-hostname, and the files `cloud-init devel
// net-convert` writes for the network config (path relative to the output
// directory -> content), for Debian with the given output kind (networkd,
// eni, netplan).
type Network struct {
	InstanceID, LocalHostname string
	Files                     map[string]string
}

// ConvertMetadata runs the datasource's metadata parsing and
// `cloud-init devel net-convert -k yaml -D debian -O outputKind` on it.
func ConvertMetadata(t testing.TB, metadata, outputKind string) Network {
	t.Helper()
	realtool.Need(t, "cloud-init")
	dir := t.TempDir()
	mdPath, netPath, out := filepath.Join(dir, "metadata"), filepath.Join(dir, "network.yaml"), filepath.Join(dir, "out")
	if err := os.WriteFile(mdPath, []byte(metadata), 0o600); err != nil {
		t.Fatal(err)
	}
	// cloud-init's own interpreter: python3 on PATH may be another one.
	res, err := realtool.Run(30*time.Second, "/usr/bin/python3", "-c", vmwareNetwork, mdPath, netPath)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("VMware datasource could not read the metadata: %v %s\n--- metadata ---\n%s", err, res.Output(), metadata)
	}
	n := Network{Files: map[string]string{}}
	for _, line := range strings.Split(res.Stdout, "\n") {
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "instance-id":
			n.InstanceID = v
		case "local-hostname":
			n.LocalHostname = v
		}
	}
	res, err = realtool.Run(30*time.Second, "cloud-init", "devel", "net-convert", "-p", netPath, "-k", "yaml", "-d", out, "-D", "debian", "-O", outputKind)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("cloud-init devel net-convert -O %s: %v %s", outputKind, err, res.Output())
	}
	err = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if len(b) > 0 {
			rel, _ := filepath.Rel(out, p)
			n.Files[rel] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Load parses doc the way cloud-init does (PyYAML, YAML 1.1, from
// cloud-init's own interpreter) and returns it as JSON values: a string
// that PyYAML reads as a boolean, number or date shows up as such, or
// fails the test.
func Load(t testing.TB, doc string) map[string]any {
	t.Helper()
	realtool.Need(t, "cloud-init")
	p := realtool.WriteTemp(t, "user-data", doc)
	res, err := realtool.Run(30*time.Second, "/usr/bin/python3", "-c",
		"import sys, json; from cloudinit import util; print(json.dumps(util.load_yaml(open(sys.argv[1]).read())))", p)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("cloud-init could not load the document as JSON values: %v %s", err, res.Output())
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(res.Stdout), &out); err != nil {
		t.Fatalf("decode %q: %v", res.Stdout, err)
	}
	return out
}
