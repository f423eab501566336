package stacks_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/stacks"
)

// knownKey is a test private key value injected as hawebtier:sshPrivateKey.
const knownKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAkn0wnTestKeyMaterial\n-----END OPENSSH PRIVATE KEY-----\n"

// withSSH turns on the day-2 path of the onprem-dev stack.
func withSSH(t *testing.T, opts *mocktest.Options) {
	t.Helper()
	setPath(t, opts, "hawebtier:onprem", "ssh", map[string]any{
		"user":           "root",
		"authorizedKeys": []any{"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGv3Nq0mB7fX1q2mWf1Kq0b6wQk2eYh0x1u7cZpXo9Yw ops@example"},
		"hostKeys":       map[string]any{"lb-1": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyOfLb1 root@lb-1"},
	})
	cfg := map[string]string{}
	for k, v := range opts.Config {
		cfg[k] = v
	}
	cfg["hawebtier:sshPrivateKey"] = knownKey
	opts.Config = cfg
	opts.SecretKeys = append(append([]string(nil), opts.SecretKeys...), "hawebtier:sshPrivateKey")
}

// withoutSSH removes the day-2 SSH settings the shipped stack has.
func withoutSSH(t *testing.T, opts *mocktest.Options) {
	t.Helper()
	setPath(t, opts, "hawebtier:onprem", "ssh", nil)
	cfg := map[string]string{}
	for k, v := range opts.Config {
		if k != "hawebtier:sshPrivateKey" {
			cfg[k] = v
		}
	}
	opts.Config = cfg
}

func TestOnPremBadConfigNamesKeyAndRegistersNothing(t *testing.T) {
	t.Parallel()
	type edit struct {
		path  string
		value any
	}
	tests := map[string]struct {
		top     map[string]any // other hawebtier: keys (web, app, connector)
		edits   []edit
		ssh     bool
		lab     bool // refuse names the lab vCenter lacks; else any name answers
		wantKey string
		wantMsg string
	}{
		"unknown template": {
			edits:   []edit{{"template", "debian-13-nope"}},
			lab:     true,
			wantKey: "hawebtier:onprem.template", wantMsg: `template "debian-13-nope": error fetching virtual machine: vm 'debian-13-nope' not found`,
		},
		"unknown datastore": {
			edits:   []edit{{"datastore", "nfs-old"}},
			lab:     true,
			wantKey: "hawebtier:onprem.datastore", wantMsg: `datastore "nfs-old" not found in vCenter: error fetching datastore: datastore 'nfs-old' not found`,
		},
		"unknown datacenter": {
			edits:   []edit{{"datacenter", "OtherDC"}},
			lab:     true,
			wantKey: "hawebtier:onprem.datacenter", wantMsg: `datacenter "OtherDC" not found in vCenter: error fetching datacenter: datacenter 'OtherDC' not found`,
		},
		"app count below HA minimum": {
			top:     map[string]any{"hawebtier:app": map[string]any{"count": 1}},
			edits:   []edit{{"addresses.app", []any{"10.20.30.31"}}},
			wantKey: "hawebtier:app.count", wantMsg: "need at least 2 app servers for HA, got 1",
		},
		"lb address outside the subnet": {
			edits:   []edit{{"addresses.lb[1]", "192.168.1.12"}},
			wantKey: "hawebtier:onprem.addresses.lb[1]", wantMsg: "outside the subnet 10.20.30.0/24",
		},
		"monitor duplicates an app server": {
			edits:   []edit{{"addresses.monitor", "10.20.30.32"}},
			wantKey: "hawebtier:onprem.addresses.monitor", wantMsg: "duplicate address 10.20.30.32",
		},
		"VIP is the gateway": {
			edits:   []edit{{"vip", "10.20.30.1"}},
			wantKey: "hawebtier:onprem.vip", wantMsg: "collides with hawebtier:onprem.network.gateway",
		},
		"jk without ssh": {
			top:     map[string]any{"hawebtier:connector": "jk"},
			wantKey: "hawebtier:onprem.ssh", wantMsg: `required with connector "jk"`,
		},
		"scale a running tier without ssh": {
			top:     map[string]any{"hawebtier:web": map[string]any{"count": 3}},
			edits:   []edit{{"addresses.web[2]", "10.20.30.23"}, {"deployedCounts", map[string]any{"web": 2, "app": 2}}},
			wantKey: "hawebtier:onprem.ssh", wantMsg: "required to scale a running tier: web.count 3 is above deployedCounts.web 2",
		},
		"deployed counts above the counts": {
			edits:   []edit{{"deployedCounts", map[string]any{"web": 2, "app": 3}}},
			wantKey: "hawebtier:onprem.deployedCounts.app", wantMsg: "3 is above app.count 2",
		},
		"host key for an unknown node": {
			ssh:     true,
			edits:   []edit{{"ssh.hostKeys", map[string]any{"web-9": "ssh-ed25519 AAAA x"}}},
			wantKey: "hawebtier:onprem.ssh.hostKeys.web-9", wantMsg: "unknown node; expected one of [lb-1, lb-2, web-1, web-2, app-1, app-2, mon-1]",
		},
		"private key as authorized key": {
			ssh:     true,
			edits:   []edit{{"ssh.authorizedKeys", []any{knownKey}}},
			wantKey: "hawebtier:onprem.ssh.authorizedKeys[0]", wantMsg: "never a private key",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := loadStack(t, "onprem-dev")
			if tc.ssh {
				withSSH(t, &opts)
			} else {
				withoutSSH(t, &opts)
			}
			for k, v := range tc.top {
				setPath(t, &opts, k, "", v)
			}
			for _, e := range tc.edits {
				setPath(t, &opts, "hawebtier:onprem", e.path, e.value)
			}
			if tc.lab {
				opts.Inventory = mocktest.LabInventory()
			}
			res, err := run(t, opts)
			var ce *stacks.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *stacks.ConfigError", err)
			}
			if !ce.Has(tc.wantKey, tc.wantMsg) {
				t.Errorf("no problem %s: ...%s...; got:\n%v", tc.wantKey, tc.wantMsg, err)
			}
			for _, r := range res.Resources {
				if r.Type != "pulumi:pulumi:Stack" {
					t.Errorf("registered %s %s despite invalid config", r.Type, r.Name)
				}
			}
		})
	}
}

