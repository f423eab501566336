package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawebtier/hawebtier/internal/plan"
	"github.com/hawebtier/hawebtier/stacks"
)

const projectDir = "../.."

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// badProject is a copy of the project with a stack whose web count is
// below the HA minimum.
func badProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	proj, err := os.ReadFile(filepath.Join(projectDir, "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	stack, err := os.ReadFile(filepath.Join(projectDir, "stacks", "Pulumi.onprem-dev.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(stack), "hawebtier:web:\n    count: 2", "hawebtier:web:\n    count: 1", 1)
	if bad == string(stack) {
		t.Fatal("stacks/Pulumi.onprem-dev.yaml no longer sets hawebtier:web.count: 2; update the test")
	}
	if err := os.MkdirAll(filepath.Join(dir, "stacks"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"Pulumi.yaml": string(proj), "stacks/Pulumi.bad.yaml": bad} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestConfigErrorPrintsExactlyTheProgramsError(t *testing.T) {
	t.Parallel()
	dir := badProject(t)
	_, err := plan.Evaluate(context.Background(), stacks.Run, plan.EvalOptions{ProjectDir: dir, Stack: "bad", PlaceholderSecrets: stacks.OperatorSecretKeys()})
	var ce *stacks.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("want a *stacks.ConfigError, got %v", err)
	}
	for _, cmd := range [][]string{
		{"plan", "--stack", "bad", "--project-dir", dir},
		{"plan", "--stack", "bad", "--project-dir", dir, "--json"},
		{"graph", "--stack", "bad", "--project-dir", dir},
	} {
		code, stdout, stderr := runCLI(t, cmd...)
		if code != 1 || stdout != "" || stderr != ce.Error()+"\n" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and stderr %q", cmd, code, stdout, stderr, ce.Error()+"\n")
		}
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"no command":       nil,
		"unknown command":  {"deploy"},
		"plan no stack":    {"plan"},
		"plan stray arg":   {"plan", "--stack", "onprem-dev", "extra"},
		"graph bad format": {"graph", "--stack", "onprem-dev", "--format", "png"},
		"diff one file":    {"diff", "a.json"},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if code, _, stderr := runCLI(t, args...); code != 2 || !strings.Contains(stderr, "usage:") {
				t.Errorf("exit %d, stderr %q; want 2 and the usage", code, stderr)
			}
		})
	}
}

func TestPlanDiffGraphThroughTheCLI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	oldDir, newDir := filepath.Join(dir, "old"), filepath.Join(dir, "new")
	for _, d := range []string{oldDir, newDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, stack := range []string{"onprem-dev", "aws-staging"} {
		code, stdout, stderr := runCLI(t, "plan", "--stack", stack, "--json", "--project-dir", projectDir)
		if code != 0 {
			t.Fatalf("plan %s: exit %d: %s", stack, code, stderr)
		}
		if err := os.WriteFile(filepath.Join(newDir, stack+".json"), []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		if stack == "onprem-dev" {
			// The base branch had only onprem-dev, unchanged.
			if err := os.WriteFile(filepath.Join(oldDir, stack+".json"), []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	code, md, stderr := runCLI(t, "diff", "--markdown", oldDir, newDir)
	if code != 0 {
		t.Fatalf("diff: exit %d: %s", code, stderr)
	}
	if !strings.Contains(md, "<b>onprem-dev</b>: +0 ~0 -0") || !strings.Contains(md, "<b>aws-staging</b>: +") {
		t.Errorf("markdown of the directory form:\n%s", md)
	}
	same := filepath.Join(newDir, "onprem-dev.json")
	code, text, _ := runCLI(t, "diff", "--stack", "renamed", same, same)
	if code != 0 || !strings.HasPrefix(text, "stack renamed: +0 ~0 -0\n") {
		t.Errorf("diff --stack: exit %d:\n%s", code, text)
	}

	code, tree, stderr := runCLI(t, "plan", "--stack", "aws-production", "--critical-path", "--project-dir", projectDir)
	if code != 0 || !strings.Contains(tree, "Critical path: ") || !strings.Contains(tree, "resources in total") {
		t.Errorf("plan --critical-path: exit %d %s\n%s", code, stderr, tree)
	}

	out := filepath.Join(dir, "graph.mmd")
	if code, _, stderr := runCLI(t, "graph", "--stack", "onprem-dev", "--format", "mermaid", "--out", out, "--project-dir", projectDir); code != 0 {
		t.Fatalf("graph: exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(out); err != nil || !strings.HasPrefix(string(b), "flowchart LR\n") {
		t.Errorf("graph --out wrote %q (%v)", b, err)
	}
}

func TestAccountViewOfTheShippedStacks(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, "account", "--project-dir", "../..")
	if code != 0 || !strings.Contains(stdout, "no collisions among 2 stacks") || !strings.Contains(stdout, "aws-production (account 210987654321)") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestPlanInventoryRefusesNamesYourVCenterLacks: without --inventory any
// vCenter name plans; with one, a name outside it fails with the config
// key, as the real vCenter would refuse it.
func TestPlanInventoryRefusesNamesYourVCenterLacks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	lab := write("lab.json", `{"datacenters": ["LabDC"], "computeClusters": ["LabCluster"], "datastores": ["vsanDatastore"], "networks": ["VM-Web-30"], "templates": ["debian-12-cloudinit"]}`)
	other := write("other.json", `{"datacenters": ["LabDC"], "computeClusters": ["LabCluster"], "datastores": ["ds-ssd-01"], "networks": ["VM-Web-30"], "templates": ["debian-12-cloudinit"]}`)
	typo := write("typo.json", `{"datacenter": ["LabDC"]}`)
	cases := map[string]struct {
		args       []string
		code       int
		wantStderr string
	}{
		"no inventory":                    {nil, 0, ""},
		"the stack's own vCenter":         {[]string{"--inventory", lab}, 0, ""},
		"a vCenter without its datastore": {[]string{"--inventory", other}, 1, `hawebtier:onprem.datastore: datastore "vsanDatastore" not found in vCenter`},
		"an unknown key":                  {[]string{"--inventory", typo}, 1, `unknown field "datacenter"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runCLI(t, append([]string{"plan", "--stack", "onprem-dev", "--project-dir", "../.."}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.wantStderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.wantStderr)
			}
		})
	}
}
