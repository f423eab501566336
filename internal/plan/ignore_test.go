package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/internal/plan"
)

// renderChanges writes a diff as one line per resource ("~ name") and one
// indented line per property ("  + path", " !" when it replaces), so a
// test sees both whether a resource changes at all and what shows.
func renderChanges(d *plan.StackDiff) []string {
	var out []string
	for _, c := range d.Changes {
		out = append(out, string(c.Op)+" "+c.Name)
		for _, p := range c.Properties {
			op := "~"
			if p.OldMissing {
				op = "+"
			} else if p.NewMissing {
				op = "-"
			}
			s := "  " + op + " " + p.Path
			if p.Replaces {
				s += " !"
			}
			out = append(out, s)
		}
	}
	return out
}

// vmIgnored is the ignoreChanges of onprem.NewNode's VMs (onprem
// IgnoredChanges), spelled out: this package must not import onprem.
var vmIgnored = []string{
	`extraConfig["guestinfo.userdata"]`,
	`extraConfig["guestinfo.userdata.encoding"]`,
	`extraConfig["guestinfo.metadata"]`,
	`extraConfig["guestinfo.metadata.encoding"]`,
	"clone.templateUuid",
	"clone.ovfNetworkMap",
	"clone.ovfStorageMap",
	"swapPlacementPolicy",
	"eptRviMode",
	"hvMode",
}

