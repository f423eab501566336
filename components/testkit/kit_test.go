package testkit_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/hawebtier/hawebtier/components/testkit"
)

// awsThing registers an AWS-typed resource, so the canned "aws:*" answer
// (an arn) applies, without compiling pulumi-aws.
func awsThing(ctx *pulumi.Context, name string, in pulumi.Map) (*testResource, error) {
	r := &testResource{}
	return r, ctx.RegisterResource("aws:test/thing:Thing", name, in, r)
}

func TestComputedAndOutputFollowEchoInputs(t *testing.T) {
	t.Parallel()
	program := func(ctx *pulumi.Context) error {
		_, err := awsThing(ctx, "db", pulumi.Map{"size": pulumi.Int(3)})
		return err
	}
	canned, err := testkit.Run(context.Background(), program, testkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db := canned.Find("aws:test/thing:Thing", "db")
	wantARN := testkit.AWSARN("db", nil)
	if got := db.Output("arn"); got != wantARN {
		t.Errorf("canned: Output(arn) = %v, want %s", got, wantARN)
	}
	if got := db.Output("size"); got != 3.0 {
		t.Errorf("canned: Output(size) = %v, want the input 3 echoed", got)
	}
	if d := cmp.Diff([]string{"arn"}, keys(db.Computed)); d != "" {
		t.Errorf("canned: Computed keys (-want +got):\n%s", d)
	}

	echo, err := testkit.Run(context.Background(), program, testkit.Options{EchoInputs: true})
	if err != nil {
		t.Fatal(err)
	}
	db = echo.Find("aws:test/thing:Thing", "db")
	if got := db.Output("arn"); got != nil || len(db.Computed) != 0 {
		t.Errorf("echo: Output(arn) = %v, Computed %v; want nothing invented", got, db.Computed)
	}
	if got := db.Output("size"); got != 3.0 {
		t.Errorf("echo: Output(size) = %v, want 3", got)
	}
}

func keys[M ~map[K]V, K ~string, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, string(k))
	}
	slices.Sort(out)
	return out
}

func TestInvokesOfAndProviderURN(t *testing.T) {
	t.Parallel()
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		p := &testProvider{}
		if err := ctx.RegisterResource("pulumi:providers:aws", "eu", pulumi.Map{"region": pulumi.String("eu-west-1")}, p); err != nil {
			return err
		}
		var out map[string]any
		if err := ctx.Invoke("aws:index/getRegion:getRegion", nil, &out, pulumi.Provider(p)); err != nil {
			return err
		}
		return ctx.Invoke("aws:index/getPartition:getPartition", nil, &out)
	}, testkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	regions := res.InvokesOf("aws:index/getRegion:getRegion")
	if len(regions) != 1 || len(res.Invokes) != 2 {
		t.Fatalf("InvokesOf(getRegion) = %v of %v, want the one call", regions, res.Invokes)
	}
	eu := res.Find("pulumi:providers:aws", "eu")
	if got := regions[0].ProviderURN(); got != eu.URN {
		t.Errorf("getRegion asked %q, want the explicit provider %s", got, eu.URN)
	}
	if got := res.InvokesOf("aws:index/getPartition:getPartition")[0].ProviderURN(); got != "" {
		t.Errorf("getPartition asked %q, want the default provider", got)
	}
}

type testProvider struct {
	pulumi.ProviderResourceState
}

func TestRunNamesAndPanics(t *testing.T) {
	t.Parallel()
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		if ctx.Project() != testkit.DefaultProject || ctx.Stack() != testkit.DefaultStack {
			return errors.New("wrong names: " + ctx.Project() + "/" + ctx.Stack())
		}
		return nil
	}, testkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "urn:pulumi:stack::project::pulumi:pulumi:Stack::project-stack"; res.StackURN() != want {
		t.Errorf("StackURN = %s, want %s", res.StackURN(), want)
	}
	_, err = testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		var list []string
		_ = list[3] // what an unguarded read of a provider's list does
		return nil
	}, testkit.Options{})
	testkit.RequireErrorMentions(t, err, "panicked", "index out of range")
}

// fakeComponent has the shapes of a component's fields: outputs set and
// unset, and fields that are not outputs.
type fakeComponent struct {
	pulumi.ResourceState
	Endpoint pulumi.StringOutput
	Broken   pulumi.StringOutput
	Unset    pulumi.StringOutput
	Count    int
	private  pulumi.StringOutput // reflect cannot read it: must be skipped
}

func TestExportOutputsSurfacesFailedOutputs(t *testing.T) {
	t.Parallel()
	var names []string
	_, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		c := &fakeComponent{
			Endpoint: pulumi.String("db:3306").ToStringOutput(),
			Broken: pulumi.String("x").ToStringOutput().ApplyT(func(string) (string, error) {
				return "", errors.New("provider returned no secretArn")
			}).(pulumi.StringOutput),
			Count:   2,
			private: pulumi.String("p").ToStringOutput(),
		}
		names = testkit.ExportOutputs(ctx, "db.", c)
		return nil
	}, testkit.Options{})
	if d := cmp.Diff([]string{"db.Endpoint", "db.Broken"}, names); d != "" {
		t.Errorf("exported (-want +got):\n%s", d)
	}
	testkit.RequireErrorMentions(t, err, "provider returned no secretArn")
}

func TestWithPlaceholderSecrets(t *testing.T) {
	t.Parallel()
	opts := testkit.Options{
		Config:     map[string]string{"app:dbPassword": "set", "app:region": "eu-west-1"},
		SecretKeys: []string{"app:dbPassword"},
	}.WithPlaceholderSecrets("app:dbPassword", "app:sshKey")
	want := map[string]string{"app:dbPassword": "set", "app:region": "eu-west-1", "app:sshKey": testkit.SecretPlaceholder("app:sshKey")}
	if d := cmp.Diff(want, opts.Config); d != "" {
		t.Errorf("config (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"app:dbPassword", "app:sshKey"}, opts.SecretKeys); d != "" {
		t.Errorf("secret keys (-want +got):\n%s", d)
	}
	var got string
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		key := config.RequireSecret(ctx, "app:sshKey")
		key.ApplyT(func(s string) string { got = s; return s })
		r := &testResource{}
		return ctx.RegisterResource("test:index:Thing", "t", pulumi.Map{"key": key}, r)
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got != "placeholder-secret-for-app-sshKey" || !slices.Equal(res.Find("test:index:Thing", "t").SecretPaths, []string{"key"}) {
		t.Errorf("program saw %q, secret paths %v; want the placeholder, still secret", got, res.Find("test:index:Thing", "t").SecretPaths)
	}
}
