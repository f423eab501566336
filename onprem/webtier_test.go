package onprem_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/cloudinit/cloudinittest"
	"github.com/hawebtier/hawebtier/components/day2"
	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/onprem"
)

func TestWebTierRegistersWholeTierUnderComponent(t *testing.T) {
	t.Parallel()
	res := mustRunTier(t, labArgs())
	tier := res.Find(onprem.WebTierTypeToken, "tier")
	if tier == nil {
		t.Fatal("no WebTier component")
	}
	got := map[string]int{}
	for _, r := range res.Descendants(tier.URN) {
		got[r.Type]++
	}
	want := map[string]int{
		onprem.NodeTypeToken: 7, vmType: 7,
		"vsphere:index/folder:Folder":           1,
		"vsphere:index/tagCategory:TagCategory": 2,
		"vsphere:index/tag:Tag":                 5, // 4 roles + environment
		"vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule": 3,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("resources under the tier (-want +got):\n%s", d)
	}
	for _, r := range res.Resources {
		if r.Type != "pulumi:pulumi:Stack" && r.Type != onprem.WebTierTypeToken && !strings.HasPrefix(r.URN, tier.URN[:strings.LastIndex(tier.URN, "::")]) {
			t.Errorf("%s %s is not under the tier", r.Type, r.Name)
		}
	}
}

func TestAntiAffinityRulesHoldEachRolesVMUUIDs(t *testing.T) {
	t.Parallel()
	args := labArgs()
	args.Topology = labTopology(3, 2)
	res := mustRunTier(t, args)
	byRole := map[string][]string{}
	for name, vm := range vms(res) {
		role, _, _ := strings.Cut(name, "-")
		byRole[role] = append(byRole[role], vm.ID)
	}
	for _, role := range []string{roles.LB, roles.Web, roles.App} {
		rule := res.Find("vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule", "tier-"+role)
		if rule == nil {
			t.Fatalf("no anti-affinity rule for %s", role)
		}
		var ids []string
		for _, v := range rule.Input("virtualMachineIds").([]any) {
			ids = append(ids, v.(string))
		}
		if d := cmp.Diff(sorted(byRole[role]), sorted(ids)); d != "" {
			t.Errorf("rule %s: VM ids (-VM resources' ids +rule):\n%s", role, d)
		}
		if rule.String("computeClusterId") != "domain-c8" || rule.String("name") != "hawebtier-dev-"+role {
			t.Errorf("rule %s: cluster %q name %q", role, rule.String("computeClusterId"), rule.String("name"))
		}
	}
	if got := len(byRole[roles.Web]); got != 3 {
		t.Errorf("%d web VMs, want 3", got)
	}
}

// addressOf reads a VM's static address back from its guestinfo metadata.
func addressOf(t *testing.T, vm *mocktest.Resource) string {
	t.Helper()
	md := guestinfo(t, vm, onprem.GuestinfoMetadata)
	for _, l := range strings.Split(md, "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "-"))
		if ip, _, ok := strings.Cut(l, "/"); ok && strings.Count(ip, ".") == 3 && !strings.Contains(ip, " ") {
			return ip
		}
	}
	t.Fatalf("%s: no address in metadata:\n%s", vm.Name, md)
	return ""
}

func TestBackendsAreExactlyTheNodesAddresses(t *testing.T) {
	t.Parallel()
	for name, connector := range map[string]httpd.Connector{"proxy_http": httpd.ProxyHTTP, "jk": httpd.JK} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := labArgs()
			args.Topology = labTopology(3, 4)
			args.Topology.Connector = connector
			args.SSH = &onprem.SSH{PrivateKey: pulumi.String("not-a-real-key")}
			res := mustRunTier(t, args)
			all := vms(res)
			var webAddrs, appAddrs []string
			for n, vm := range all {
				switch {
				case strings.HasPrefix(n, "web-"):
					webAddrs = append(webAddrs, addressOf(t, vm)+":80")
				case strings.HasPrefix(n, "app-"):
					appAddrs = append(appAddrs, addressOf(t, vm))
				}
			}
			for _, lb := range []string{"lb-1", "lb-2"} {
				// With ssh, the files that list members go over day 2 and
				// user-data does not carry them.
				if ud := guestinfo(t, all[lb], onprem.GuestinfoUserData); strings.Contains(ud, "/etc/haproxy/haproxy.cfg") {
					t.Errorf("%s: user-data carries haproxy.cfg, which lists the web servers", lb)
				}
				cfg := day2File(t, res, lb, "/etc/haproxy/haproxy.cfg")
				if d := cmp.Diff(sorted(webAddrs), fields(cfg, 2, "server")); d != "" {
					t.Errorf("%s haproxy servers (-web VMs +haproxy.cfg):\n%s", lb, d)
				}
			}
			if connector != "proxy_http" {
				return // jk's workers.properties holds the secret: checked over day 2
			}
			for n := range all {
				if !strings.HasPrefix(n, "web-") {
					continue
				}
				var hosts []string
				for _, u := range fields(day2File(t, res, n, "/etc/apache2/apache2.conf"), 1, "BalancerMember") {
					pu, err := url.Parse(strings.Trim(u, `"`))
					if err != nil {
						t.Fatal(err)
					}
					hosts = append(hosts, pu.Hostname())
				}
				if d := cmp.Diff(sorted(appAddrs), sorted(hosts)); d != "" {
					t.Errorf("%s balancer members (-app VMs +apache2.conf):\n%s", n, d)
				}
			}
		})
	}
}

