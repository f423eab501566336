package day2

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/internal/realtool"
)

// runScript runs the exact install script for f locally with /bin/sh (dash,
// to keep the script POSIX; the SSH test runs it with root's bash) and the
// content on stdin.
func runScript(t *testing.T, f File, content string) realtool.Result {
	t.Helper()
	script, err := InstallScript(f)
	if err != nil {
		t.Fatalf("InstallScript: %v", err)
	}
	cmd := exec.Command("sh", "-c", script)
	cmd.Stdin = strings.NewReader(content)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		// A non-zero exit is a result the caller checks, not an error.
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("install script: %v", err)
		}
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("install script did not finish within 20s")
	}
	return realtool.Result{ExitCode: cmd.ProcessState.ExitCode(), Stdout: out.String(), Stderr: errb.String()}
}

// TestInstallScriptLocally covers the script's branches on the local
// filesystem: install, unchanged, owner/mode drift, failed check, failed
// reload with and without a previous file, secret output withheld.
func TestInstallScriptLocally(t *testing.T) {
	t.Parallel()
	realtool.NeedRoot(t) // chown root:root
	const oldContent, newContent = "old\n", "new\n"
	tests := map[string]struct {
		existing     string // "" means no file yet
		existingMode os.FileMode
		file         File // {dir} in Reload is the test directory
		content      string
		wantExit     int
		wantContent  string // "" means the file must not exist
		wantMode     os.FileMode
		wantOut      []string
		notOut       []string
		wantReloaded bool
		wantSameTime bool
	}{
		"installs a new file and reloads": {
			file:    File{Check: "grep -q new {path}", Reload: "touch {dir}/reloaded"},
			content: newContent, wantContent: newContent, wantMode: 0o644,
			wantOut: []string{"installed and reloaded"}, wantReloaded: true,
		},
		"replaces an old file": {
			existing: oldContent, existingMode: 0o644,
			file:    File{Mode: "0640", Reload: "touch {dir}/reloaded"},
			content: newContent, wantContent: newContent, wantMode: 0o640,
			wantReloaded: true,
		},
		"unchanged content does nothing": {
			existing: newContent, existingMode: 0o644,
			file:    File{Check: "false {path}", Reload: "touch {dir}/reloaded"},
			content: newContent, wantContent: newContent, wantMode: 0o644,
			wantOut: []string{"unchanged"}, wantSameTime: true,
		},
		"same content and wrong mode: mode fixed without reload": {
			existing: newContent, existingMode: 0o666,
			file:    File{Mode: "0600", Reload: "touch {dir}/reloaded"},
			content: newContent, wantContent: newContent, wantMode: 0o600,
			wantOut: []string{"owner and mode set to 600 root:root"}, wantSameTime: true,
		},
		"failed check leaves the old file": {
			existing: oldContent, existingMode: 0o644,
			file:    File{Check: "echo validator says no about {path}; exit 7", Reload: "touch {dir}/reloaded"},
			content: newContent, wantExit: ExitCheckFailed, wantContent: oldContent, wantMode: 0o644,
			wantOut: []string{"check failed (exit 7)", "validator says no about /"}, wantSameTime: true,
		},
		"failed reload puts the old file back": {
			existing: oldContent, existingMode: 0o644,
			file:    File{Reload: "echo cannot reload; exit 1"},
			content: newContent, wantExit: ExitReloadFailed, wantContent: oldContent, wantMode: 0o644,
			wantOut: []string{"reload failed (exit 1)", "cannot reload"},
		},
		"failed reload of a new file removes it": {
			file:    File{Reload: "exit 4"},
			content: newContent, wantExit: ExitReloadFailed,
			wantOut: []string{"reload failed (exit 4)"},
		},
		"reload sees the installed path": {
			file:    File{Reload: "cp {path} {dir}/reloaded"},
			content: newContent, wantContent: newContent, wantMode: 0o644, wantReloaded: true,
		},
		"secret: the validator output is withheld": {
			existing: "SECRET=old\n", existingMode: 0o600,
			file:    File{Secret: true, Check: "cat {path}; exit 1", Reload: "cat {path}; exit 1"},
			content: "SECRET=Kn0wnValue\n", wantExit: ExitCheckFailed, wantContent: "SECRET=old\n", wantMode: 0o600,
			wantOut: []string{"withheld"}, notOut: []string{"Kn0wnValue"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			dst := filepath.Join(dir, "conf", "app.conf")
			if tc.existing != "" {
				if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(dst, []byte(tc.existing), tc.existingMode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(dst, tc.existingMode); err != nil {
					t.Fatal(err)
				}
				old := time.Now().Add(-time.Hour)
				if err := os.Chtimes(dst, old, old); err != nil {
					t.Fatal(err)
				}
			}
			before, _ := os.Stat(dst)
			f := tc.file
			f.Reload = strings.ReplaceAll(f.Reload, "{dir}", dir)
			f.Path = dst
			res := runScript(t, f, tc.content)
			out := res.Output()
			if res.ExitCode != tc.wantExit {
				t.Fatalf("exit %d, want %d; output:\n%s", res.ExitCode, tc.wantExit, out)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.notOut {
				if strings.Contains(out, w) {
					t.Errorf("output contains %q:\n%s", w, out)
				}
			}
			got, err := os.ReadFile(dst)
			switch {
			case tc.wantContent == "" && err == nil:
				t.Errorf("%s exists with %q, want no file", dst, got)
			case tc.wantContent != "" && string(got) != tc.wantContent:
				t.Errorf("%s = %q (%v), want %q", dst, got, err, tc.wantContent)
			}
			if tc.wantContent != "" {
				st, err := os.Stat(dst)
				if err != nil {
					t.Fatal(err)
				}
				if st.Mode().Perm() != tc.wantMode {
					t.Errorf("mode %o, want %o", st.Mode().Perm(), tc.wantMode)
				}
				if tc.wantSameTime && !st.ModTime().Equal(before.ModTime()) {
					t.Errorf("mtime changed from %v to %v", before.ModTime(), st.ModTime())
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "reloaded")); (err == nil) != tc.wantReloaded {
				t.Errorf("reloaded = %v, want %v", err == nil, tc.wantReloaded)
			}
			if tc.wantReloaded && strings.Contains(f.Reload, "cp ") {
				if b, _ := os.ReadFile(filepath.Join(dir, "reloaded")); string(b) != tc.content {
					t.Errorf("reload read %q from {path}, want the installed content", b)
				}
			}
			entries, _ := os.ReadDir(filepath.Dir(dst))
			for _, e := range entries {
				if e.Name() != "app.conf" {
					t.Errorf("left behind %s", e.Name())
				}
			}
		})
	}
}
