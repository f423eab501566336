package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Op is what a change does to a resource.
type Op string

// The operations a diff reports, with the sign `pulumi preview` uses.
const (
	OpCreate  Op = "+"
	OpDelete  Op = "-"
	OpUpdate  Op = "~"
	OpReplace Op = "+-"
)

// PropertyChange is one changed input (or resource option, written in
// parentheses: "(protect)").
type PropertyChange struct {
	// Path is dotted with [i] for array elements: tags.env,
	// ingress[0].cidrBlocks; keys that are not identifiers are quoted:
	// tags["kubernetes.io/role"].
	Path string
	// Old and New are the plain values; Missing when absent on that side.
	Old, New               any
	OldMissing, NewMissing bool
	// Replaces is true when the table says a change of this input forces
	// a new resource.
	Replaces bool
	// Lines is the line diff ("- old", "+ new") when both values are
	// multi-line texts: user-data and rendered configuration files.
	Lines []string
}

// ResourceChange is one resource that a change creates, deletes, updates
// or replaces.
type ResourceChange struct {
	Op         Op
	URN        string
	Type, Name string
	// Properties lists the changed inputs of an update or replacement.
	Properties []PropertyChange
}

// StackDiff is the difference between two plans of one stack.
type StackDiff struct {
	Stack   string
	Changes []ResourceChange // in URN order
	// Ignored are the resources with changes their ignoreChanges covers,
	// which the engine does not apply (in URN order).
	Ignored []IgnoredChange
}

// IgnoredChange is one resource's changed inputs that its ignoreChanges
// covers: a running VM's user-data, for one. The engine leaves them as
// they were, so they reach a running node only another way (day 2).
type IgnoredChange struct {
	URN, Type, Name string
	Paths           []string
}

// Counts returns how many resources are created, updated (in place or by
// replacement) and deleted, and how many of the updates are replacements.
func (d *StackDiff) Counts() (create, update, del, replace int) {
	for _, c := range d.Changes {
		switch c.Op {
		case OpCreate:
			create++
		case OpDelete:
			del++
		case OpUpdate:
			update++
		case OpReplace:
			update++
			replace++
		}
	}
	return
}

// Summary is the one-line count: "+2 ~1 -0" with the replacements noted.
func (d *StackDiff) Summary() string {
	c, u, del, r := d.Counts()
	s := fmt.Sprintf("+%d ~%d -%d", c, u, del)
	if r > 0 {
		s += fmt.Sprintf(" (%d replaced)", r)
	}
	return s
}

// Diff compares two plans of the same stack by URN. Either may be nil (a
// stack that is new or gone). Secret values are masked in both plans, so a
// change of a secret's value does not show; a value that becomes or stops
// being secret does.
func Diff(old, cur *Plan) *StackDiff {
	d := &StackDiff{}
	oldBy, newBy := map[string]*Resource{}, map[string]*Resource{}
	if old != nil {
		d.Stack = old.Stack
		oldBy = old.ByURN()
	}
	if cur != nil {
		d.Stack = cur.Stack
		newBy = cur.ByURN()
	}
	urns := map[string]bool{}
	for u := range oldBy {
		urns[u] = true
	}
	for u := range newBy {
		urns[u] = true
	}
	sorted := make([]string, 0, len(urns))
	for u := range urns {
		sorted = append(sorted, u)
	}
	sort.Strings(sorted)
	for _, u := range sorted {
		o, n := oldBy[u], newBy[u]
		switch {
		case o == nil:
			d.Changes = append(d.Changes, ResourceChange{Op: OpCreate, URN: u, Type: n.Type, Name: n.Name})
		case n == nil:
			d.Changes = append(d.Changes, ResourceChange{Op: OpDelete, URN: u, Type: o.Type, Name: o.Name})
		default:
			props := resourceChanges(o, n)
			if ign := ignoredPaths(o, n, props); len(ign) > 0 {
				d.Ignored = append(d.Ignored, IgnoredChange{URN: u, Type: n.Type, Name: n.Name, Paths: ign})
			}
			if len(props) == 0 {
				continue
			}
			c := ResourceChange{Op: OpUpdate, URN: u, Type: n.Type, Name: n.Name, Properties: props}
			for _, p := range props {
				if p.Replaces {
					c.Op = OpReplace
				}
			}
			d.Changes = append(d.Changes, c)
		}
	}
	cascadeReplacements(d, newBy)
	markUnknowns(d, newBy)
	return d
}