func TestDiffIgnoreChangesPaths(t *testing.T) {
	t.Parallel()
	const (
		vm = "vsphere:index/virtualMachine:VirtualMachine"
		sg = "aws:ec2/securityGroup:SecurityGroup"
	)
	vmInputs := func(userdata, metadata, template string, linked bool) map[string]any {
		return map[string]any{
			"name": "web-a",
			"extraConfig": map[string]any{
				"guestinfo.userdata": userdata, "guestinfo.userdata.encoding": "base64",
				"guestinfo.metadata": metadata, "guestinfo.metadata.encoding": "base64",
			},
			"clone": map[string]any{"templateUuid": template, "linkedClone": linked},
		}
	}
	disks := func(size0, size1 float64, label0 string) map[string]any {
		return map[string]any{"disks": []any{
			map[string]any{"label": label0, "size": size0},
			map[string]any{"label": "disk1", "size": size1},
		}}
	}
	tests := map[string]struct {
		typ      string
		old, new map[string]any
		ignore   []string
		protect  bool // on the new resource only
		want     []string
	}{
		"nested map key with dots is ignored": {
			typ: vm, ignore: vmIgnored,
			old: vmInputs("u1", "m1", "t1", false), new: vmInputs("u2", "m1", "t1", false),
			want: nil,
		},
		"sibling of an ignored map key still shows": {
			typ: vm, ignore: []string{`extraConfig["guestinfo.userdata"]`},
			old: vmInputs("u1", "m1", "t1", false), new: vmInputs("u2", "m2", "t1", false),
			want: []string{"~ x", `  ~ extraConfig["guestinfo.metadata"]`},
		},
		"added and removed keys under an ignored path are ignored": {
			typ: sg, ignore: []string{"tags.a", `tags["b"]`},
			old: map[string]any{"tags": map[string]any{"a": "1"}}, new: map[string]any{"tags": map[string]any{"b": "2"}},
			want: nil,
		},
		"quoted key with dots and brackets": {
			typ: sg, ignore: []string{`tags["x.y[0]"]`},
			old:  map[string]any{"tags": map[string]any{"x.y[0]": "1", "x": map[string]any{"y": []any{"1"}}}},
			new:  map[string]any{"tags": map[string]any{"x.y[0]": "2", "x": map[string]any{"y": []any{"2"}}}},
			want: []string{"~ x", "  ~ tags.x.y[0]"},
		},
		"quoted key with an escaped quote": {
			typ: sg, ignore: []string{`tags["say \"hi\""]`},
			old:  map[string]any{"tags": map[string]any{`say "hi"`: "1", "say": "1"}},
			new:  map[string]any{"tags": map[string]any{`say "hi"`: "2", "say": "2"}},
			want: []string{"~ x", "  ~ tags.say"},
		},
		"list element ignored by index": {
			typ: vm, ignore: []string{"disks[0].size"},
			old: disks(40, 10, "disk0"), new: disks(50, 20, "disk0"),
			want: []string{"~ x", "  ~ disks[1].size"},
		},
		"list elements ignored by wildcard": {
			typ: vm, ignore: []string{"disks[*].size"},
			old: disks(40, 10, "disk0"), new: disks(50, 20, "root"),
			want: []string{"~ x", "  ~ disks[0].label"},
		},
		"whole list ignored by wildcard, appended element too": {
			typ: sg, ignore: []string{"cidrs[*]"},
			old: map[string]any{"cidrs": []any{"10.0.0.0/8"}}, new: map[string]any{"cidrs": []any{"10.1.0.0/16", "10.2.0.0/16"}},
			want: nil,
		},
		"map keys ignored by wildcard": {
			typ: sg, ignore: []string{"tags.*"},
			old: map[string]any{"tags": map[string]any{"a": "1"}, "name": "n"}, new: map[string]any{"tags": map[string]any{"a": "2", "b": "3"}, "name": "n"},
			want: nil,
		},
		"wildcard in the middle of a path": {
			typ: sg, ignore: []string{"ingress[*].cidrBlocks"},
			old:  map[string]any{"ingress": []any{map[string]any{"cidrBlocks": []any{"a"}, "fromPort": 80.0}}},
			new:  map[string]any{"ingress": []any{map[string]any{"cidrBlocks": []any{"b"}, "fromPort": 443.0}}},
			want: []string{"~ x", "  ~ ingress[0].fromPort"},
		},
		"index path does not ignore a map key": {
			typ: sg, ignore: []string{"tags[0]"},
			old: map[string]any{"tags": map[string]any{"0": "a"}}, new: map[string]any{"tags": map[string]any{"0": "b"}},
			want: []string{"~ x", `  ~ tags["0"]`},
		},
		"ignored path under a replacing input gives no replacement": {
			typ: vm, ignore: vmIgnored,
			old: vmInputs("u1", "m1", "t1", false), new: vmInputs("u2", "m2", "t2", false),
			want: nil,
		},
		"the same change without ignoreChanges replaces": {
			typ: vm,
			old: vmInputs("u1", "m1", "t1", false), new: vmInputs("u1", "m1", "t2", false),
			want: []string{"+- x", "  ~ clone.templateUuid !"},
		},
		"unignored sibling under a replacing input still replaces": {
			typ: vm, ignore: vmIgnored,
			old: vmInputs("u1", "m1", "t1", false), new: vmInputs("u1", "m1", "t2", true),
			want: []string{"+- x", "  ~ clone.linkedClone !"},
		},
		"option change still shows when the inputs' changes are ignored": {
			typ: vm, ignore: vmIgnored, protect: true,
			old: vmInputs("u1", "m1", "t1", false), new: vmInputs("u2", "m1", "t2", false),
			want: []string{"~ x", "  ~ (protect)"},
		},
		"change above the ignored path still shows": {
			typ: vm, ignore: []string{`extraConfig["guestinfo.userdata"]`},
			old: map[string]any{}, new: map[string]any{"extraConfig": map[string]any{"guestinfo.userdata": "u"}},
			want: []string{"~ x", "  + extraConfig"},
		},
		"entry that does not parse ignores nothing": {
			typ: sg, ignore: []string{"tags[", ""},
			old: map[string]any{"tags": map[string]any{"a": "1"}}, new: map[string]any{"tags": map[string]any{"a": "2"}},
			want: []string{"~ x", "  ~ tags.a"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			set := func(protect bool) func(*plan.Resource) {
				return func(r *plan.Resource) {
					r.IgnoreChanges = tc.ignore
					r.Protect = protect
				}
			}
			d := plan.Diff(onePlan(tc.typ, tc.old, set(false)), onePlan(tc.typ, tc.new, set(tc.protect)))
			if diff := cmp.Diff(tc.want, renderChanges(d)); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			if tc.want == nil {
				if s := d.Summary(); s != "+0 ~0 -0" {
					t.Errorf("summary %q, want +0 ~0 -0", s)
				}
			}
		})
	}
}

