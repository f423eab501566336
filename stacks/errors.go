package stacks

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode"

	"github.com/hawebtier/hawebtier/components/problem"
)

// Problem is one invalid config value: the full key path and what was
// expected, e.g. `hawebtier:web.count: need at least 2 web servers for HA, got 1`.
type Problem struct {
	Key     string
	Message string
}

func (p Problem) String() string { return p.Key + ": " + p.Message }

// ConfigError lists every problem found in a stack's config. The program
// registers no resource when it returns one.
type ConfigError struct {
	Stack    string
	Problems []Problem
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid config for stack %q (%d problem", e.Stack, len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Has reports whether some problem is about key (exactly) and its message
// contains substr.
func (e *ConfigError) Has(key, substr string) bool {
	for _, p := range e.Problems {
		if p.Key == key && strings.Contains(p.Message, substr) {
			return true
		}
	}
	return false
}

// problems collects problems while validating.
type problems struct{ list []Problem }

func (ps *problems) add(key, format string, args ...any) {
	ps.list = append(ps.list, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) sorted() []Problem {
	out := append([]Problem(nil), ps.list...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// addError adds a component's validation error: each of its problems
// (components/problem) under the config key that fed the field (see
// configKey), the component's own message unchanged. k is the key of the
// config object the component's args come from ("hawebtier:aws.database")
// and cfg that object's Go type. An error that carries no problems (a
// component still reporting plain errors) goes under k whole.
//
// renames maps a field whose config key is spelt otherwise (the
// component's DBName is the config's name) from its Go path to its config
// path under k; a rename of a prefix ("Topology.domain") covers the paths
// below it.
func (ps *problems) addError(k string, cfg reflect.Type, err error, renames map[string]string) {
	if err == nil {
		return
	}
	list, ok := problem.Of(err)
	if !ok {
		ps.add(k, "%v", err)
		return
	}
	for _, p := range list {
		key, known := configKey(k, cfg, rename(p.Field, renames))
		msg := p.Message
		if !known {
			// A field the program fills in (an id another component
			// provides), or one this config does not set: the message names
			// it, so a broken wiring is still traceable.
			msg = p.Component + ": " + p.Field + ": " + p.Message
		}
		ps.add(key, "%s", msg)
	}
}

// configKey turns a component's field path into the config key under k
// that feeds it, when cfg (the Go type of k's config object) has that
// path by its json names: "Web.InstanceType" is "web.instanceType",
// "Contacts[0].Email" "contacts[0].email", "AllocatedStorageGB"
// "allocatedStorageGb". known is false, and the key k itself, when the
// config has no such path.
func configKey(k string, cfg reflect.Type, field string) (key string, known bool) {
	if cfg == nil || field == "" {
		return k, false
	}
	t := cfg
	var path strings.Builder
	for _, seg := range strings.Split(field, ".") {
		name, index, _ := strings.Cut(seg, "[")
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return k, false
		}
		f, ok := fieldByJSON(t, lowerCamel(name))
		if !ok {
			return k, false
		}
		path.WriteString("." + lowerCamel(name))
		t = f.Type
		if index != "" {
			path.WriteString("[" + index)
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			if t.Kind() != reflect.Slice {
				return k, false
			}
			t = t.Elem()
		}
	}
	return k + path.String(), true
}

// pluralInitialism reports whether r[i] is the s of an initialism's plural
// at the end of a word (the s of CIDRs, not the S of CIDRSet).
func pluralInitialism(r []rune, i int) bool {
	return r[i] == 's' && (i+1 == len(r) || unicode.IsUpper(r[i+1]))
}

func rename(field string, renames map[string]string) string {
	for from, to := range renames {
		if field == from || strings.HasPrefix(field, from+".") || strings.HasPrefix(field, from+"[") {
			return to + field[len(from):]
		}
	}
	return field
}

func fieldByJSON(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// lowerCamel spells a Go field name as the config does: the first word
// lowercase, an initialism as a word (AllocatedStorageGB:
// allocatedStorageGb, NATGatewayPerAZ: natGatewayPerAz, OnPremCIDRs:
// onPremCidrs).
func lowerCamel(name string) string {
	var words []string
	r := []rune(name)
	start := 0
	for i := 1; i <= len(r); i++ {
		// A word starts at an upper-case letter after a lower-case one, or
		// at the last capital of an initialism that a lower-case word
		// follows (NATGateway: NAT, Gateway), but for a plural initialism
		// (CIDRs).
		switch {
		case i == len(r):
		case unicode.IsUpper(r[i]) && !unicode.IsUpper(r[i-1]):
		case unicode.IsUpper(r[i]) && unicode.IsUpper(r[i-1]) && i+1 < len(r) && unicode.IsLower(r[i+1]) && !pluralInitialism(r, i+1):
		default:
			continue
		}
		words = append(words, string(r[start:i]))
		start = i
	}
	var b strings.Builder
	for i, w := range words {
		w = strings.ToLower(w)
		if i > 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
	}
	return b.String()
}
