package stacks

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// decodeStrict decodes a config object into out and reports, with their
// full key paths, keys that out has no field for and values of the wrong
// type. A misspelt key is an error rather than a silently ignored value.
func decodeStrict(key string, raw []byte, out any, ps *problems) {
	var generic any
	if err := json.Unmarshal(raw, &generic); err != nil {
		ps.add(key, "not valid JSON/YAML object: %v", err)
		return
	}
	unknownKeys(key, generic, reflect.TypeOf(out), ps)
	if err := json.Unmarshal(raw, out); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			path := key
			if te.Field != "" {
				path = key + "." + te.Field
			}
			ps.add(path, "expected %s, got %s", friendlyType(te.Type), te.Value)
			return
		}
		ps.add(key, "%v", err)
	}
}

func friendlyType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

func unknownKeys(path string, v any, t reflect.Type, ps *problems) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch val := v.(type) {
	case map[string]any:
		if t.Kind() == reflect.Map {
			for k, e := range val {
				unknownKeys(path+"."+k, e, t.Elem(), ps)
			}
			return
		}
		if t.Kind() != reflect.Struct {
			return
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(val))
		for k := range val {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				known := make([]string, 0, len(fields))
				for f := range fields {
					known = append(known, f)
				}
				sort.Strings(known)
				ps.add(path+"."+k, "unknown key; expected one of: %s", strings.Join(known, ", "))
				continue
			}
			unknownKeys(path+"."+k, val[k], ft, ps)
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return
		}
		for i, e := range val {
			unknownKeys(fmt.Sprintf("%s[%d]", path, i), e, t.Elem(), ps)
		}
	}
}

// jsonFields are the config keys of struct type t, as encoding/json
// decodes them: a field by its json name, the fields of an embedded
// struct as t's own unless t has a field of that name (AWSNetworkConfig
// embeds network.NetworkArgs and replaces one of its fields).
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	var embedded []reflect.Type
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			embedded = append(embedded, f.Type)
			continue
		}
		// A field without a json name is not a config key: the config
		// objects name every key they take.
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		out[name] = f.Type
	}
	for _, e := range embedded {
		for name, ft := range jsonFields(e) {
			if _, shadowed := out[name]; !shadowed {
				out[name] = ft
			}
		}
	}
	return out
}
