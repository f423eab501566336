package plan_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/hawebtier/hawebtier/internal/plan"
)

// Two-resource plans: a source (a security group or a subnet) and a
// dependent (a load balancer) that takes an input from it.
func unknownsPlans(oldSrc, newSrc, oldDep, newDep map[string]any, srcInOld bool) (*plan.Plan, *plan.Plan) {
	const (
		srcURN = "urn:pulumi:s::p::aws:ec2/subnet:Subnet::a"
		depURN = "urn:pulumi:s::p::aws:lb/loadBalancer:LoadBalancer::lb"
	)
	src := func(in map[string]any) *plan.Resource {
		return &plan.Resource{URN: srcURN, Type: "aws:ec2/subnet:Subnet", Name: "a", Custom: true, Inputs: in,
			ID: "subnet-a-0123456789ab", Computed: map[string]any{"arn": "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-a-0123456789ab"}}
	}
	dep := func(in map[string]any) *plan.Resource {
		return &plan.Resource{URN: depURN, Type: "aws:lb/loadBalancer:LoadBalancer", Name: "lb", Custom: true, Inputs: in,
			PropertyDependencies: map[string][]string{"subnets": {srcURN}, "name": {srcURN}, "userData": {srcURN}}}
	}
	old := &plan.Plan{Version: plan.FormatVersion, Stack: "s", Resources: []*plan.Resource{dep(oldDep)}}
	if srcInOld {
		old.Resources = append(old.Resources, src(oldSrc))
	}
	cur := &plan.Plan{Version: plan.FormatVersion, Stack: "s", Resources: []*plan.Resource{dep(newDep), src(newSrc)}}
	return old, cur
}

func TestUnknownsAtPreview(t *testing.T) {
	t.Parallel()
	id := "subnet-a-0123456789ab"
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := map[string]struct {
		oldSrc, newSrc, oldDep, newDep map[string]any
		srcInOld                       bool
		want                           map[string]string // path -> "unknown" or the printed new value
	}{
		"the id of a created source is unknown": {
			newSrc: map[string]any{"cidrBlock": "10.0.1.0/24"},
			oldDep: map[string]any{"subnets": []any{"subnet-old"}}, newDep: map[string]any{"subnets": []any{"subnet-old", id}},
			want: map[string]string{"subnets[1]": "unknown"},
		},
		"a value that only carries a created source's input is known": {
			newSrc: map[string]any{"cidrBlock": "10.0.1.0/24"},
			oldDep: map[string]any{"name": "lb-10.0.0.0/24"}, newDep: map[string]any{"name": "lb-10.0.1.0/24"},
			want: map[string]string{"name": `"lb-10.0.1.0/24"`},
		},
		"base64 user-data that carries a created source's arn is unknown": {
			newSrc: map[string]any{"cidrBlock": "10.0.1.0/24"},
			oldDep: map[string]any{"userData": b64("subnet: none\n")}, newDep: map[string]any{"userData": b64("subnet: arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-a-0123456789ab\n")},
			want: map[string]string{"userData": "unknown"},
		},
		"the unchanged id of a replaced source is unknown": {
			srcInOld: true,
			oldSrc:   map[string]any{"cidrBlock": "10.0.1.0/24"}, newSrc: map[string]any{"cidrBlock": "10.0.2.0/24"},
			oldDep: map[string]any{"subnets": []any{id}}, newDep: map[string]any{"subnets": []any{id}},
			want: map[string]string{"subnets": "unknown"},
		},
		"an updated source changes nothing downstream": {
			srcInOld: true,
			oldSrc:   map[string]any{"cidrBlock": "10.0.1.0/24", "tags": map[string]any{"a": "1"}}, newSrc: map[string]any{"cidrBlock": "10.0.1.0/24", "tags": map[string]any{"a": "2"}},
			oldDep: map[string]any{"subnets": []any{id}}, newDep: map[string]any{"subnets": []any{id}},
			want: map[string]string{},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := plan.Diff(unknownsPlans(tc.oldSrc, tc.newSrc, tc.oldDep, tc.newDep, tc.srcInOld))
			got := map[string]string{}
			for _, c := range d.Changes {
				if !strings.HasSuffix(c.URN, "::lb") {
					continue
				}
				for _, p := range c.Properties {
					if cv, ok := p.New.(plan.Computed); ok && strings.HasPrefix(string(cv), "known after apply") {
						got[p.Path] = "unknown"
					} else {
						got[p.Path] = plan.FormatValue(p.New)
					}
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("load balancer changes %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s: %s, want %s (all: %v)", k, got[k], v, got)
				}
			}
		})
	}
}
