package plan

import (
	"encoding/base64"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// What the engine does not know at preview time. A resource that a change
// creates or replaces has no id yet, and the provider has not computed its
// arn, endpoint or uuid: `pulumi preview` shows every input taken from them
// as unknown. The mock engine invented concrete values for them (Resource.ID
// and Resource.Computed), and printing those would show a reviewer ids that
// will never exist. So a changed input is shown as unknown when it came
// from such a resource (its property dependencies say so) and its value
// carries one of the invented values; an input that only depends on the
// resource's known inputs (a name, a cidr) stays as it is.

// minInvented is the shortest invented value matched inside a text: ids,
// uuids and arns are longer, and a short value (a port, "2") would match
// by chance.
const minInvented = 8

// invented are the values the mock engine made up for r, which the
// engine only learns when it creates r.
func invented(r *Resource) []string {
	var out []string
	if len(r.ID) >= minInvented {
		out = append(out, r.ID)
	}
	for _, k := range slices.Sorted(maps.Keys(r.Computed)) {
		for _, s := range leafStrings(r.Computed[k]) {
			if len(s) >= minInvented && s != maskString {
				out = append(out, s)
			}
		}
	}
	return out
}

// maskString is how a secret appears in a plan; it is nobody's output.
const maskString = "[secret]"

// carries reports whether v holds one of values: a string leaf equal to
// one, containing one (an arn inside a policy document), or a base64 text
// whose decoding contains one (user-data).
func carries(v any, values []string) bool {
	for _, s := range leafStrings(v) {
		texts := []string{s}
		if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) > 0 && utf8.Valid(b) {
			texts = append(texts, string(b))
		}
		for _, t := range texts {
			for _, iv := range values {
				if strings.Contains(t, iv) {
					return true
				}
			}
		}
	}
	return false
}

// markUnknowns replaces, in every update and replacement, the new value of
// a changed input that carries an invented value of a resource the same
// diff creates or replaces, with a Computed value naming its source. It
// also adds the updates the engine shows for inputs that keep their
// planned value but take it from a replaced resource (the old id goes, the
// new one is unknown): the mock engine gives the replacement the same id,
// so no value changed in the plans.
func markUnknowns(d *StackDiff, newBy map[string]*Resource) {
	pending := map[string]string{} // URN -> "created" or "replaced"
	for _, c := range d.Changes {
		switch c.Op {
		case OpCreate:
			pending[c.URN] = "created"
		case OpReplace:
			pending[c.URN] = "replaced"
		}
	}
	if len(pending) == 0 {
		return
	}
	// source names the pending resource an input value of r came from, or
	// "" when it came from none.
	source := func(r *Resource, key string, v any) string {
		for _, dep := range r.PropertyDependencies[key] {
			how, ok := pending[dep]
			src := newBy[dep]
			if !ok || src == nil {
				continue
			}
			if carries(v, invented(src)) {
				return "known after apply: output of " + how + " " + src.Type + " " + src.Name
			}
		}
		return ""
	}
	index := map[string]int{}
	for i, c := range d.Changes {
		index[c.URN] = i
	}
	for i := range d.Changes {
		c := &d.Changes[i]
		r := newBy[c.URN]
		if r == nil || c.Op == OpCreate || c.Op == OpDelete {
			continue
		}
		for j := range c.Properties {
			p := &c.Properties[j]
			if _, ok := p.New.(Computed); ok || p.NewMissing {
				continue
			}
			if from := source(r, topLevelKey(p.Path), p.New); from != "" {
				p.New, p.Lines = Computed(from), nil
			}
		}
	}
	for _, urn := range sortedURNs(newBy) {
		r := newBy[urn]
		if _, ok := pending[urn]; ok || r.Read {
			continue
		}
		ignored := parseIgnoreChanges(r.IgnoreChanges)
		for _, k := range slices.Sorted(maps.Keys(r.PropertyDependencies)) {
			v, ok := r.Inputs[k]
			if !ok || ignored.covers(resource.PropertyPath{k}) || hasChange(d, index, urn, k) {
				continue
			}
			from := ""
			for _, dep := range r.PropertyDependencies[k] {
				if pending[dep] == "replaced" && newBy[dep] != nil && carries(v, invented(newBy[dep])) {
					from = "known after apply: output of replaced " + newBy[dep].Type + " " + newBy[dep].Name
					break
				}
			}
			if from == "" {
				continue
			}
			pc := PropertyChange{Path: k, Old: v, New: Computed(from)}
			if i, ok := index[urn]; ok {
				d.Changes[i].Properties = append(d.Changes[i].Properties, pc)
			} else {
				d.Changes = append(d.Changes, ResourceChange{Op: OpUpdate, URN: urn, Type: r.Type, Name: r.Name, Properties: []PropertyChange{pc}})
				index[urn] = len(d.Changes) - 1
			}
		}
	}
	slices.SortFunc(d.Changes, func(a, b ResourceChange) int { return strings.Compare(a.URN, b.URN) })
}

// hasChange reports whether the diff already lists a change under the
// top-level input key of the resource.
func hasChange(d *StackDiff, index map[string]int, urn, key string) bool {
	i, ok := index[urn]
	if !ok {
		return false
	}
	for _, p := range d.Changes[i].Properties {
		if topLevelKey(p.Path) == key {
			return true
		}
	}
	return false
}

// topLevelKey is the input a displayed path starts with: "tags" of
// tags.env, "ingress" of ingress[0].cidrBlocks. Top-level input names are
// identifiers, so they are never quoted.
func topLevelKey(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}
