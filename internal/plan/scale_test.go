package plan_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/hawebtier/hawebtier/components/cloudinit"
	"github.com/hawebtier/hawebtier/internal/plan"
	"github.com/hawebtier/hawebtier/stacks"
)

// scaledConfig is onprem-dev with web web servers and app app servers in
// a /22 (10.20.28.0/22: web from .29.1, app from .30.1), with the day-2
// path (ssh) unless noSSH.
func scaledConfig(t testing.TB, web, app int, noSSH bool) map[string]string {
	t.Helper()
	onprem := setJSON(t, "onprem-dev", "hawebtier:onprem", func(m map[string]any) {
		net := m["network"].(map[string]any)
		net["subnet"], net["gateway"] = "10.20.28.0/22", "10.20.28.1"
		m["vip"] = "10.20.28.10"
		var ws, as []any
		for i := range web {
			ws = append(ws, fmt.Sprintf("10.20.29.%d", i+1))
		}
		for i := range app {
			as = append(as, fmt.Sprintf("10.20.30.%d", i+1))
		}
		m["addresses"] = map[string]any{"lb": []any{"10.20.28.11", "10.20.28.12"}, "web": ws, "app": as, "monitor": "10.20.28.40"}
		if noSSH {
			delete(m, "ssh")
		}
	})
	return map[string]string{
		"hawebtier:onprem": onprem,
		"hawebtier:web":    fmt.Sprintf(`{"count":%d}`, web),
		"hawebtier:app":    fmt.Sprintf(`{"count":%d}`, app),
	}
}

func evaluateTB(tb testing.TB, cfg map[string]string) *plan.Plan {
	tb.Helper()
	p, err := plan.Evaluate(context.Background(), stacks.Run, plan.EvalOptions{
		ProjectDir: projectDir, Stack: "onprem-dev", Config: cfg,
		PlaceholderSecrets: stacks.OperatorSecretKeys(),
	})
	if err != nil {
		tb.Fatalf("onprem-dev: %v", err)
	}
	return p
}

// userData returns each VM's user-data document, by VM name.
func userData(tb testing.TB, p *plan.Plan) map[string]string {
	tb.Helper()
	out := map[string]string{}
	for _, r := range p.Resources {
		if r.Type != tVM {
			continue
		}
		ec, _ := r.Inputs["extraConfig"].(map[string]any)
		enc, _ := ec["guestinfo.userdata"].(string)
		doc, err := base64.StdEncoding.DecodeString(enc)
		if err != nil || len(doc) == 0 {
			tb.Fatalf("%s: no base64 user-data (%v)", r.Name, err)
		}
		out[r.Name] = string(doc)
	}
	return out
}

// TestHundredServersPlanAndGrowOneAtATime: 100 web and 100 app servers
// plan; every VM's user-data fits vSphere's guestinfo limit and is the
// same document as in the 2+2 tier; growing by one web server changes the
// inputs of no running VM, and touches as many resources at 2, 10 and 100.
func TestHundredServersPlanAndGrowOneAtATime(t *testing.T) {
	t.Parallel()
	var small map[string]string
	touched := map[int]int{}
	for _, n := range []int{2, 10, 100} {
		before := evaluateTB(t, scaledConfig(t, n, n, false))
		docs := userData(t, before)
		if n == 2 {
			small = docs
		}
		if len(docs) != 2*n+3 {
			t.Fatalf("N=%d: %d VMs, want %d", n, len(docs), 2*n+3)
		}
		for name, doc := range docs {
			if err := cloudinit.VSphereGuestinfo.Check(name, doc); err != nil {
				t.Errorf("N=%d: %v", n, err)
			}
			if s, ok := small[name]; ok && s != doc {
				t.Errorf("N=%d: %s's user-data differs from the 2+2 tier's", n, name)
			}
		}
		d := plan.Diff(before, evaluateTB(t, scaledConfig(t, n+1, n, false)))
		for _, c := range d.Changes {
			if c.Type == tVM && c.Op != plan.OpCreate {
				t.Errorf("N=%d -> %d web: %s %s: the inputs of a running VM change", n, n+1, c.Op, c.Name)
			}
		}
		if len(d.Ignored) != 0 {
			t.Errorf("N=%d -> %d web: ignored changes on %v: user-data still lists members", n, n+1, d.Ignored)
		}
		for _, c := range d.Changes {
			if c.Op != plan.OpCreate {
				touched[n]++
			}
		}
	}
	if touched[2] != touched[10] || touched[10] != touched[100] {
		t.Errorf("existing resources changed by one more web server at N=2, 10, 100: %d, %d, %d; want the same count", touched[2], touched[10], touched[100])
	}
	t.Logf("existing resources changed by one more web server: %v", touched)
}

// TestWithoutDayTwoTheGuestinfoLimitIsVSpheres: without ssh the member
// lists stay in user-data, checked against vSphere's limit, not AWS's
// 16 KB (which stopped the tier at 6+6).
func TestWithoutDayTwoTheGuestinfoLimitIsVSpheres(t *testing.T) {
	t.Parallel()
	docs := userData(t, evaluateTB(t, scaledConfig(t, 10, 10, true)))
	largest := 0
	for _, doc := range docs {
		largest = max(largest, len(doc))
	}
	if largest <= cloudinit.MaxUserDataBytes {
		t.Fatalf("largest user-data at 10+10 without ssh is %d bytes: not past AWS's limit, the case shows nothing", largest)
	}
	_, err := plan.Evaluate(context.Background(), stacks.Run, plan.EvalOptions{
		ProjectDir: projectDir, Stack: "onprem-dev", Config: scaledConfig(t, 100, 100, true),
		PlaceholderSecrets: stacks.OperatorSecretKeys(),
	})
	if err == nil || !strings.Contains(err.Error(), "guestinfo") {
		t.Fatalf("100+100 without ssh: want the guestinfo limit, got %v", err)
	}
}

// BenchmarkPlanOnPrem plans onprem-dev with N web and N app servers and
// reports the resources and the largest user-data per role.
func BenchmarkPlanOnPrem(b *testing.B) {
	for _, n := range []int{2, 10, 50, 100} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			cfg := scaledConfig(b, n, n, false)
			var p *plan.Plan
			var peak uint64
			for b.Loop() {
				p = evaluateTB(b, cfg)
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapSys)
			}
			b.ReportMetric(float64(len(p.Resources)), "resources")
			b.ReportMetric(float64(peak)/(1<<20), "heap-MiB")
			largest := map[string]int{}
			for name, doc := range userData(b, p) {
				role := strings.Split(strings.TrimPrefix(name, "web-tier-"), "-")[0]
				largest[role] = max(largest[role], len(doc))
			}
			for role, size := range largest {
				b.ReportMetric(float64(size), "userdata-"+role+"-B")
			}
		})
	}
}