// cascadeReplacements follows replacements to their dependents, as the
// engine will: a replaced resource gets a new id, so an input taken from
// it changes after the replacement, and when that input forces a
// replacement the dependent is replaced too. The plan files cannot know
// the new id; the change says where it comes from.
func cascadeReplacements(d *StackDiff, newBy map[string]*Resource) {
	index := map[string]int{}
	for i, c := range d.Changes {
		index[c.URN] = i
	}
	replaced := func(urn string) bool {
		i, ok := index[urn]
		return ok && d.Changes[i].Op == OpReplace
	}
	for changed := true; changed; {
		changed = false
		for _, urn := range sortedURNs(newBy) {
			r := newBy[urn]
			if i, ok := index[urn]; ok && d.Changes[i].Op != OpUpdate {
				continue // created, or already replaced
			}
			ignored := parseIgnoreChanges(r.IgnoreChanges)
			for _, k := range slices.Sorted(maps.Keys(r.PropertyDependencies)) {
				// A wholly ignored input keeps its old value, whatever
				// its source becomes.
				if !ForcesReplacement(r.Type, k) || ignored.covers(resource.PropertyPath{k}) {
					continue
				}
				var from string
				for _, dep := range r.PropertyDependencies[k] {
					// The input changes with the replacement only when it
					// carries the replaced resource's id or a computed
					// output; a plan without them (an older file) cannot
					// tell, and every dependency counts.
					if src := newBy[dep]; replaced(dep) && src != nil && (len(invented(src)) == 0 || carries(r.Inputs[k], invented(src))) {
						from = dep
						break
					}
				}
				if from == "" {
					continue
				}
				src := newBy[from]
				pc := PropertyChange{Path: k, Old: r.Inputs[k], New: Computed("output of replaced " + src.Type + " " + src.Name), Replaces: true}
				if i, ok := index[urn]; ok {
					d.Changes[i].Op = OpReplace
					d.Changes[i].Properties = append(d.Changes[i].Properties, pc)
				} else {
					d.Changes = append(d.Changes, ResourceChange{Op: OpReplace, URN: urn, Type: r.Type, Name: r.Name, Properties: []PropertyChange{pc}})
					index[urn] = len(d.Changes) - 1
				}
				changed = true
				break
			}
		}
	}
	sort.Slice(d.Changes, func(i, j int) bool { return d.Changes[i].URN < d.Changes[j].URN })
}

func sortedURNs(m map[string]*Resource) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// resourceChanges lists the changed inputs and options of one resource.
// A changed leaf that the new resource's ignoreChanges covers is left
// out, as the engine resets it to its old value before the provider diffs;
// a replacing input replaces only through the leaves that remain.
func resourceChanges(o, n *Resource) []PropertyChange {
	var out []PropertyChange
	keys := map[string]bool{}
	for k := range o.Inputs {
		keys[k] = true
	}
	for k := range n.Inputs {
		keys[k] = true
	}
	ignored := parseIgnoreChanges(n.IgnoreChanges)
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		ov, oOK := o.Inputs[k]
		nv, nOK := n.Inputs[k]
		changes := valueChanges(pathKey("", k), resource.PropertyPath{k}, ignored, ov, nv, !oOK, !nOK)
		if ForcesReplacement(n.Type, k) {
			for i := range changes {
				changes[i].Replaces = replacesThrough(n.Type, changes[i].Path)
			}
		}
		out = append(out, changes...)
	}
	opt := func(name string, ov, nv any) {
		if !reflect.DeepEqual(ov, nv) {
			out = append(out, PropertyChange{Path: "(" + name + ")", Old: ov, New: nv})
		}
	}
	opt("protect", o.Protect, n.Protect)
	opt("retainOnDelete", o.RetainOnDelete, n.RetainOnDelete)
	opt("deleteBeforeReplace", o.DeleteBeforeReplace, n.DeleteBeforeReplace)
	opt("ignoreChanges", strings.Join(o.IgnoreChanges, ","), strings.Join(n.IgnoreChanges, ","))
	opt("provider", o.Provider, n.Provider)
	return out
}

