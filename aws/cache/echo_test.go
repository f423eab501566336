package cache_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/cache"
	"github.com/hawebtier/hawebtier/components/testkit"
)

// TestNoPanicUnderAnEchoMock runs the component under the mock a new user
// writes first: every resource answers with its inputs only (no endpoint,
// no member clusters, no generated auth token). Reading a missing output
// must end the run with an error or a result, never a panic.
func TestNoPanicUnderAnEchoMock(t *testing.T) {
	t.Parallel()
	cases := map[string]*cache.CacheArgs{
		"staging":    validArgs(false),
		"production": validArgs(true),
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
				c, err := cache.NewCache(ctx, "cache", args)
				if err != nil {
					return err
				}
				testkit.ExportOutputs(ctx, "", c)
				return nil
			}, testkit.Options{EchoInputs: true})
			testkit.RequireNoPanic(t, res, err, cache.TypeToken)
		})
	}
}
