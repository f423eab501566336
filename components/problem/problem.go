package problem

import (
	"fmt"
	"strconv"
	"strings"
)

// Problem is one thing wrong with one field of a component's args.
type Problem struct {
	Component string // e.g. "database"
	Instance  string // the name the component was given, e.g. "orders"
	Field     string // the field path, e.g. "Web.InstanceType"
	Message   string
}

// String is the problem in the one format of every component error:
// `<component> "<instance>": <field>: <message>` (Prefix, then the field
// and the message). An empty part is left out with its separator.
func (p Problem) String() string {
	parts := make([]string, 0, 3)
	for _, s := range []string{Prefix(p.Component, p.Instance), p.Field, p.Message} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ": ")
}

// Prefix is how every error of a component instance begins: the component
// and the quoted instance name, `database "orders"`. Without an instance
// (a pure function, such as a renderer's check) it is the component alone;
// without a component, the quoted instance.
func Prefix(component, instance string) string {
	switch {
	case instance == "":
		return component
	case component == "":
		return strconv.Quote(instance)
	}
	return component + " " + strconv.Quote(instance)
}

// Errorf is an error of a component instance that is not about one field
// of its args (a lookup that failed, a provider output that is missing):
// `<component> "<instance>": <message>`, the message formatted as
// fmt.Errorf does (what it wraps with %w, the error wraps too).
func Errorf(component, instance, format string, args ...any) error {
	return fmt.Errorf("%s: %w", Prefix(component, instance), fmt.Errorf(format, args...))
}

// List collects a component's problems while it validates its args.
type List struct {
	Component string
	// Instance is the name of the component instance the args are for (the
	// name its constructor or Validate got); empty for a pure function.
	Instance string
	problems []Problem
}

// Add records a problem of field; format and args say what is wrong.
func (l *List) Add(field, format string, args ...any) {
	l.problems = append(l.problems, Problem{Component: l.Component, Instance: l.Instance, Field: field, Message: fmt.Sprintf(format, args...)})
}

// Include adds the problems of a sub-component's error (one the component
// validates for its caller, e.g. the edge's web ACL) as the component's
// own, each field under prefix ("Shield." + "Contacts[0].Email"). An error
// that carries no problems is added whole under prefix.
func (l *List) Include(prefix string, err error) {
	if err == nil {
		return
	}
	ps, ok := Of(err)
	if !ok {
		l.Add(strings.TrimSuffix(prefix, "."), "%v", err)
		return
	}
	for _, p := range ps {
		l.problems = append(l.problems, Problem{Component: l.Component, Instance: l.Instance, Field: prefix + p.Field, Message: p.Message})
	}
}

// Len is the number of problems so far.
func (l *List) Len() int { return len(l.problems) }

// Err is nil without problems, else an *Error holding them in order.
func (l *List) Err() error {
	if len(l.problems) == 0 {
		return nil
	}
	return &Error{Problems: append([]Problem(nil), l.problems...)}
}

// Error is every problem of a component's args.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Of returns the problems err carries: those of every *Error in its tree
// (errors.Join and %w wrapping included). ok is false when err carries
// none, e.g. a plain error.
func Of(err error) (ps []Problem, ok bool) {
	var walk func(error)
	walk = func(err error) {
		// The walk visits every error of the tree itself, so it looks at each
		// one as it is (errors.As would stop at the first *Error).
		if pe, isProblems := err.(*Error); isProblems { //nolint:errorlint // see above
			ps = append(ps, pe.Problems...)
			ok = true
			return
		}
		switch u := err.(type) { //nolint:errorlint // unwrapping by hand, see above
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return ps, ok
}