// day2File is the content the day-2 step installs at path on node: the
// stdin of the command whose script installs it.
func day2File(t *testing.T, res *mocktest.Result, node, path string) string {
	t.Helper()
	for _, h := range res.OfType(day2.TypeToken) {
		if h.Name != "tier-"+node+"-config" {
			continue
		}
		for _, c := range res.Descendants(h.URN) {
			if script, _ := c.Input("create").(string); strings.Contains(script, "install "+path+" from stdin") {
				stdin, _ := c.Input("stdin").(string)
				return stdin
			}
		}
	}
	t.Fatalf("%s: no day-2 command installs %s", node, path)
	return ""
}

func TestGuestinfoIsValidCloudInitWithStaticNetwork(t *testing.T) {
	t.Parallel()
	res := mustRunTier(t, labArgs())
	all := vms(res)
	if len(all) != 7 {
		t.Fatalf("%d VMs, want 7", len(all))
	}
	ids := map[string]string{}
	for name, vm := range all {
		md := guestinfo(t, vm, onprem.GuestinfoMetadata)
		n := cloudinittest.ConvertMetadata(t, md, "networkd")
		if first, dup := ids[n.InstanceID]; dup || n.InstanceID == "" {
			t.Errorf("%s: instance-id %q not unique (also %s)", name, n.InstanceID, first)
		}
		ids[n.InstanceID] = name
		if n.LocalHostname != name {
			t.Errorf("%s: local-hostname %q", name, n.LocalHostname)
		}
		want := fmt.Sprintf("[Address]\nAddress=%s/24\n\n[Match]\nName=ens192\n\n[Network]\nDHCP=no\nDNS=10.20.0.53 10.20.0.54\nDomains=lab.example.internal\n\n[Route]\nGateway=10.20.30.1\n\n", addressOf(t, vm))
		if got := n.Files["etc/systemd/network/10-cloud-init-ens192.network"]; got != want {
			t.Errorf("%s: networkd file (-want +got):\n%s\nall files: %v", name, cmp.Diff(want, got), n.Files)
		}
	}
	for name, vm := range all {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cloudinittest.RequireValid(t, guestinfo(t, vm, onprem.GuestinfoUserData))
		})
	}
}

