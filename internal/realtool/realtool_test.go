package realtool_test

import (
	"testing"

	"github.com/hawebtier/hawebtier/internal/realtool"
)

// recorder stands in for a test: it records whether Need failed or
// skipped it.
type recorder struct {
	testing.TB
	failed, skipped bool
}

// stopped ends the recorded test, as Fatal and Skip end a real one.
type stopped struct{}

func (r *recorder) Fatal(...any) { r.failed = true; panic(stopped{}) }
func (r *recorder) Skip(...any)  { r.skipped = true; panic(stopped{}) }

func need(r *recorder, program string) {
	defer func() {
		if p := recover(); p != nil && p != (stopped{}) {
			panic(p)
		}
	}()
	realtool.Need(r, program)
}

// TestMissingProgramFailsWhenRequired: the README's test command sets
// HAWEBTIER_REAL_TOOLS=required, so a missing program fails its test; a
// plain `go test` outside CI skips it.
func TestMissingProgramFailsWhenRequired(t *testing.T) {
	cases := map[string]struct {
		ci, required string
		wantFail     bool
	}{
		"README's test command": {"", "required", true},
		"CI":                    {"true", "", true},
		"plain go test":         {"", "", false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			t.Setenv(realtool.EnvRequired, tc.required)
			r := &recorder{TB: t}
			need(r, "hawebtier-no-such-program")
			if r.failed != tc.wantFail || r.skipped == tc.wantFail {
				t.Errorf("failed %v skipped %v, want failed %v", r.failed, r.skipped, tc.wantFail)
			}
		})
	}
}
