package testkit_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/hawebtier/hawebtier/components/testkit"
)

// testResource is a custom resource type for the tests; the harness does not
// need a provider SDK to record it.
type testResource struct {
	pulumi.CustomResourceState
}

type testComponent struct {
	pulumi.ResourceState
}

func program(ctx *pulumi.Context) error {
	comp := &testComponent{}
	if err := ctx.RegisterComponentResource("hawebtier:test:Comp", "comp", comp); err != nil {
		return err
	}
	first := &testResource{}
	if err := ctx.RegisterResource("test:index:Thing", "first", pulumi.Map{
		"size": pulumi.Int(3),
	}, first, pulumi.Parent(comp), pulumi.Protect(true)); err != nil {
		return err
	}
	pw := config.GetSecret(ctx, "hawebtier:password")
	second := &testResource{}
	return ctx.RegisterResource("test:index:Thing", "second", pulumi.Map{
		"fromFirst": first.ID(),
		"password":  pw,
		"nested":    pulumi.Map{"inner": pulumi.ToSecret(pulumi.String("s3cr3t"))},
	}, second, pulumi.Parent(comp), pulumi.DependsOn([]pulumi.Resource{first}),
		pulumi.IgnoreChanges([]string{"nested"}), pulumi.DeleteBeforeReplace(true), pulumi.RetainOnDelete(true))
}

func TestRunRecordsGraph(t *testing.T) {
	t.Parallel()
	res, err := testkit.Run(context.Background(), program, testkit.Options{
		Config:     map[string]string{"hawebtier:password": "hunter2"},
		SecretKeys: []string{"hawebtier:password"},
	})
	if err != nil {
		t.Fatal(err)
	}
	comp := res.Find("hawebtier:test:Comp", "comp")
	first := res.Find("test:index:Thing", "first")
	second := res.Find("test:index:Thing", "second")
	if comp == nil || first == nil || second == nil {
		t.Fatalf("missing resources: comp %v first %v second %v", comp, first, second)
	}
	if comp.Custom || !first.Custom {
		t.Errorf("custom flags: comp %v first %v", comp.Custom, first.Custom)
	}
	if first.Parent != comp.URN || second.Parent != comp.URN {
		t.Errorf("parents: %s %s, want %s", first.Parent, second.Parent, comp.URN)
	}
	if comp.Parent != res.StackURN() {
		t.Errorf("component parent %s, want the stack %s", comp.Parent, res.StackURN())
	}
	if !first.Protect || second.Protect {
		t.Errorf("protect: first %v second %v", first.Protect, second.Protect)
	}
	if !second.RetainOnDelete || !second.DeleteBeforeReplace {
		t.Errorf("second: retain %v dbr %v", second.RetainOnDelete, second.DeleteBeforeReplace)
	}
	if diff := cmp.Diff([]string{"nested"}, second.IgnoreChanges); diff != "" {
		t.Errorf("ignoreChanges (-want +got):\n%s", diff)
	}
	if !res.DependsOn(second, first) || res.DependsOn(first, second) {
		t.Errorf("DependsOn: second->first %v first->second %v", res.DependsOn(second, first), res.DependsOn(first, second))
	}
	if diff := cmp.Diff([]string{first.URN}, second.PropertyDependencies["fromFirst"]); diff != "" {
		t.Errorf("property dependency of fromFirst (-want +got):\n%s", diff)
	}
	if got := second.String("fromFirst"); got != first.ID || !strings.HasPrefix(got, "first-") {
		t.Errorf("fromFirst = %q, want first's id %q", got, first.ID)
	}
	if diff := cmp.Diff([]string{"nested.inner", "password"}, second.SecretPaths); diff != "" {
		t.Errorf("secret paths (-want +got):\n%s", diff)
	}
	if got := second.String("password"); got != "hunter2" {
		t.Errorf("password plain value %q", got)
	}
	masked := testkit.Masked(second.Inputs)
	if masked["password"] != testkit.SecretMask {
		t.Errorf("masked password = %v", masked["password"])
	}
}

func TestIDsAreDeterministic(t *testing.T) {
	t.Parallel()
	a, err := testkit.Run(context.Background(), program, testkit.Options{Config: map[string]string{"hawebtier:password": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := testkit.Run(context.Background(), program, testkit.Options{Config: map[string]string{"hawebtier:password": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Resources {
		if a.Resources[i].ID != b.Resources[i].ID {
			t.Errorf("%s: id %s then %s", a.Resources[i].URN, a.Resources[i].ID, b.Resources[i].ID)
		}
	}
	if testkit.DeterministicID("t:a:A", "x") == testkit.DeterministicID("t:a:A", "y") {
		t.Error("different names gave the same id")
	}
}

func TestRunReturnsProgramError(t *testing.T) {
	t.Parallel()
	_, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		var out struct{}
		return ctx.Invoke("test:index:unknown", nil, &out)
	}, testkit.Options{})
	if err == nil || !strings.Contains(err.Error(), "no canned answer") {
		t.Fatalf("err = %v, want the missing canned answer named", err)
	}
}
