package mocktest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/internal/mocktest"
)

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
