package pulumicli_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/internal/pulumicli"
	"github.com/hawebtier/hawebtier/internal/realtool"
	"github.com/hawebtier/hawebtier/stacks"
)

const projectRoot = "../.."

// requireCLI returns the CLI to drive. Under CI a missing CLI fails the
// test; elsewhere it is skipped with the command that builds it.
func requireCLI(t *testing.T) string {
	t.Helper()
	bin, err := pulumicli.Binary()
	if err != nil {
		if realtool.InCI() {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return bin
}

// newSession is a new user: a copy of the project at src, a local backend
// and a Pulumi home of their own, and a passphrase nobody else has, logged
// in as the README says (`pulumi login`, here to a file:// backend).
func newSession(t *testing.T, bin, src string) *pulumicli.Session {
	t.Helper()
	s, login := startSession(t, bin, src)
	if login.ExitCode != 0 {
		t.Fatalf("%v", login)
	}
	return s
}

// startSession is newSession that returns the login's result, for a
// project the CLI may refuse at once.
func startSession(t *testing.T, bin, src string) (*pulumicli.Session, pulumicli.Result) {
	t.Helper()
	dir := t.TempDir()
	s := &pulumicli.Session{
		Binary:     bin,
		ProjectDir: filepath.Join(dir, "project"),
		Home:       filepath.Join(dir, "home"),
		Passphrase: randomHex(t),
	}
	if err := pulumicli.CopyProject(src, s.ProjectDir); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o700); err != nil {
		t.Fatal(err)
	}
	res, err := s.Run(context.Background(), "", "login", "file://"+state)
	if err != nil {
		t.Fatal(err)
	}
	return s, res
}

func randomHex(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func mustRun(t *testing.T, s *pulumicli.Session, stdin string, args ...string) pulumicli.Result {
	t.Helper()
	res, err := s.Run(context.Background(), stdin, args...)
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 {
		t.Fatalf("%v", res)
	}
	return res
}

// assertReachedLanguageHost: the preview passed the CLI's config
// validation and stopped only for want of the Go language host.
func assertReachedLanguageHost(t *testing.T, res pulumicli.Result) {
	t.Helper()
	if strings.Contains(res.Output, pulumicli.ConfigInvalid) || !strings.Contains(res.Output, pulumicli.LanguageHostMissing) {
		t.Fatalf("want the preview to pass config validation and stop at the language host (%q); got %v", pulumicli.LanguageHostMissing, res)
	}
}

func shippedStacks(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(projectRoot, "stacks", "Pulumi.*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no shipped stacks: %v", err)
	}
	var out []string
	for _, f := range files {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml"))
	}
	return out
}

func readme(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(projectRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// TestREADMEDeployStepsWorkForANewUser follows the README's deploy steps
// with the real CLI for every shipped stack: login, stack init with a
// passphrase of the test's own, the config the README's table names for
// the stack, then preview, which must pass config validation and stop
// only at the missing language host. The program then runs offline on the
// very stack file the CLI wrote (salt, ciphertexts and all) and must ask
// for nothing more: the README names every secret the program needs.
func TestREADMEDeployStepsWorkForANewUser(t *testing.T) {
	bin := requireCLI(t)
	text := readme(t)
	steps, err := pulumicli.DeploySteps(text)
	if err != nil {
		t.Fatal(err)
	}
	settings, err := pulumicli.ReadStackSettings(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, stack := range shippedStacks(t) {
		t.Run(stack, func(t *testing.T) {
			set, ok := settings[stack]
			if !ok {
				t.Fatalf("the README's stack-settings table has no row for %s", stack)
			}
			s := newSession(t, bin, projectRoot)
			configured, previewed := false, false
			for _, step := range steps {
				args := strings.Fields(step)[1:]
				switch {
				case args[0] == "login":
					// newSession logged in to a file:// backend.
				case args[0] == "stack" && (args[1] == "init" || args[1] == "select"):
					mustRun(t, s, "", "stack", "init", stack, "--non-interactive")
				case args[0] == "config" && args[1] == "set":
					if configured {
						continue
					}
					configured = true
					for _, k := range set.Plain {
						mustRun(t, s, "", "config", "set", k, "value-of-"+k)
					}
					for _, k := range set.Secret {
						mustRun(t, s, "secret-of-"+k+"\n", "config", "set", "--secret", k)
					}
				case args[0] == "preview":
					res, err := s.Run(context.Background(), "", append(args, "--non-interactive")...)
					if err != nil {
						t.Fatal(err)
					}
					assertReachedLanguageHost(t, res)
					previewed = true
				case args[0] == "up":
					// Needs the language host and the providers.
				default:
					t.Fatalf("README deploy step %q: the test does not know it", step)
				}
			}
			if !previewed {
				t.Fatal("the README's deploy steps have no pulumi preview")
			}

			opts, err := mocktest.LoadStack(s.ProjectDir, stack)
			if err != nil {
				t.Fatalf("the harness refuses the stack the CLI accepted: %v", err)
			}
			opts.Preview = true
			opts.StackOutputs = mocktest.CannedStackOutputs()
			if _, err := mocktest.Run(context.Background(), stacks.Run, opts); err != nil {
				t.Fatalf("with the README's settings the program still refuses the stack: %v", err)
			}
		})
	}
}

// TestREADMENamesEveryOperatorSecret: the secrets the program may ask for
// are in the README's table and steps, and the table names no other
// secret of this project.
func TestREADMENamesEveryOperatorSecret(t *testing.T) {
	t.Parallel()
	text := readme(t)
	settings, err := pulumicli.ReadStackSettings(text)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, s := range settings {
		for _, k := range s.Secret {
			named[k] = true
		}
	}
	for _, sec := range stacks.OperatorSecrets {
		if !strings.Contains(text, sec.Key) {
			t.Errorf("README does not name %s (needed when %s)", sec.Key, sec.NeededWhen)
		}
	}
	for k := range named {
		if strings.HasPrefix(k, stacks.Namespace+":") && !slices.Contains(stacks.OperatorSecretKeys(), k) {
			t.Errorf("README's table names %s, which the program never reads", k)
		}
	}
}

// TestConfigCasesAgreeWithTheHarness runs the real CLI on every case the
// harness is tested on (internal/mocktest/testdata/configcases): the CLI
// must say what want.txt says, so the harness refuses what the CLI
// refuses.
func TestConfigCasesAgreeWithTheHarness(t *testing.T) {
	bin := requireCLI(t)
	cases, err := mocktest.ConfigCases(filepath.Join(projectRoot, "internal", "mocktest", "testdata", "configcases"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			// Each command, until one fails: the CLI refuses a broken
			// project file at its first command.
			s, login := startSession(t, bin, c.Dir)
			results := []pulumicli.Result{login}
			for _, args := range [][]string{{"stack", "init", "s", "--non-interactive"}, {"preview", "--non-interactive"}} {
				if results[len(results)-1].ExitCode != 0 {
					break
				}
				res, err := s.Run(context.Background(), "", args...)
				if err != nil {
					t.Fatal(err)
				}
				results = append(results, res)
			}
			last := results[len(results)-1]
			if c.Want == "ok" {
				if len(results) != 3 {
					t.Fatalf("%v", last)
				}
				assertReachedLanguageHost(t, last)
				return
			}
			if last.ExitCode == 0 || !strings.Contains(last.Output, c.Want) || strings.Contains(last.Output, pulumicli.LanguageHostMissing) {
				t.Fatalf("want the CLI to stop with %q before the language host; got %v", c.Want, last)
			}
		})
	}
}

// TestCLIRefusesAShippedStackMissingARequiredKey: without hawebtier:target
// (declared with no default) the CLI stops before the program, naming it.
func TestCLIRefusesAShippedStackMissingARequiredKey(t *testing.T) {
	bin := requireCLI(t)
	s := newSession(t, bin, projectRoot)
	path := filepath.Join(s.ProjectDir, "stacks", "Pulumi.aws-staging.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	without := strings.Replace(string(raw), "  hawebtier:target: aws\n", "", 1)
	if without == string(raw) {
		t.Fatal("stacks/Pulumi.aws-staging.yaml no longer sets hawebtier:target: aws; update the test")
	}
	if err := os.WriteFile(path, []byte(without), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, s, "", "stack", "init", "aws-staging", "--non-interactive")
	res, err := s.Run(context.Background(), "", "preview", "--non-interactive")
	if err != nil {
		t.Fatal(err)
	}
	want := "Stack 'aws-staging' is missing configuration value 'target'"
	if res.ExitCode == 0 || !strings.Contains(res.Output, want) {
		t.Fatalf("want the preview to fail with %q; got %v", want, res)
	}
	if _, err := mocktest.LoadStack(s.ProjectDir, "aws-staging"); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("the harness: err = %v, want %q", err, want)
	}
}