// TestIgnoredInputStopsReplacementCascade: a subnet whose vpcId is
// ignored keeps its old VPC id when the VPC is replaced, so it is not
// replaced with it; an ignored path inside the input does not say which
// part of it the replaced resource feeds, so it does not stop the cascade.
func TestIgnoredInputStopsReplacementCascade(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		ignore []string
		want   []string
	}{
		"not ignored": {want: []string{"+- subnet", "  ~ vpcId !", "+- vpc", "  ~ cidrBlock !"}},
		"ignored":     {ignore: []string{"vpcId"}, want: []string{"+- vpc", "  ~ cidrBlock !"}},
		"wildcard":    {ignore: []string{"*"}, want: []string{"+- vpc", "  ~ cidrBlock !"}},
		"other input": {ignore: []string{"tags"}, want: []string{"+- subnet", "  ~ vpcId !", "+- vpc", "  ~ cidrBlock !"}},
	}
	mk := func(cidr string, ignore []string) *plan.Plan {
		vpc := &plan.Resource{URN: "urn:vpc", Type: "aws:ec2/vpc:Vpc", Name: "vpc", Custom: true, Inputs: map[string]any{"cidrBlock": cidr}}
		subnet := &plan.Resource{
			URN: "urn:subnet", Type: "aws:ec2/subnet:Subnet", Name: "subnet", Custom: true,
			Inputs:               map[string]any{"vpcId": "vpc-id", "cidrBlock": "10.0.1.0/24"},
			PropertyDependencies: map[string][]string{"vpcId": {"urn:vpc"}},
			Dependencies:         []string{"urn:vpc"},
			IgnoreChanges:        ignore,
		}
		return &plan.Plan{Version: plan.FormatVersion, Project: "p", Stack: "s", Resources: []*plan.Resource{subnet, vpc}}
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := plan.Diff(mk("10.0.0.0/16", tc.ignore), mk("10.1.0.0/16", tc.ignore))
			got := renderChanges(d)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			if t.Failed() {
				var b strings.Builder
				_ = d.WriteText(&b)
				t.Log(b.String())
			}
		})
	}
}

// TestDisplayedPathIgnoresItsChange: the path a diff prints for a change,
// put into ignoreChanges, ignores exactly that change and not its sibling.
// (Not for a key "*": the engine reads ["*"] as the wildcard too.)
func TestDisplayedPathIgnoresItsChange(t *testing.T) {
	t.Parallel()
	const sg = "aws:ec2/securityGroup:SecurityGroup"
	for _, key := range []string{"env", "guestinfo.userdata", "kubernetes.io/role", "x.y[0]", `say "hi"`, "0", "a-b", "with space"} {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			inputs := func(v string) map[string]any {
				return map[string]any{"tags": map[string]any{key: v, "sibling": v}, "ports": []any{map[string]any{key: v}}}
			}
			d := plan.Diff(onePlan(sg, inputs("1"), nil), onePlan(sg, inputs("2"), nil))
			if len(d.Changes) != 1 || len(d.Changes[0].Properties) != 3 {
				t.Fatalf("changes %v, want one resource with 3 properties", renderChanges(d))
			}
			var paths []string
			for _, p := range d.Changes[0].Properties {
				paths = append(paths, p.Path)
			}
			for _, path := range paths {
				ignore := func(r *plan.Resource) { r.IgnoreChanges = []string{path} }
				got := renderChanges(plan.Diff(onePlan(sg, inputs("1"), ignore), onePlan(sg, inputs("2"), ignore)))
				var want []string
				for _, other := range paths {
					if other != path {
						want = append(want, "  ~ "+other)
					}
				}
				if diff := cmp.Diff(append([]string{"~ x"}, want...), got); diff != "" {
					t.Errorf("ignoreChanges %s: changes (-want +got):\n%s", path, diff)
				}
			}
		})
	}
}
