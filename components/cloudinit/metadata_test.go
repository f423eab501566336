package cloudinit_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/components/cloudinit"
	"github.com/hawebtier/hawebtier/components/cloudinit/cloudinittest"
)

var testNet = cloudinit.StaticNetwork{
	Interface:     "ens192",
	Address:       "10.20.30.21/24",
	Gateway:       "10.20.30.1",
	DNS:           []string{"10.20.30.2", "10.20.30.3"},
	SearchDomains: []string{"example.internal"},
}

// The metadata is read by the VMware datasource's own code and converted
// by cloud-init for the renderers a Debian template may use.
func TestMetadataNetConvert(t *testing.T) {
	t.Parallel()
	md, err := cloudinit.RenderMetadata("hawebtier-dev-web-1", "web-1", testNet)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		file string
		want map[string][]string // section -> lines it must hold ("" for no sections)
	}{
		"networkd": {"etc/systemd/network/10-cloud-init-ens192.network", map[string][]string{
			"[Match]":   {"Name=ens192"},
			"[Address]": {"Address=10.20.30.21/24"},
			"[Network]": {"DHCP=no", "DNS=10.20.30.2 10.20.30.3", "Domains=example.internal"},
			"[Route]":   {"Gateway=10.20.30.1"},
		}},
		"eni": {"etc/network/interfaces.d/50-cloud-init", map[string][]string{
			"iface ens192 inet static": {"address 10.20.30.21/24", "dns-nameservers 10.20.30.2 10.20.30.3", "dns-search example.internal", "gateway 10.20.30.1"},
		}},
	}
	for kind, tc := range tests {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			n := cloudinittest.ConvertMetadata(t, md, kind)
			if n.InstanceID != "hawebtier-dev-web-1" || n.LocalHostname != "web-1" {
				t.Errorf("datasource read instance-id %q, local-hostname %q", n.InstanceID, n.LocalHostname)
			}
			content, ok := n.Files[tc.file]
			if !ok {
				t.Fatalf("net-convert wrote no %s; wrote %v", tc.file, keys(n.Files))
			}
			got := sections(content, kind == "eni")
			for sec, lines := range tc.want {
				if d := cmp.Diff(lines, got[sec]); d != "" {
					t.Errorf("%s %s (-want +got):\n%s\n--- file ---\n%s", tc.file, sec, d, content)
				}
			}
		})
	}
}

// sections splits an INI-like file (networkd) or an ENI stanza file into
// section header -> its lines; for ENI only the lines that the test looks
// at (address, gateway, dns-*) are kept, since cloud-init 22.4 also writes
// a stray "dns {...}" line.
func sections(content string, eni bool) map[string][]string {
	out := map[string][]string{}
	cur := ""
	for _, l := range strings.Split(content, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case !eni && strings.HasPrefix(l, "["):
			cur = l
		case eni && (strings.HasPrefix(l, "iface ") || strings.HasPrefix(l, "auto ")):
			if strings.HasPrefix(l, "iface ") {
				cur = l
			}
		case eni && !eniKept(l):
		default:
			out[cur] = append(out[cur], l)
		}
	}
	return out
}

func eniKept(l string) bool {
	return strings.HasPrefix(l, "address ") || strings.HasPrefix(l, "gateway ") || strings.HasPrefix(l, "dns-")
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestRenderMetadataErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		id, host string
		mutate   func(*cloudinit.StaticNetwork)
		want     []string
	}{
		"gateway outside": {"i-1", "web-1", func(n *cloudinit.StaticNetwork) { n.Gateway = "10.9.9.1" }, []string{"network.gateway: 10.9.9.1 is outside 10.20.30.0/24"}},
		"no prefix":       {"i-1", "web-1", func(n *cloudinit.StaticNetwork) { n.Address = "10.20.30.21" }, []string{"network.address: expected an IPv4 address with prefix length"}},
		"network address": {"i-1", "web-1", func(n *cloudinit.StaticNetwork) { n.Address = "10.20.30.0/24" }, []string{"network.address: 10.20.30.0 is the subnet's network address"}},
		"gateway is self": {"i-1", "web-1", func(n *cloudinit.StaticNetwork) { n.Gateway = "10.20.30.21" }, []string{"network.gateway: 10.20.30.21 is the node's own address"}},
		"no dns":          {"i-1", "web-1", func(n *cloudinit.StaticNetwork) { n.DNS = nil }, []string{"network.dns: need at least one DNS server"}},
		"bad dns":         {"i-1", "web-1", func(n *cloudinit.StaticNetwork) { n.DNS = []string{"dns.example"} }, []string{"network.dns[0]: expected an IPv4 address"}},
		"bad iface":       {"i-1", "web-1", func(n *cloudinit.StaticNetwork) { n.Interface = "a-name-far-too-long" }, []string{"network.interface:"}},
		"everything": {"", "Web 1", func(n *cloudinit.StaticNetwork) { n.SearchDomains = []string{"-bad"} }, []string{
			"instance-id: expected a non-empty id", "local-hostname: expected a lowercase DNS label", "network.searchDomains[0]: expected a DNS domain"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			n := testNet
			n.DNS = append([]string(nil), n.DNS...)
			tc.mutate(&n)
			_, err := cloudinit.RenderMetadata(tc.id, tc.host, n)
			if err == nil {
				t.Fatal("RenderMetadata accepted bad input")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}