// ignoredPaths are the changed inputs of a resource that its
// ignoreChanges hides: the changes found without it, less kept (the
// changes found with it).
func ignoredPaths(o, n *Resource, kept []PropertyChange) []string {
	if len(n.IgnoreChanges) == 0 {
		return nil
	}
	shown := map[string]bool{}
	for _, p := range kept {
		shown[p.Path] = true
	}
	oa, na := *o, *n
	oa.IgnoreChanges, na.IgnoreChanges = nil, nil
	var out []string
	for _, p := range resourceChanges(&oa, &na) {
		if !shown[p.Path] {
			out = append(out, p.Path)
		}
	}
	return out
}

// Limits is what the offline diff cannot know; the text and markdown
// forms say it, so a reviewer knows what to trust.
const Limits = "It cannot know provider-side drift (changes made outside Pulumi), server-side defaults, or a replacement the provider decides that the replacement table does not list. An input taken from the id or a computed output of a resource this change creates or replaces shows as (known after apply), as in `pulumi preview`."

// ignoredNote says what the engine does with ignored changes.
func (d *StackDiff) ignoredNote() []string {
	if len(d.Ignored) == 0 {
		return nil
	}
	out := []string{fmt.Sprintf("%d resource(s) have changes their ignoreChanges covers: the engine does not apply them. A running VM reads its user-data (guestinfo) only at first boot, so running nodes receive such changes only over the day-2 path (onprem.ssh).", len(d.Ignored))}
	for _, c := range d.Ignored {
		out = append(out, fmt.Sprintf("  %s %s: %s", c.Type, c.Name, strings.Join(c.Paths, ", ")))
	}
	return out
}

