package plan_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hawebtier/hawebtier/internal/plan"
)

// The changes below were planned by the real engine (Pulumi CLI v3.274.1
// with the vsphere 4.15.0, command and random plugins against a vCenter
// simulator, the on-prem stack deployed first: issue "The pull-request diff
// says what the real engine will do"). Each case plans the stack before
// and after one change offline and must give the engine's operations.

const tVM = "vsphere:index/virtualMachine:VirtualMachine"

func onpremConfig(t *testing.T, edits ...func(map[string]any)) string {
	t.Helper()
	return setJSON(t, "onprem-dev", "hawebtier:onprem", func(m map[string]any) {
		for _, e := range edits {
			e(m)
		}
	})
}

func withoutSSH(m map[string]any) { delete(m, "ssh") }

func addWeb(m map[string]any) {
	addrs := m["addresses"].(map[string]any)
	addrs["web"] = append(addrs["web"].([]any), "10.20.30.23")
}

// changesByOp plans onprem-dev with base and with base+change and groups
// the diff's resources (type::name) by operation.
func changesByOp(t *testing.T, base, changed map[string]string) map[plan.Op][]string {
	t.Helper()
	d := plan.Diff(evaluate(t, "onprem-dev", base, nil), evaluate(t, "onprem-dev", changed, nil))
	got := map[plan.Op][]string{}
	for _, c := range d.Changes {
		got[c.Op] = append(got[c.Op], shortURN(c.URN))
	}
	return got
}

// shortURN is a URN's type and name: urn:pulumi:s::p::a$b$T::n is T::n.
func shortURN(urn string) string {
	parts := strings.Split(urn, "::")
	typ := parts[len(parts)-2]
	return typ[strings.LastIndex(typ, "$")+1:] + "::" + parts[len(parts)-1]
}

func TestOfflineDiffGivesTheEnginesOperations(t *testing.T) {
	t.Parallel()
	merge := func(a, b map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range a {
			out[k] = v
		}
		for k, v := range b {
			out[k] = v
		}
		return out
	}
	type want struct {
		creates []string // type::name that must be created (exactly these VMs)
		updates []string // type::name that must be updated
		nothing bool     // the engine shows no change at all
		// engineCreates is how many resources the engine created, and
		// since the files day 2 has delivered since it was run; 0: not
		// counted.
		engineCreates int
		since         []string
	}
	cases := map[string]struct {
		base, change map[string]string
		want         want
	}{
		"web count 2 -> 3, no ssh": {
			base:   map[string]string{"hawebtier:onprem": onpremConfig(t, withoutSSH)},
			change: map[string]string{"hawebtier:web": `{"count":3}`, "hawebtier:onprem": onpremConfig(t, withoutSSH, addWeb)},
			want: want{
				creates: []string{tVM + "::web-tier-web-3"},
				updates: []string{"vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule::web-tier-web"},
			},
		},
		"web count 2 -> 3 with ssh and deployedCounts": {
			base: map[string]string{"hawebtier:onprem": onpremConfig(t, func(m map[string]any) {
				m["deployedCounts"] = map[string]any{"web": 2, "app": 2}
			})},
			change: map[string]string{"hawebtier:web": `{"count":3}`, "hawebtier:onprem": onpremConfig(t, addWeb, func(m map[string]any) {
				m["deployedCounts"] = map[string]any{"web": 2, "app": 2}
			})},
			want: want{creates: []string{tVM + "::web-tier-web-3"}},
		},
		// The engine's run: the stack deployed without ssh, then ssh,
		// deployedCounts and a third web server in one change. Since
		// then each load balancer gets two more day-2 files (the
		// haproxy.service drop-in and the VIP guard of the failover
		// issue), four creates the engine could not have seen.
		"the scale path: ssh, deployedCounts and web count 2 -> 3": {
			base: map[string]string{"hawebtier:onprem": onpremConfig(t, withoutSSH)},
			change: map[string]string{"hawebtier:web": `{"count":3}`, "hawebtier:onprem": onpremConfig(t, addWeb, func(m map[string]any) {
				m["deployedCounts"] = map[string]any{"web": 2, "app": 2}
			})},
			want: want{
				creates:       []string{tVM + "::web-tier-web-3"},
				updates:       []string{"vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule::web-tier-web"},
				engineCreates: 72,
				since: []string{
					"command:remote:Command::web-tier-lb-1-config-etc-systemd-system-haproxy.service.d-hawebtier-failover.conf",
					"command:remote:Command::web-tier-lb-1-config-etc-haproxy-hawebtier-vip-guard.nft",
					"command:remote:Command::web-tier-lb-2-config-etc-systemd-system-haproxy.service.d-hawebtier-failover.conf",
					"command:remote:Command::web-tier-lb-2-config-etc-haproxy-hawebtier-vip-guard.nft",
				},
			},
		},
		"vrrpRouterId 51 -> 52, no ssh": {
			base:   map[string]string{"hawebtier:onprem": onpremConfig(t, withoutSSH)},
			change: map[string]string{"hawebtier:onprem": onpremConfig(t, withoutSSH, func(m map[string]any) { m["vrrpRouterId"] = 52 })},
			want:   want{nothing: true},
		},
		"template renamed to another existing template": {
			base:   map[string]string{},
			change: map[string]string{"hawebtier:onprem": onpremConfig(t, func(m map[string]any) { m["template"] = "debian-12-cloudinit-2026-11" })},
			want:   want{nothing: true},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := changesByOp(t, tc.base, merge(tc.base, tc.change))
			if tc.want.nothing {
				for op, rs := range got {
					if len(rs) > 0 {
						t.Errorf("the engine shows no change; the offline diff shows %s %v", op, rs)
					}
				}
				return
			}
			var createdVMs []string
			for _, r := range got[plan.OpCreate] {
				if strings.HasPrefix(r, tVM+"::") {
					createdVMs = append(createdVMs, r)
				}
			}
			if strings.Join(createdVMs, ",") != strings.Join(tc.want.creates, ",") {
				t.Errorf("created VMs %v, want %v", createdVMs, tc.want.creates)
			}
			for _, op := range []plan.Op{plan.OpUpdate, plan.OpReplace, plan.OpDelete} {
				for _, r := range got[op] {
					if strings.HasPrefix(r, tVM+"::") {
						t.Errorf("%s %s: running VMs never see the change (user-data is ignored once they run)", op, r)
					}
				}
			}
			if tc.want.engineCreates > 0 {
				created := map[string]bool{}
				for _, r := range got[plan.OpCreate] {
					created[r] = true
				}
				for _, r := range tc.want.since {
					if !created[r] {
						t.Errorf("%s is not created; creates: %v", r, got[plan.OpCreate])
					}
				}
				if n := len(got[plan.OpCreate]) - len(tc.want.since); n != tc.want.engineCreates {
					t.Errorf("%d creates besides the files added since, the engine made %d", n, tc.want.engineCreates)
				}
				if len(got[plan.OpUpdate])+len(got[plan.OpReplace])+len(got[plan.OpDelete]) != len(tc.want.updates) {
					t.Errorf("updates %v, replacements %v, deletes %v; the engine updated only %v", got[plan.OpUpdate], got[plan.OpReplace], got[plan.OpDelete], tc.want.updates)
				}
			}
			for _, w := range tc.want.updates {
				found := false
				for _, r := range got[plan.OpUpdate] {
					found = found || r == w
				}
				if !found {
					t.Errorf("no update of %s; updates %v", w, got[plan.OpUpdate])
				}
			}
		})
	}
}

