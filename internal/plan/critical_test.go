package plan_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/internal/plan"
)

// hand-built plans for the algorithm tests. URNs are short names; the
// plan's stack URN is their parent unless said otherwise.
type node struct {
	name, typ, parent string
	custom            bool
	deps              []string
}

func handPlan(nodes ...node) *plan.Plan {
	p := &plan.Plan{Version: plan.FormatVersion, Project: "p", Stack: "s"}
	for _, n := range nodes {
		parent := n.parent
		if parent == "" {
			parent = p.StackURN()
		}
		p.Resources = append(p.Resources, &plan.Resource{
			URN: n.name, Name: n.name, Type: n.typ, Custom: n.custom, Parent: parent,
			Dependencies: n.deps, Inputs: map[string]any{},
		})
	}
	return p
}

const (
	rdsType = "aws:rds/instance:Instance"                         // 15m
	nat     = "aws:ec2/natGateway:NatGateway"                     // 2m
	cache   = "aws:elasticache/replicationGroup:ReplicationGroup" // 10m
	vm      = "vsphere:index/virtualMachine:VirtualMachine"       // 3m
	other   = "aws:ec2/subnet:Subnet"                             // default 10s
	comp    = "hawebtier:test:Comp"
)

func TestCriticalPath(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		plan      *plan.Plan
		wantTotal time.Duration
		wantChain []string
	}{
		"empty": {plan: handPlan(), wantTotal: 0},
		"independent resources run in parallel": {
			plan:      handPlan(node{name: "a", typ: rdsType, custom: true}, node{name: "b", typ: cache, custom: true}),
			wantTotal: 15 * time.Minute, wantChain: []string{"a"},
		},
		"a chain adds up": {
			// subnet (10s) -> nat (2m) -> vm (3m); the cache (10m) alone is longer.
			plan: handPlan(
				node{name: "subnet", typ: other, custom: true},
				node{name: "nat", typ: nat, custom: true, deps: []string{"subnet"}},
				node{name: "vm", typ: vm, custom: true, deps: []string{"nat"}},
				node{name: "cache", typ: cache, custom: true},
				node{name: "after-cache", typ: other, custom: true, deps: []string{"cache"}},
			),
			wantTotal: 10*time.Minute + 10*time.Second, wantChain: []string{"cache", "after-cache"},
		},
		"depending on a component waits for everything below it": {
			// app depends on the component; the component's slow child
			// (rds, 15m) decides, not its fast one.
			plan: handPlan(
				node{name: "net", typ: comp},
				node{name: "fast", typ: other, custom: true, parent: "net"},
				node{name: "slow", typ: rdsType, custom: true, parent: "net"},
				node{name: "app", typ: vm, custom: true, deps: []string{"net"}},
			),
			wantTotal: 18 * time.Minute, wantChain: []string{"slow", "app"},
		},
		"a child waits for its custom parent, not for a component parent": {
			plan: handPlan(
				node{name: "wrapper", typ: comp, deps: []string{"first"}},
				node{name: "first", typ: nat, custom: true},
				node{name: "inner", typ: vm, custom: true, parent: "wrapper"},
				node{name: "child", typ: other, custom: true, parent: "inner"},
			),
			// wrapper waits for first (2m), inner 3m, child 10s.
			wantTotal: 5*time.Minute + 10*time.Second, wantChain: []string{"first", "inner", "child"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cp, err := tc.plan.ComputeCriticalPath()
			if err != nil {
				t.Fatal(err)
			}
			if cp.Total != tc.wantTotal {
				t.Errorf("total %v, want %v", cp.Total, tc.wantTotal)
			}
			var chain []string
			for _, s := range cp.Steps {
				chain = append(chain, s.Name)
			}
			if diff := cmp.Diff(tc.wantChain, chain); diff != "" {
				t.Errorf("chain (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCriticalPathRejectsCycles(t *testing.T) {
	t.Parallel()
	p := handPlan(
		node{name: "a", typ: other, custom: true, deps: []string{"b"}},
		node{name: "b", typ: other, custom: true, deps: []string{"a"}},
	)
	if _, err := p.ComputeCriticalPath(); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("want a cycle error, got %v", err)
	}
}

func TestCriticalPathOfShippedStacks(t *testing.T) {
	t.Parallel()
	for _, stack := range shippedStacks {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			cp, err := evaluate(t, stack, nil, nil).ComputeCriticalPath()
			if err != nil {
				t.Fatal(err)
			}
			var sum time.Duration
			for _, s := range cp.Steps {
				sum += s.Duration
			}
			// Components and providers take no time, so the chain's own
			// durations add up to the total.
			if sum != cp.Total {
				t.Errorf("chain sums to %v, total %v", sum, cp.Total)
			}
			t.Logf("%s: critical path %v over %d resources", stack, cp.Total, len(cp.Steps))
		})
	}
}
