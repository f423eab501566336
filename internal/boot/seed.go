package boot

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// WriteSeed writes a NoCloud seed ISO (volume label cidata) with user-data,
// meta-data and network-config: on vSphere the VMware datasource reads the
// same documents from guestinfo.userdata and guestinfo.metadata (whose
// network key is the network config).
func WriteSeed(dir string, n *Node, userData string) (string, error) {
	src := filepath.Join(dir, "seed")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	files := map[string]string{"user-data": userData, "meta-data": n.MetaData, "network-config": n.NetworkConfig}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(content), 0o644); err != nil {
			return "", err
		}
	}
	iso := filepath.Join(dir, "seed.iso")
	out, err := exec.Command("genisoimage", "-quiet", "-output", iso, "-volid", "cidata", "-joliet", "-rock",
		filepath.Join(src, "user-data"), filepath.Join(src, "meta-data"), filepath.Join(src, "network-config")).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("genisoimage: %w: %s", err, out)
	}
	return iso, nil
}

// EnvBreak names the test-only knob that breaks web-1's user-data, to show
// that the boot test fails when first boot does: "runcmd" appends a failing
// runcmd entry, "owner" a deferred write_files entry owned by a user that
// never exists. CI never sets it.
const EnvBreak = "HAWEBTIER_BOOT_BREAK"

// Break returns userData with the named breakage added.
func Break(userData, how string) (string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(userData), &doc); err != nil {
		return "", err
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return "", fmt.Errorf("user-data is not a mapping")
	}
	var key, entry string
	switch how {
	case "runcmd":
		key, entry = "runcmd", `[sh, -c, "echo hawebtier boot break: failing runcmd >&2; exit 1"]`
	case "owner":
		key, entry = "write_files", `{path: /etc/hawebtier-boot-break, owner: "hawebtier-nosuchuser:root", permissions: "0644", defer: true, content: "broken\n"}`
	default:
		return "", fmt.Errorf("%s=%q: expected runcmd or owner", EnvBreak, how)
	}
	var item yaml.Node
	if err := yaml.Unmarshal([]byte(entry), &item); err != nil {
		return "", err
	}
	m := doc.Content[0]
	found := false
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1].Content = append(m.Content[i+1].Content, item.Content[0])
			found = true
		}
	}
	if !found {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key},
			&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{item.Content[0]}})
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return "", err
	}
	return "#cloud-config\n" + strings.TrimPrefix(b.String(), "#cloud-config\n"), nil
}
