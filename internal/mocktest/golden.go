package mocktest

import (
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// GoldenList renders a run's resources one per line: type, name and the
// parent's type::name, in URN order, so a change to what a stack deploys
// shows as a readable diff in review.
func GoldenList(r *Result) string {
	var b strings.Builder
	for _, res := range r.Resources {
		parent := "-"
		if res.Parent != "" && res.Parent != r.StackURN() {
			pu := resource.URN(res.Parent)
			parent = string(pu.Type()) + "::" + pu.Name()
		}
		fmt.Fprintf(&b, "%s %s %s\n", res.Type, res.Name, parent)
	}
	return b.String()
}

// GoldenInputs renders every resource of a run with its inputs, secrets
// masked: the resource's GoldenList line, then one line per input leaf,
// indented by depth, keys sorted. A multi-line string (a rendered file) is
// written as a block, and a launch template's base64 user-data decoded, so
// a change to any input, a safety flag or one line of a rendered file,
// shows as a readable diff in review.
func GoldenInputs(r *Result) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(GoldenList(r), "\n") {
		if line == "" {
			continue
		}
		b.WriteString(line)
		typ, rest, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		name, _, _ := strings.Cut(rest, " ")
		res := r.Find(typ, name)
		if res == nil {
			continue
		}
		writeValue(&b, 1, Masked(res.Inputs))
	}
	return b.String()
}

func writeValue(b *strings.Builder, depth int, v any) {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(t)) {
			writeEntry(b, depth, k, t[k])
		}
	case []any:
		for i, e := range t {
			writeEntry(b, depth, fmt.Sprintf("[%d]", i), e)
		}
	}
}

// writeEntry writes one key and its value: a nested value below it, a
// string as writeString does, a scalar on the line.
func writeEntry(b *strings.Builder, depth int, key string, v any) {
	indent := strings.Repeat("  ", depth)
	switch e := v.(type) {
	case map[string]any, []any:
		fmt.Fprintf(b, "%s%s:\n", indent, key)
		writeValue(b, depth+1, e)
	case string:
		writeString(b, indent, key, e)
	default:
		fmt.Fprintf(b, "%s%s: %s\n", indent, key, scalar(e))
	}
}

func writeString(b *strings.Builder, indent, key, s string) {
	if dec, err := base64.StdEncoding.DecodeString(s); err == nil && len(s) > 64 && utf8.Valid(dec) && strings.Contains(string(dec), "\n") {
		s = string(dec)
		key += " (base64)"
	}
	if !strings.Contains(s, "\n") {
		fmt.Fprintf(b, "%s%s: %q\n", indent, key, s)
		return
	}
	fmt.Fprintf(b, "%s%s: |\n", indent, key)
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		fmt.Fprintf(b, "%s  %s\n", indent, l)
	}
}

func scalar(v any) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(v)
}
