package plan

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// ignoreSet is a resource's ignoreChanges option, parsed the way the
// engine parses it (processIgnoreChanges in the engine's step generator):
// every entry is a property path (resource.ParsePropertyPath), so it can
// name a nested object key (clone.templateUuid,
// extraConfig["guestinfo.userdata"]), a list element (disks[0].size) or,
// with `*`, any one key or element at its level (tags[*], a.b[*].c).
type ignoreSet []resource.PropertyPath

// parseIgnoreChanges parses ignoreChanges entries. An entry that does not
// parse is dropped, as the engine drops it; so is the empty entry, which
// parses to the empty path and would otherwise cover every input (the
// engine rejects it rather than ignoring everything).
func parseIgnoreChanges(entries []string) ignoreSet {
	var out ignoreSet
	for _, e := range entries {
		p, err := resource.ParsePropertyPath(e)
		if err != nil || len(p) == 0 {
			continue
		}
		out = append(out, p)
	}
	return out
}

// covers reports whether a change at path is ignored: some ignored path
// equals it or is a prefix of it, `*` matching any one key or index. The
// elements of path are object keys (string) and list indices (int).
func (s ignoreSet) covers(path resource.PropertyPath) bool {
	for _, p := range s {
		if p.Contains(path) {
			return true
		}
	}
	return false
}

// childPath returns path extended by one key or index, without sharing
// the backing array of path (siblings are built from the same prefix).
func childPath(path resource.PropertyPath, elem any) resource.PropertyPath {
	out := make(resource.PropertyPath, len(path), len(path)+1)
	copy(out, path)
	return append(out, elem)
}
