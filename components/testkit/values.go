package testkit

import (
	"sort"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Plain turns a property value into plain Go values (string, float64, bool,
// []any, map[string]any, nil), unwrapping secrets and known outputs.
// Unknown values become nil; resource references become their URN.
func Plain(v resource.PropertyValue) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		out := make([]any, 0, len(v.ArrayValue()))
		for _, e := range v.ArrayValue() {
			out = append(out, Plain(e))
		}
		return out
	case v.IsObject():
		return PlainMap(v.ObjectValue())
	case v.IsSecret():
		return Plain(v.SecretValue().Element)
	case v.IsOutput():
		o := v.OutputValue()
		if !o.Known {
			return nil
		}
		return Plain(o.Element)
	case v.IsComputed():
		return nil
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsAsset():
		a := v.AssetValue()
		return map[string]any{"text": a.Text, "path": a.Path, "uri": a.URI}
	case v.IsArchive():
		return map[string]any{"archive": v.ArchiveValue().Hash}
	}
	return nil
}

// PlainMap is Plain for a whole property map.
func PlainMap(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = Plain(v)
	}
	return out
}

// isSecret reports whether a value is marked secret at its own level.
func isSecret(v resource.PropertyValue) bool {
	if v.IsSecret() {
		return true
	}
	return v.IsOutput() && v.OutputValue().Secret
}

// SecretPaths lists the property paths (dotted, with [i] for array
// elements) whose values are marked secret, sorted.
func SecretPaths(m resource.PropertyMap) []string {
	var paths []string
	var walk func(prefix string, v resource.PropertyValue)
	walk = func(prefix string, v resource.PropertyValue) {
		if isSecret(v) {
			paths = append(paths, prefix)
			return
		}
		switch {
		case v.IsOutput() && v.OutputValue().Known:
			walk(prefix, v.OutputValue().Element)
		case v.IsArray():
			for i, e := range v.ArrayValue() {
				walk(prefix+"["+strconv.Itoa(i)+"]", e)
			}
		case v.IsObject():
			for k, e := range v.ObjectValue() {
				walk(prefix+"."+string(k), e)
			}
		}
	}
	for k, v := range m {
		walk(string(k), v)
	}
	sort.Strings(paths)
	return paths
}

// Masked returns the plain form of m with every secret value replaced by
// the string "[secret]", for output that people read.
func Masked(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = masked(v)
	}
	return out
}

func masked(v resource.PropertyValue) any {
	if isSecret(v) {
		return SecretMask
	}
	switch {
	case v.IsOutput() && v.OutputValue().Known:
		return masked(v.OutputValue().Element)
	case v.IsArray():
		out := make([]any, 0, len(v.ArrayValue()))
		for _, e := range v.ArrayValue() {
			out = append(out, masked(e))
		}
		return out
	case v.IsObject():
		return Masked(v.ObjectValue())
	}
	return Plain(v)
}

// SecretMask replaces secret values in masked output.
const SecretMask = "[secret]"
