package stacks_test

import (
	"context"
	"testing"

	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/stacks"
)

// TestComponentsNeverPanicUnderAnEchoMock runs every shipped stack (which
// together build every component) under the mock a new user writes first:
// resources answer with their inputs only (invokes keep their canned
// answers).
// A provider output a component reads is then missing; the run must end
// with an error or a result, never a panic (which would crash the test
// binary: an output list indexed without a guard does).
func TestComponentsNeverPanicUnderAnEchoMock(t *testing.T) {
	t.Parallel()
	for _, stack := range []string{"onprem-dev", "aws-staging", "aws-production"} {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			opts := loadStack(t, stack)
			opts.EchoInputs = true
			res, err := mocktest.Run(context.Background(), stacks.Run, opts)
			n := 0
			if res != nil {
				n = len(res.Resources)
			}
			t.Logf("%s under an echo mock: %d resources, error: %v", stack, n, err)
		})
	}
}
