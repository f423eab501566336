package testkit

import (
	"fmt"
	"strings"
	"testing"
)

// StackType is the type of the stack resource every program registers.
const StackType = "pulumi:pulumi:Stack"

// MustFind returns the resource of type typ named name, or fails t at once
// with what was registered instead.
func MustFind(t testing.TB, res *Result, typ, name string) *Resource {
	t.Helper()
	r := res.Find(typ, name)
	if r == nil {
		t.Fatalf("no %s %q in:\n%s", typ, name, listing(res))
	}
	return r
}

// listing is one "type name" line per registered resource, for a failure
// message that shows what the test should have looked for.
func listing(res *Result) string {
	if res == nil {
		return "(no result)\n"
	}
	var b strings.Builder
	for _, r := range res.Resources {
		fmt.Fprintf(&b, "%s %s\n", r.Type, r.Name)
	}
	return b.String()
}

// RequireNothingRegistered fails t for every resource in res besides the
// stack and resources of the ignored types (such as a provider the test
// itself created): a component that rejects its args registers nothing.
// A nil res holds nothing.
func RequireNothingRegistered(t testing.TB, res *Result, ignore ...string) {
	t.Helper()
	if res == nil {
		return
	}
	ignored := map[string]bool{StackType: true}
	for _, typ := range ignore {
		ignored[typ] = true
	}
	for _, r := range res.Resources {
		if !ignored[r.Type] {
			t.Errorf("registered %s %s on bad args", r.Type, r.Name)
		}
	}
}

// RequireErrorMentions fails t at once if err is nil, and once for every
// want its message does not contain.
func RequireErrorMentions(t testing.TB, err error, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("want an error")
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
}

// RequireNoPanic is the check of a run under Options.EchoInputs: the
// program ended with an error or a result, not a panic (Run turns a panic
// into an error that says so), and it reached the component: exactly one
// resource of the component's type token was registered.
func RequireNoPanic(t testing.TB, res *Result, err error, token string) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), "panic") {
		t.Fatalf("panicked under an echo mock: %v", err)
	}
	if n := len(res.OfType(token)); n != 1 {
		t.Fatalf("%d %s registered (error %v): the case did not reach the component", n, token, err)
	}
	t.Logf("%d resources, error: %v", len(res.Resources), err)
}