// valueChanges walks two values and reports the leaves that differ,
// except those under a path that ignored covers. path is the displayed
// path (pathKey), pp the same path as keys and indices.
func valueChanges(path string, pp resource.PropertyPath, ignored ignoreSet, ov, nv any, oMissing, nMissing bool) []PropertyChange {
	if ignored.covers(pp) {
		return nil
	}
	if oMissing || nMissing {
		if oMissing && nMissing {
			return nil
		}
		return []PropertyChange{{Path: path, Old: ov, New: nv, OldMissing: oMissing, NewMissing: nMissing}}
	}
	om, oIsMap := ov.(map[string]any)
	nm, nIsMap := nv.(map[string]any)
	if oIsMap && nIsMap {
		keys := map[string]bool{}
		for k := range om {
			keys[k] = true
		}
		for k := range nm {
			keys[k] = true
		}
		var out []PropertyChange
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			a, aOK := om[k]
			b, bOK := nm[k]
			out = append(out, valueChanges(pathKey(path, k), childPath(pp, k), ignored, a, b, !aOK, !bOK)...)
		}
		return out
	}
	oa, oIsArr := ov.([]any)
	na, nIsArr := nv.([]any)
	if oIsArr && nIsArr {
		var out []PropertyChange
		for i := 0; i < max(len(oa), len(na)); i++ {
			var a, b any
			if i < len(oa) {
				a = oa[i]
			}
			if i < len(na) {
				b = na[i]
			}
			out = append(out, valueChanges(path+"["+strconv.Itoa(i)+"]", childPath(pp, i), ignored, a, b, i >= len(oa), i >= len(na))...)
		}
		return out
	}
	if reflect.DeepEqual(ov, nv) {
		return nil
	}
	pc := PropertyChange{Path: path, Old: ov, New: nv}
	if olds, ok := ov.(string); ok {
		if ns, ok := nv.(string); ok {
			pc.Lines = lineDiff(olds, ns)
		}
	}
	return []PropertyChange{pc}
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func pathKey(prefix, key string) string {
	if !identifier.MatchString(key) {
		q, _ := json.Marshal(key)
		return prefix + "[" + string(q) + "]"
	}
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// maxValueLen caps how much of a value a diff prints: user-data and
// rendered configuration files would drown the comment.
const maxValueLen = 160

// Computed is a value only known after `pulumi up`, with where it comes
// from.
type Computed string

// FormatValue renders a value for a diff line: JSON, cut to a readable
// length; a Computed value in parentheses.
func FormatValue(v any) string {
	if c, ok := v.(Computed); ok {
		return "(" + string(c) + ")"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	s := string(b)
	if r := []rune(s); len(r) > maxValueLen {
		s = string(r[:maxValueLen]) + fmt.Sprintf("…(%d chars)", len(r))
	}
	return s
}

// lines renders the diff body, one resource per line and one indented
// line per property, the way `pulumi preview --diff` marks them.
func (d *StackDiff) lines() []string {
	var out []string
	for _, c := range d.Changes {
		out = append(out, fmt.Sprintf("%-2s %s %s", string(c.Op), c.Type, c.Name))
		for _, p := range c.Properties {
			note := ""
			if p.Replaces {
				note = "  (forces replacement)"
			}
			switch {
			case p.OldMissing:
				out = append(out, fmt.Sprintf("    + %s: %s%s", p.Path, FormatValue(p.New), note))
			case p.NewMissing:
				out = append(out, fmt.Sprintf("    - %s: %s%s", p.Path, FormatValue(p.Old), note))
			case p.Lines != nil:
				out = append(out, fmt.Sprintf("    ~ %s: (text, %d changed lines)%s", p.Path, len(p.Lines), note))
				for _, l := range p.Lines {
					out = append(out, "        "+l)
				}
			default:
				out = append(out, fmt.Sprintf("    ~ %s: %s => %s%s", p.Path, FormatValue(p.Old), FormatValue(p.New), note))
			}
		}
	}
	return out
}

// WriteText prints the diff for a terminal.
func (d *StackDiff) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "stack %s: %s\n", d.Stack, d.Summary())
	for _, l := range d.lines() {
		b.WriteString(l + "\n")
	}
	if len(d.Changes) == 0 {
		b.WriteString("no changes\n")
	}
	for _, l := range d.ignoredNote() {
		b.WriteString(l + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the diffs of several stacks for a pull-request
// comment: a heading, then one collapsible section per stack whose summary
// carries the counts. Stacks with changes are open by default.
func WriteMarkdown(w io.Writer, diffs []*StackDiff) error {
	var b strings.Builder
	b.WriteString("### Offline plan diff\n\n")
	b.WriteString("Computed by `hawebtier plan` under the mock engine (no cloud credentials); secrets show as `[secret]`, and a changed secret value does not show at all. " + Limits + "\n\n")
	for _, d := range diffs {
		open := ""
		if len(d.Changes) > 0 || len(d.Ignored) > 0 {
			open = " open"
		}
		fmt.Fprintf(&b, "<details%s><summary><b>%s</b>: %s</summary>\n\n", open, htmlEscape(d.Stack), d.Summary())
		if len(d.Changes) == 0 {
			b.WriteString("No changes.\n\n")
		} else {
			b.WriteString("```diff\n")
			for _, l := range d.lines() {
				// A fence inside a value would end the code block early.
				b.WriteString(strings.ReplaceAll(l, "```", "`\u200b``") + "\n")
			}
			b.WriteString("```\n\n")
		}
		if note := d.ignoredNote(); note != nil {
			b.WriteString(htmlEscape(note[0]) + "\n\n")
			for _, l := range note[1:] {
				b.WriteString("- `" + strings.TrimSpace(l) + "`\n")
			}
			b.WriteString("\n")
		}
		b.WriteString("</details>\n\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