func TestDay2WiredToEveryNodeWithSecretFilesSecret(t *testing.T) {
	t.Parallel()
	const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nkn0wn-test-key\n-----END OPENSSH PRIVATE KEY-----\n"
	const ajp = "Kn0wnAjpSecretValue0123456789abc"
	args := labArgs()
	args.Topology.Connector = "proxy_ajp"
	args.SSH = &onprem.SSH{
		User: "root", PrivateKey: pulumi.ToSecret(pulumi.String(key)).(pulumi.StringOutput),
		AJPSecret: pulumi.String(ajp), HostKeys: map[string]string{"lb-1": "ssh-ed25519 AAAAC3Nza lb-1"},
	}
	res := mustRunTier(t, args)
	hosts := res.OfType(day2.TypeToken)
	if len(hosts) != 7 {
		t.Fatalf("%d day2 hosts, want one per node (7)", len(hosts))
	}
	all := vms(res)
	secretFiles := 0
	for _, h := range hosts {
		node := strings.TrimSuffix(strings.TrimPrefix(h.Name, "tier-"), "-config")
		vm := all[node]
		cmds := res.Descendants(h.URN)
		if len(cmds) == 0 {
			t.Errorf("%s: no commands", h.Name)
		}
		for _, c := range cmds {
			if !c.Custom {
				continue
			}
			if !res.DependsOn(c, vm) {
				t.Errorf("%s does not wait for VM %s", c.Name, node)
			}
			conn, _ := c.Input("connection").(map[string]any)
			if conn["host"] != addressOf(t, vm) {
				t.Errorf("%s connects to %v, want the static address %s", c.Name, conn["host"], addressOf(t, vm))
			}
			if stdin, _ := c.Input("stdin").(string); strings.Contains(stdin, ajp) {
				secretFiles++
				if !contains(c.SecretPaths, "stdin") {
					t.Errorf("%s carries the AJP secret in stdin that is not secret; secret paths %v", c.Name, c.SecretPaths)
				}
			}
		}
	}
	// proxy_ajp: ajp-secret.conf on each web, server.xml on each app.
	if secretFiles != 4 {
		t.Errorf("%d commands carry the AJP secret, want 4 (2 web + 2 app)", secretFiles)
	}
	assertNoPlainSecret(t, res, key, ajp)
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// assertNoPlainSecret searches every registered input that is not marked
// secret, base64-decoding guestinfo values, for the known secrets.
func assertNoPlainSecret(t *testing.T, res *mocktest.Result, secrets ...string) {
	t.Helper()
	var walk func(r *mocktest.Resource, path string, v any)
	walk = func(r *mocktest.Resource, path string, v any) {
		switch v := v.(type) {
		case string:
			texts := []string{v}
			if strings.HasPrefix(path, "extraConfig.") {
				texts = append(texts, decodeOrEmpty(v))
			}
			for _, s := range secrets {
				for _, text := range texts {
					if strings.Contains(text, strings.TrimSpace(s)) || strings.Contains(text, "kn0wn-test-key") {
						t.Errorf("%s %s: %s holds a known secret in plain", r.Type, r.Name, path)
					}
				}
			}
		case map[string]any:
			for k, e := range v {
				walk(r, path+"."+k, e)
			}
		case []any:
			for i, e := range v {
				walk(r, fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	for _, r := range res.Resources {
		for k, v := range mocktest.Masked(r.Inputs) {
			walk(r, k, v)
		}
	}
}

func decodeOrEmpty(s string) string {
	b, err := base64StdDecode(s)
	if err != nil {
		return ""
	}
	return string(b)
}

func TestNewWebTierRejectsBadArgsAndRegistersNothing(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		edit func(a *onprem.WebTierArgs)
		want []string
	}{
		"ajp without ssh": {
			edit: func(a *onprem.WebTierArgs) { a.Topology.Connector = "jk" },
			want: []string{`SSH: required with connector "jk"`},
		},
		"plain AJP secret": {
			edit: func(a *onprem.WebTierArgs) {
				a.Topology.AJPSecret = "x"
				a.SSH = &onprem.SSH{PrivateKey: pulumi.String("k")}
			},
			want: []string{"Topology.AJPSecret: must be empty"},
		},
		"scale without ssh": {
			edit: func(a *onprem.WebTierArgs) {
				a.Topology = labTopology(3, 2)
				a.DeployedCounts = &onprem.Counts{Web: 2, App: 2}
			},
			want: []string{"SSH: required to scale a running tier"},
		},
		"a role left out takes its default size": {
			edit: func(a *onprem.WebTierArgs) {
				delete(a.Sizes, roles.Monitor)
				a.Sizes[roles.Web] = onprem.Size{CPUs: 0, MemoryMB: 0, DiskGB: -1}
			},
			want: []string{"Sizes[web].DiskGB: need 0"},
		},
		"deployed above current": {
			edit: func(a *onprem.WebTierArgs) { a.DeployedCounts = &onprem.Counts{Web: 3, App: 2} },
			want: []string{"DeployedCounts.Web: need 1 to 2"},
		},
		"everything missing at once": {
			edit: func(a *onprem.WebTierArgs) {
				a.Folder, a.Gateway, a.DNS, a.DatastoreID = "", "nope", nil, nil
				a.Sizes[roles.Monitor] = onprem.Size{MemoryMB: 1001}
				a.Sizes["db"] = onprem.Size{CPUs: 1}
				a.Template.Disks = nil
			},
			want: []string{"Folder: required", "Gateway: expected an IP address", "DNS: need at least one", "DatastoreID: required", "Sizes[monitor].MemoryMB: need at least 512 and a multiple of 4, got 1001", "Sizes[db]: unknown role", "Template: disks"},
		},
		"host key for an unknown node": {
			edit: func(a *onprem.WebTierArgs) {
				a.SSH = &onprem.SSH{PrivateKey: pulumi.String("k"), HostKeys: map[string]string{"web-7": "ssh-ed25519 AAAA"}}
			},
			want: []string{"SSH.HostKeys[web-7]: no such node"},
		},
		"invalid topology": {
			edit: func(a *onprem.WebTierArgs) { a.Topology.Web[1].Address = a.Topology.Web[0].Address },
			want: []string{"Topology.web[1].address: duplicate address"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := labArgs()
			tc.edit(args)
			res, err := runTier(t, args)
			assertRejected(t, res, err, tc.want...)
		})
	}
}

func TestProtectCoversTheMonitoringVMOnly(t *testing.T) {
	t.Parallel()
	for _, protect := range []bool{false, true} {
		args := labArgs()
		args.Protect = protect
		res := mustRunTier(t, args)
		for name, vm := range vms(res) {
			if want := protect && name == "mon-1"; vm.Protect != want {
				t.Errorf("Protect=%v: VM %s protect = %v, want %v", protect, name, vm.Protect, want)
			}
		}
	}
}
