package testkit_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/testkit"
)

// recorder is a testing.TB that records failures instead of failing the
// test; Fatal* end the goroutine like the real ones do.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.mu.Lock()
	r.fatal = true
	r.mu.Unlock()
	runtime.Goexit()
}

// check runs fn against a fresh recorder in its own goroutine, so that a
// Fatal ends only fn.
func check(fn func(testing.TB)) *recorder {
	r := &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(r)
	}()
	<-done
	return r
}

func TestMustFind(t *testing.T) {
	t.Parallel()
	res, err := testkit.Run(context.Background(), program, testkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got *testkit.Resource
	if r := check(func(tb testing.TB) { got = testkit.MustFind(tb, res, "test:index:Thing", "first") }); r.fatal || len(r.errors) != 0 {
		t.Errorf("MustFind of a registered resource failed: %v", r.errors)
	}
	if got == nil || got.Name != "first" {
		t.Errorf("MustFind returned %+v, want the resource named first", got)
	}
	r := check(func(tb testing.TB) { testkit.MustFind(tb, res, "test:index:Thing", "third") })
	if !r.fatal || len(r.errors) != 1 || !strings.Contains(r.errors[0], `no test:index:Thing "third"`) || !strings.Contains(r.errors[0], "first") {
		t.Errorf("MustFind of a missing resource: fatal=%v errors=%q, want one fatal listing what was registered", r.fatal, r.errors)
	}
}

func TestRequireNothingRegistered(t *testing.T) {
	t.Parallel()
	rejecting := func(ctx *pulumi.Context) error { return errors.New("bad args") }
	nothing, err := testkit.Run(context.Background(), rejecting, testkit.Options{})
	if err == nil {
		t.Fatal("the rejecting program returned no error")
	}
	something, err := testkit.Run(context.Background(), program, testkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		res    *testkit.Result
		ignore []string
		want   []string
	}{
		"only the stack": {res: nothing},
		"nil result":     {res: nil},
		"resources": {res: something, want: []string{
			"registered hawebtier:test:Comp comp on bad args",
			"registered test:index:Thing first on bad args",
			"registered test:index:Thing second on bad args",
		}},
		"ignored types": {res: something, ignore: []string{"test:index:Thing"}, want: []string{
			"registered hawebtier:test:Comp comp on bad args",
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := check(func(tb testing.TB) { testkit.RequireNothingRegistered(tb, tc.res, tc.ignore...) })
			sort.Strings(r.errors) // in the order the engine recorded them
			if diff := cmp.Diff(tc.want, r.errors); diff != "" || r.fatal {
				t.Errorf("failures (-want +got), fatal=%v:\n%s", r.fatal, diff)
			}
		})
	}
}

func TestRequireErrorMentions(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		err   error
		wants []string
		fatal bool
		want  []string
	}{
		"all mentioned": {err: errors.New("cache: Nodes: got 1"), wants: []string{"Nodes:", "got 1"}},
		"one missing": {err: errors.New("cache: Nodes: got 1"), wants: []string{"Nodes:", "VpcID:"},
			want: []string{`error "cache: Nodes: got 1" does not mention "VpcID:"`}},
		"no error": {wants: []string{"Nodes:"}, fatal: true, want: []string{"want an error"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := check(func(tb testing.TB) { testkit.RequireErrorMentions(tb, tc.err, tc.wants...) })
			if diff := cmp.Diff(tc.want, r.errors); diff != "" || r.fatal != tc.fatal {
				t.Errorf("failures (-want +got), fatal=%v want %v:\n%s", r.fatal, tc.fatal, diff)
			}
		})
	}
}
