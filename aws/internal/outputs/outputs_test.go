package outputs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/internal/outputs"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

func TestAtFailsPastTheEndInsteadOfPanicking(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		index   int
		wantErr string
	}{
		"inside":       {1, ""},
		"past the end": {2, "ids: element 2 of a list of 2"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got string
			_, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
				arr := pulumi.ToStringArray([]string{"a", "b"}).ToStringArrayOutput()
				// Exported, so the run waits for it (and fails with it).
				ctx.Export("element", outputs.At(arr, tc.index, "ids").ApplyT(func(s string) string { got = s; return s }))
				return nil
			}, mocktest.Options{})
			switch {
			case tc.wantErr == "" && (err != nil || got != "b"):
				t.Errorf("At(%d) = %q, %v; want b", tc.index, got, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("At(%d): error %v, want %q", tc.index, err, tc.wantErr)
			}
		})
	}
}