// inputsJSON is a resource's recorded inputs, secrets unwrapped, as bytes.
func inputsJSON(t *testing.T, r *mocktest.Resource) string {
	t.Helper()
	b, err := json.Marshal(mocktest.PlainMap(r.Inputs))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOnPremScalingWebAddsOneVMAndTouchesOnlyWhatListsWebServers(t *testing.T) {
	t.Parallel()
	before := loadStack(t, "onprem-dev")
	withSSH(t, &before)
	after := before
	setPath(t, &after, "hawebtier:web", "count", 3)
	setPath(t, &after, "hawebtier:onprem", "addresses.web[2]", "10.20.30.23")
	setPath(t, &after, "hawebtier:onprem", "deployedCounts", map[string]any{"web": 2, "app": 2})

	r1, err := run(t, before)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := run(t, after)
	if err != nil {
		t.Fatal(err)
	}
	var added, changed, removed []string
	for _, b := range r2.Resources {
		a := r1.ByURN(b.URN)
		switch {
		case a == nil:
			added = append(added, b.Type+" "+b.Name)
		case inputsJSON(t, a) != inputsJSON(t, b):
			changed = append(changed, b.Type+" "+b.Name)
		}
	}
	for _, a := range r1.Resources {
		if r2.ByURN(a.URN) == nil {
			removed = append(removed, a.Name)
		}
	}
	if len(removed) > 0 {
		t.Errorf("removed %v", removed)
	}
	vmAdded := 0
	for _, a := range added {
		if strings.HasPrefix(a, "vsphere:index/virtualMachine:VirtualMachine ") {
			vmAdded++
		}
		if !strings.Contains(a, "web-tier-web-3") {
			t.Errorf("added %s, which is not web-3's", a)
		}
	}
	if vmAdded != 1 {
		t.Errorf("added %d VMs, want 1: %v", vmAdded, added)
	}
	sort.Strings(changed)
	want := []string{
		"command:remote:Command web-tier-lb-1-config-etc-haproxy-haproxy.cfg",
		"command:remote:Command web-tier-lb-2-config-etc-haproxy-haproxy.cfg",
		// Prometheus scrapes and probes each web server.
		"command:remote:Command web-tier-mon-1-config-etc-prometheus-prometheus.yml",
		"vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule web-tier-web",
	}
	if d := cmp.Diff(want, changed); d != "" {
		t.Errorf("changed resources (-want +got):\n%s", d)
	}
	// The existing VMs, load balancers first, are byte-identical.
	for _, name := range []string{"lb-1", "lb-2", "web-1", "web-2", "app-1", "app-2", "mon-1"} {
		a := r1.Find("vsphere:index/virtualMachine:VirtualMachine", "web-tier-"+name)
		b := r2.Find("vsphere:index/virtualMachine:VirtualMachine", "web-tier-"+name)
		if a == nil || b == nil || inputsJSON(t, a) != inputsJSON(t, b) {
			t.Errorf("VM %s inputs differ between the runs", name)
		}
	}
	// The new backend reaches the running load balancers over SSH.
	for _, lb := range []string{"lb-1", "lb-2"} {
		c := r2.Find("command:remote:Command", "web-tier-"+lb+"-config-etc-haproxy-haproxy.cfg")
		if stdin, _ := c.Input("stdin").(string); !strings.Contains(stdin, "server web-3 10.20.30.23:80") {
			t.Errorf("%s day-2 haproxy.cfg lacks web-3:\n%s", lb, stdin)
		}
	}
}

func TestOnPremNoSecretInPlainInputs(t *testing.T) {
	t.Parallel()
	for _, connector := range []string{"proxy_ajp", "jk"} {
		t.Run(connector, func(t *testing.T) {
			t.Parallel()
			opts := loadStack(t, "onprem-dev")
			withSSH(t, &opts)
			setPath(t, &opts, "hawebtier:connector", "", connector)
			res, err := run(t, opts)
			if err != nil {
				t.Fatal(err)
			}
			pws := res.OfType("random:index/randomPassword:RandomPassword")
			if len(pws) != 1 {
				t.Fatalf("%d random passwords, want 1 (the AJP secret)", len(pws))
			}
			ajp := mocktest.CannedPassword(pws[0].Name, mocktest.PlainMap(pws[0].Inputs))
			if pws[0].Input("special") != false {
				t.Errorf("AJP secret may hold special characters: %v", mocktest.PlainMap(pws[0].Inputs))
			}
			secrets := map[string]string{"sshPrivateKey": "kn0wnTestKeyMaterial", "AJP secret": ajp}
			carriers, keyCarriers := 0, 0
			for _, r := range res.Resources {
				plain := fmt.Sprint(mocktest.PlainMap(r.Inputs))
				if strings.Contains(plain, ajp) {
					carriers++
				}
				if strings.Contains(plain, secrets["sshPrivateKey"]) {
					keyCarriers++
				}
				walkPlain(r.Type+" "+r.Name, "", mocktest.Masked(r.Inputs), func(where, s string) {
					for what, v := range secrets {
						if strings.Contains(s, v) {
							t.Errorf("%s: %s in plain", where, what)
						}
					}
				})
			}
			// The secret does reach the nodes: the web and app files that
			// hold it (as secret inputs).
			if keyCarriers == 0 {
				t.Error("the SSH key reaches no day-2 command: the search above proves nothing")
			}
			if carriers < 4 {
				t.Errorf("only %d resources carry the AJP secret; want the 2 web and 2 app files at least", carriers)
			}
		})
	}
}

// walkPlain calls f with every string leaf of a masked input map, and the
// base64-decoded form of guestinfo values.
func walkPlain(res, path string, v any, f func(where, s string)) {
	switch v := v.(type) {
	case string:
		f(res+" "+path, v)
		if strings.HasPrefix(path, ".extraConfig.") {
			if b, err := base64.StdEncoding.DecodeString(v); err == nil {
				f(res+" "+path+" (decoded)", string(b))
			}
		}
	case map[string]any:
		for k, e := range v {
			walkPlain(res, path+"."+k, e, f)
		}
	case []any:
		for i, e := range v {
			walkPlain(res, fmt.Sprintf("%s[%d]", path, i), e, f)
		}
	}
}
