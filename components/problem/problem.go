package problem

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with one field of a component's args.
type Problem struct {
	Component string // e.g. "database"
	Field     string // the field path, e.g. "Web.InstanceType"
	Message   string
}

func (p Problem) String() string {
	if p.Component == "" {
		return p.Field + ": " + p.Message
	}
	return p.Component + ": " + p.Field + ": " + p.Message
}

// List collects a component's problems while it validates its args.
type List struct {
	Component string
	problems  []Problem
}

// Add records a problem of field; format and args say what is wrong.
func (l *List) Add(field, format string, args ...any) {
	l.problems = append(l.problems, Problem{Component: l.Component, Field: field, Message: fmt.Sprintf(format, args...)})
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
		l.problems = append(l.problems, Problem{Component: l.Component, Field: prefix + p.Field, Message: p.Message})
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