// TestOfflinePlanRunsForAnyInventoryNames: a stack file names its own
// vCenter's objects; the offline plan answers for them.
func TestOfflinePlanRunsForAnyInventoryNames(t *testing.T) {
	t.Parallel()
	cfg := map[string]string{"hawebtier:onprem": onpremConfig(t, func(m map[string]any) {
		m["datacenter"], m["cluster"], m["datastore"], m["portGroup"] = "DC-Paris", "Prod-Cluster-02", "ds-ssd-01", "dvpg-web-120"
		m["resourcePool"], m["template"] = "web-pool", "tmpl-debian12-2026"
	})}
	p := evaluate(t, "onprem-dev", cfg, nil)
	if len(p.Resources) < 10 {
		t.Fatalf("%d resources planned", len(p.Resources))
	}
}

// TestCommentSaysIgnoredChangesGoOverDayTwo: a change that only touches
// ignored paths (the load balancers' user-data) shows no VM update, and
// the pull-request comment says the running VMs get it only over the
// day-2 path.
func TestCommentSaysIgnoredChangesGoOverDayTwo(t *testing.T) {
	t.Parallel()
	base := map[string]string{"hawebtier:onprem": onpremConfig(t, withoutSSH)}
	changed := map[string]string{"hawebtier:onprem": onpremConfig(t, withoutSSH, func(m map[string]any) { m["vrrpRouterId"] = 52 })}
	d := plan.Diff(evaluate(t, "onprem-dev", base, nil), evaluate(t, "onprem-dev", changed, nil))
	var b bytes.Buffer
	if err := plan.WriteMarkdown(&b, []*plan.StackDiff{d}); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"No changes.",
		"only over the day-2 path",
		tVM + ` web-tier-lb-1: extraConfig["guestinfo.userdata"]`,
		tVM + ` web-tier-lb-2: extraConfig["guestinfo.userdata"]`,
		"provider-side drift",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the comment lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "web-tier-web-1") {
		t.Errorf("a web server's VM is listed, but only the load balancers' user-data names the VRRP router id:\n%s", md)
	}
}

// TestValuesUnknownAtPreviewShowAsUnknown: the engine does not know a new
// VM's uuid at preview, so the anti-affinity rule's new member is
// unknown there; the mock engine's invented uuid must not be printed.
func TestValuesUnknownAtPreviewShowAsUnknown(t *testing.T) {
	t.Parallel()
	base := map[string]string{"hawebtier:onprem": onpremConfig(t, withoutSSH)}
	changed := map[string]string{"hawebtier:web": `{"count":3}`, "hawebtier:onprem": onpremConfig(t, withoutSSH, addWeb)}
	before, after := evaluate(t, "onprem-dev", base, nil), evaluate(t, "onprem-dev", changed, nil)
	d := plan.Diff(before, after)
	var web3 *plan.Resource
	for _, r := range after.Resources {
		if r.Type == tVM && r.Name == "web-tier-web-3" {
			web3 = r
		}
	}
	if web3 == nil || web3.ID == "" {
		t.Fatal("the plan records no invented id for web-3")
	}
	var rule *plan.ResourceChange
	for i, c := range d.Changes {
		if strings.HasSuffix(c.URN, "::web-tier-web") && c.Op == plan.OpUpdate {
			rule = &d.Changes[i]
		}
	}
	if rule == nil {
		t.Fatalf("no update of the web anti-affinity rule in %+v", d.Changes)
	}
	unknown := 0
	for _, p := range rule.Properties {
		if c, ok := p.New.(plan.Computed); ok && strings.Contains(string(c), "created "+tVM+" web-tier-web-3") {
			unknown++
		}
	}
	if unknown != 1 {
		t.Errorf("%d of the rule's changes are unknown, want web-3's uuid (1): %+v", unknown, rule.Properties)
	}
	var b bytes.Buffer
	if err := d.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), web3.ID) {
		t.Errorf("the diff prints the invented id %s:\n%s", web3.ID, b.String())
	}
}
