package mocktest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/hawebtier/hawebtier/internal/mocktest"
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
	res, err := mocktest.Run(context.Background(), program, mocktest.Options{
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
		t.Fatalf("missing resources:\n%s", mocktest.GoldenList(res))
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
	masked := mocktest.Masked(second.Inputs)
	if masked["password"] != mocktest.SecretMask {
		t.Errorf("masked password = %v", masked["password"])
	}
}

func TestIDsAreDeterministic(t *testing.T) {
	t.Parallel()
	a, err := mocktest.Run(context.Background(), program, mocktest.Options{Config: map[string]string{"hawebtier:password": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := mocktest.Run(context.Background(), program, mocktest.Options{Config: map[string]string{"hawebtier:password": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Resources {
		if a.Resources[i].ID != b.Resources[i].ID {
			t.Errorf("%s: id %s then %s", a.Resources[i].URN, a.Resources[i].ID, b.Resources[i].ID)
		}
	}
	if mocktest.DeterministicID("t:a:A", "x") == mocktest.DeterministicID("t:a:A", "y") {
		t.Error("different names gave the same id")
	}
}

func TestRunReturnsProgramError(t *testing.T) {
	t.Parallel()
	_, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		var out struct{}
		return ctx.Invoke("test:index:unknown", nil, &out)
	}, mocktest.Options{})
	if err == nil || !strings.Contains(err.Error(), "no canned answer") {
		t.Fatalf("err = %v, want the missing canned answer named", err)
	}
}

func TestLoadStackAppliesDefaultsAndMasksSecure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Pulumi.yaml", `name: proj
runtime: go
stackConfigDir: stacks
config:
  size:
    type: integer
    default: 2
  tier:
    type: object
    default: {count: 2}
  name:
    type: string
    default: x
  token:
    type: string
    secret: true
`)
	write("stacks/Pulumi.s1.yaml", `config:
  proj:name: set
  proj:token:
    secure: v1:abc:def
  proj:obj:
    a: [1, 2]
    b: {secure: v1:x:y}
  aws:region: eu-west-1
`)
	opts, err := mocktest.LoadStack(dir, "s1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"proj:size":  "2",
		"proj:tier":  `{"count":2}`,
		"proj:name":  "set",
		"proj:token": mocktest.SecretPlaceholder("proj:token"),
		"proj:obj":   `{"a":[1,2],"b":"` + mocktest.SecretPlaceholder("proj:obj") + `"}`,
		"aws:region": "eu-west-1",
	}
	if diff := cmp.Diff(want, opts.Config); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"proj:obj", "proj:token"}, opts.SecretKeys); diff != "" {
		t.Errorf("secret keys (-want +got):\n%s", diff)
	}
	if _, err := mocktest.LoadStack(dir, "missing"); err == nil {
		t.Error("a missing stack file loaded")
	}
}

// TestLoadStackRefusesWhatTheCLIRefuses runs the harness's loader on every
// case under testdata/configcases: a project file, a stack file and the
// CLI's answer (want.txt: "ok", or the error the CLI prints). The same
// cases run through the real Pulumi CLI in internal/pulumicli, so the two
// cannot drift apart.
func TestLoadStackRefusesWhatTheCLIRefuses(t *testing.T) {
	t.Parallel()
	cases, err := mocktest.ConfigCases(filepath.Join("testdata", "configcases"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 5 {
		t.Fatalf("found %d cases, want the whole table", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			_, err := mocktest.LoadStack(c.Dir, "s")
			switch {
			case c.Want == "ok" && err != nil:
				t.Fatalf("the CLI accepts this stack; the harness refused it: %v", err)
			case c.Want != "ok" && err == nil:
				t.Fatalf("the CLI refuses this stack (%s); the harness accepted it", c.Want)
			case c.Want != "ok" && !strings.Contains(err.Error(), c.Want):
				t.Fatalf("err = %v, want the CLI's %q", err, c.Want)
			}
		})
	}
}
