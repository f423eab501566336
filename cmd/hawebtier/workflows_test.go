package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/internal/realtool"
)

// The workflows are checked by actionlint (expressions, job and step
// keys, permissions, matrix references, the shell in run: blocks when
// shellcheck is on PATH).
func TestWorkflowsPassActionlint(t *testing.T) {
	t.Parallel()
	realtool.Need(t, "actionlint")
	files, err := filepath.Glob(filepath.Join(projectDir, ".github", "workflows", "*.yml"))
	if err != nil || len(files) < 2 {
		t.Fatalf("workflows: %v %v", files, err)
	}
	res, err := realtool.Run(2*time.Minute, "actionlint", append([]string{"-no-color"}, files...)...)
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 {
		t.Errorf("actionlint (exit %d):\n%s", res.ExitCode, res.Output())
	}

	// Sanity: a workflow with an undefined matrix key is rejected.
	broken := filepath.Join(t.TempDir(), ".github", "workflows")
	if err := os.MkdirAll(broken, 0o755); err != nil {
		t.Fatal(err)
	}
	bad := "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ matrix.nope }}\n"
	if err := os.WriteFile(filepath.Join(broken, "bad.yml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = realtool.Run(2*time.Minute, "actionlint", "-no-color", filepath.Join(broken, "bad.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode == 0 || !strings.Contains(res.Output(), "matrix") {
		t.Errorf("actionlint accepted a broken workflow: %s", res.Output())
	}
}

// The PR comment is found by its marker, so exactly one exists.
func TestPullRequestWorkflowEditsOneComment(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join(projectDir, ".github", "workflows", "pull-request.yml"))
	if err != nil {
		t.Fatal(err)
	}
	wf := string(raw)
	for _, want := range []string{"updateComment", "startsWith(marker)", "diff --markdown", "comment-on-pr: true", "edit-pr-comment: true", "ref: ${{ github.event.pull_request.base.sha }}"} {
		if !strings.Contains(wf, want) {
			t.Errorf("pull-request.yml lacks %q", want)
		}
	}
}
