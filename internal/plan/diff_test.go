package plan_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/internal/plan"
)

func onePlan(typ string, inputs map[string]any, mod func(*plan.Resource)) *plan.Plan {
	r := &plan.Resource{URN: "urn:x", Type: typ, Name: "x", Custom: true, Inputs: inputs}
	if mod != nil {
		mod(r)
	}
	return &plan.Plan{Version: plan.FormatVersion, Project: "p", Stack: "s", Resources: []*plan.Resource{r}}
}

func TestDiffProperties(t *testing.T) {
	t.Parallel()
	sg := "aws:ec2/securityGroup:SecurityGroup"
	tests := map[string]struct {
		typ      string
		old, new map[string]any
		mod      func(*plan.Resource)
		modBoth  bool     // apply mod to the old plan too
		want     []string // "op path" per change
		wantOp   plan.Op
	}{
		"nested map key": {
			typ: sg, old: map[string]any{"tags": map[string]any{"env": "dev"}}, new: map[string]any{"tags": map[string]any{"env": "prod"}},
			want: []string{"~ tags.env"}, wantOp: plan.OpUpdate,
		},
		"key that is not an identifier is quoted": {
			typ: sg, old: map[string]any{"tags": map[string]any{"kubernetes.io/role": "a"}}, new: map[string]any{"tags": map[string]any{"kubernetes.io/role": "b"}},
			want: []string{`~ tags["kubernetes.io/role"]`}, wantOp: plan.OpUpdate,
		},
		"array element inside an object inside an array": {
			typ:  sg,
			old:  map[string]any{"ingress": []any{map[string]any{"cidrBlocks": []any{"10.0.0.0/8"}}}},
			new:  map[string]any{"ingress": []any{map[string]any{"cidrBlocks": []any{"10.0.0.0/8", "10.1.0.0/16"}}}},
			want: []string{"+ ingress[0].cidrBlocks[1]"}, wantOp: plan.OpUpdate,
		},
		"removed input": {
			typ: sg, old: map[string]any{"revokeRulesOnDelete": true}, new: map[string]any{},
			want: []string{"- revokeRulesOnDelete"}, wantOp: plan.OpUpdate,
		},
		"replacing input is called out": {
			typ: sg, old: map[string]any{"vpcId": "vpc-1", "tags": map[string]any{}}, new: map[string]any{"vpcId": "vpc-2", "tags": map[string]any{}},
			want: []string{"~ vpcId !"}, wantOp: plan.OpReplace,
		},
		"a VM's clone timeout updates in place": {
			typ: "vsphere:index/virtualMachine:VirtualMachine",
			old: map[string]any{"clone": map[string]any{"templateUuid": "u-1", "timeout": 30.0}}, new: map[string]any{"clone": map[string]any{"templateUuid": "u-1", "timeout": 60.0}},
			want: []string{"~ clone.timeout"}, wantOp: plan.OpUpdate,
		},
		"a VM's clone template replaces it": {
			typ: "vsphere:index/virtualMachine:VirtualMachine",
			old: map[string]any{"clone": map[string]any{"templateUuid": "u-1", "timeout": 30.0}}, new: map[string]any{"clone": map[string]any{"templateUuid": "u-2", "timeout": 60.0}},
			want: []string{"~ clone.templateUuid !", "~ clone.timeout"}, wantOp: plan.OpReplace,
		},
		"same input on a type where it updates in place": {
			typ: "aws:ec2/instance:Instance", old: map[string]any{"vpcId": "vpc-1"}, new: map[string]any{"vpcId": "vpc-2"},
			want: []string{"~ vpcId"}, wantOp: plan.OpUpdate,
		},
		"ignored input is not a change": {
			typ: sg, old: map[string]any{"tags": map[string]any{"a": "1"}}, new: map[string]any{"tags": map[string]any{"a": "2"}},
			mod: func(r *plan.Resource) { r.IgnoreChanges = []string{"tags"} }, modBoth: true,
			want: nil,
		},
		"protect is a change": {
			typ: sg, old: map[string]any{}, new: map[string]any{},
			mod:  func(r *plan.Resource) { r.Protect = true },
			want: []string{"~ (protect)"}, wantOp: plan.OpUpdate,
		},
		"multi-line text gets a line diff": {
			typ: sg, old: map[string]any{"userData": "#!/bin/sh\na\nb\nc\n"}, new: map[string]any{"userData": "#!/bin/sh\na\nB\nc\nd\n"},
			want: []string{"~ userData", "  - b", "  + B", "  + d"}, wantOp: plan.OpUpdate,
		},
		"secret stays masked": {
			typ: sg, old: map[string]any{"password": "plain-before"}, new: map[string]any{"password": "[secret]"},
			want: []string{"~ password"}, wantOp: plan.OpUpdate,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			oldMod := func(*plan.Resource) {}
			if tc.modBoth {
				oldMod = tc.mod
			}
			d := plan.Diff(onePlan(tc.typ, tc.old, oldMod), onePlan(tc.typ, tc.new, tc.mod))
			if tc.want == nil && len(d.Changes) != 0 {
				t.Errorf("no change wanted, got %d resource changes (%s)", len(d.Changes), d.Summary())
			}
			var got []string
			for _, c := range d.Changes {
				if len(c.Properties) == 0 {
					t.Errorf("%s %s lists no changed property", c.Op, c.URN)
				}
				if c.Op != tc.wantOp {
					t.Errorf("op %q, want %q", c.Op, tc.wantOp)
				}
				for _, p := range c.Properties {
					op := "~"
					if p.OldMissing {
						op = "+"
					} else if p.NewMissing {
						op = "-"
					}
					s := op + " " + p.Path
					if p.Replaces {
						s += " !"
					}
					got = append(got, s)
					for _, l := range p.Lines {
						got = append(got, "  "+l)
					}
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiffCreatesAndDeletes(t *testing.T) {
	t.Parallel()
	a := onePlan("t:m:A", map[string]any{}, nil)
	b := onePlan("t:m:A", map[string]any{}, func(r *plan.Resource) { r.URN = "urn:y"; r.Name = "y" })
	d := plan.Diff(a, b)
	if c, u, del, r := d.Counts(); c != 1 || u != 0 || del != 1 || r != 0 {
		t.Errorf("counts +%d ~%d -%d (%d replaced), want +1 ~0 -1", c, u, del, r)
	}
	if d.Summary() != "+1 ~0 -1" {
		t.Errorf("summary %q", d.Summary())
	}
}

func TestMarkdownIsCollapsiblePerStack(t *testing.T) {
	t.Parallel()
	changed := plan.Diff(fixedPlan(2, "10.0.0.0/16", "dev"), fixedPlan(3, "10.0.0.0/16", "dev"))
	same := plan.Diff(fixedPlan(2, "10.0.0.0/16", "dev"), fixedPlan(2, "10.0.0.0/16", "dev"))
	same.Stack = "quiet"
	var b bytes.Buffer
	if err := plan.WriteMarkdown(&b, []*plan.StackDiff{changed, same}); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"<details open><summary><b>example</b>: +1 ~0 -0</summary>",
		"<details><summary><b>quiet</b>: +0 ~0 -0</summary>",
		"```diff\n+  aws:ec2/subnet:Subnet web-c\n```",
		"No changes.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Count(md, "<details") != strings.Count(md, "</details>") || strings.Count(md, "```")%2 != 0 {
		t.Errorf("unbalanced markdown:\n%s", md)
	}
}

func TestParseDiffArgs(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		args    []string
		wantMD  bool
		want    []plan.DiffSet
		wantErr string
	}{
		"two files":     {args: []string{"a.json", "b.json"}, want: []plan.DiffSet{{Old: "a.json", New: "b.json"}}},
		"markdown last": {args: []string{"a", "b", "--markdown"}, wantMD: true, want: []plan.DiffSet{{Old: "a", New: "b"}}},
		"stack groups": {
			args:   []string{"--markdown", "--stack", "x", "o1", "n1", "--stack", "y", "o2", "n2"},
			wantMD: true, want: []plan.DiffSet{{Stack: "x", Old: "o1", New: "n1"}, {Stack: "y", Old: "o2", New: "n2"}},
		},
		"short group":  {args: []string{"--stack", "x", "o1"}, wantErr: "--stack needs"},
		"one file":     {args: []string{"a"}, wantErr: "want OLD NEW"},
		"mixed forms":  {args: []string{"--stack", "x", "o", "n", "extra"}, wantErr: "not both"},
		"unknown flag": {args: []string{"--nope", "a", "b"}, wantErr: "unknown flag"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			md, sets, err := plan.ParseDiffArgs(tc.args)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if md != tc.wantMD {
				t.Errorf("markdown %v", md)
			}
			if diff := cmp.Diff(tc.want, sets); diff != "" {
				t.Errorf("sets (-want +got):\n%s", diff)
			}
		})
	}
}
