package stacks

import (
	"fmt"
	"sort"
	"strings"
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

// addError adds a component's validation error under the config key k, one
// problem per line of its message (components join their problems with
// newlines; multierror adds a header line).
func (ps *problems) addError(k string, err error) {
	if err == nil {
		return
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimPrefix(strings.TrimSpace(line), "* ")
		if line != "" && !strings.HasSuffix(line, "occurred:") {
			ps.add(k, "%s", line)
		}
	}
}
