package stacks

import (
	"cmp"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
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
// renames maps a field whose config key is spelt otherwise, or lives in
// another config object, from its Go path to its config path: relative to
// k ("name"), or a whole key ("hawebtier:aws.network.cidr", "aws:region": any key with a colon, for a value
// the program passes from elsewhere). A rename of a prefix
// ("Topology.domain") covers the paths below it.
func (ps *problems) addError(k string, cfg reflect.Type, err error, renames map[string]string) {
	if err == nil {
		return
	}
	list, ok := problem.Of(err)
	if !ok {
		ps.add(k, "%s", err)
		return
	}
	for _, p := range list {
		field := rename(p.Field, renames)
		key, known := field, true
		if !strings.Contains(field, ":") {
			key, known = configKey(k, cfg, field)
		}
		msg := p.Message
		if !known {
			// A field the program fills in (an id another component
			// provides), or one this config does not set: the message names
			// it and the component instance (`database "db": SubnetIDs:
			// ...`), so a broken wiring is still traceable.
			msg = p.String()
		}
		ps.add(key, "%s", msg)
	}
}

// merge adds the component problems of more, the first one per key and
// none under a key that already has a problem: the stack's own check of a
// value (the config type, a rule between components) comes first, and
// several components take some values (the VPC's CIDR reaches the
// gateway, the VPN and the peering, which each check it for overlaps), so
// one wrong value would otherwise be reported once per component.
func (ps *problems) merge(more *problems) {
	has := map[string]bool{}
	for _, p := range ps.list {
		has[p.Key] = true
	}
	for _, p := range more.list {
		if has[p.Key] {
			continue
		}
		has[p.Key] = true
		ps.list = append(ps.list, p)
	}
}

// configKey turns a component's field path into the config key under k
// that feeds it, when cfg (the Go type of k's config object) has that
// path: each Go field name by the json name of the field (promoted
// fields of embedded structs included), or, for a field without a json
// tag, by the name spelt as the config spells names ("Web.InstanceType"
// is "web.instanceType", "Contacts[0].Email" "contacts[0].email",
// "AllocatedStorageGB" "allocatedStorageGb", DatabaseArgs's DBName, tagged
// "name", "name"). known is false, and the key k itself, when the config
// has no such path, or the field is one the program sets (tagged "-").
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
		f, jsonName, ok := configField(t, name)
		if !ok {
			return k, false
		}
		path.WriteString("." + jsonName)
		t = f.Type
		if index != "" {
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			switch t.Kind() {
			case reflect.Slice:
				path.WriteString("[" + index)
			case reflect.Map: // Sizes[web]: sizes.web
				path.WriteString("." + strings.TrimSuffix(index, "]"))
			default:
				return k, false
			}
			t = t.Elem()
		}
	}
	return k + path.String(), true
}

// configField finds the field a component's path segment names in the
// config type t: a Go field name (a component's args used as the config)
// or a config name spelt from it (a config struct of the stack's own).
func configField(t reflect.Type, name string) (reflect.StructField, string, bool) {
	if f, ok := t.FieldByName(name); ok {
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch tag {
		case "-":
			return f, "", false
		case "":
		default:
			return f, tag, true
		}
	}
	f, ok := fieldByJSON(t, lowerCamel(name))
	return f, lowerCamel(name), ok
}

// pluralInitialism reports whether r[i] is the s of an initialism's plural
// at the end of a word (the s of CIDRs, not the S of CIDRSet).
func pluralInitialism(r []rune, i int) bool {
	return r[i] == 's' && (i+1 == len(r) || unicode.IsUpper(r[i+1]))
}

// rename applies the longest rename whose Go path is field or a prefix of
// it. A "[*]" in a rename stands for any index, which the config path
// keeps ("Topology.lbs[*].address": "addresses.lb[*]").
func rename(field string, renames map[string]string) string {
	froms := slices.Collect(maps.Keys(renames))
	slices.SortFunc(froms, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	for _, from := range froms {
		to := renames[from]
		if strings.Contains(from, "[*]") {
			re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(from), `\[\*\]`, `(\[[0-9]+\])`) + "($|[.[])")
			m := re.FindStringSubmatchIndex(field)
			if m == nil {
				continue
			}
			out := to
			for i := 1; 2*i < len(m)-2; i++ {
				out = strings.Replace(out, "[*]", field[m[2*i]:m[2*i+1]], 1)
			}
			end := m[len(m)-2]
			return out + field[end:]
		}
		if field == from || strings.HasPrefix(field, from+".") || strings.HasPrefix(field, from+"[") {
			return to + field[len(from):]
		}
	}
	return field
}

// fieldByJSON finds the field of t (promoted fields of embedded structs
// included, an outer field first) whose json name is name.
func fieldByJSON(t reflect.Type, name string) (reflect.StructField, bool) {
	for _, f := range reflect.VisibleFields(t) {
		if f.Anonymous {
			continue
		}
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == name {
			if outer, ok := t.FieldByName(f.Name); ok && outer.Index[0] == f.Index[0] && len(outer.Index) == len(f.Index) {
				return f, true
			}
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
