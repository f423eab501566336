package pulumicli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// EnvBinary names the Pulumi CLI binary to drive. .ci/test sets it to the
// output of .ci/pulumi-cli/build.sh.
const EnvBinary = "HAWEBTIER_PULUMI_CLI"

// LanguageHostMissing is how a preview of a Go project stops when the
// language host (pulumi-language-go) is not installed: config validation
// has passed by then.
const LanguageHostMissing = "failed to load language plugin go"

// ConfigInvalid starts the CLI's error for a stack whose config does not
// pass Pulumi.yaml's declarations.
const ConfigInvalid = "validating stack config"

// Binary returns the CLI to drive, from EnvBinary.
func Binary() (string, error) {
	path := os.Getenv(EnvBinary)
	if path == "" {
		return "", fmt.Errorf("%s is not set: build the CLI with `bash .ci/pulumi-cli/build.sh` and set %s to the path it prints", EnvBinary, EnvBinary)
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("%s=%s: %w", EnvBinary, path, err)
	}
	return path, nil
}

// Session is one user's workspace: a project directory, a local (file)
// backend and a Pulumi home of its own, and a passphrase no one else has.
type Session struct {
	Binary     string
	ProjectDir string
	Home       string
	Passphrase string
}

// Result is one command's outcome.
type Result struct {
	Args     []string
	ExitCode int
	Output   string // stdout and stderr together, in order
}

func (r Result) String() string {
	return fmt.Sprintf("pulumi %s (exit %d):\n%s", strings.Join(r.Args, " "), r.ExitCode, r.Output)
}

// commandTimeout bounds one CLI command; a preview that reaches the
// language host takes well under a second here.
const commandTimeout = 2 * time.Minute

// Run runs the CLI in the project directory with stdin, isolated from the
// machine's own Pulumi settings. A non-zero exit is a Result, not an error.
func (s *Session) Run(ctx context.Context, stdin string, args ...string) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.Binary, args...)
	cmd.Dir = s.ProjectDir
	cmd.Env = append(cleanEnv(),
		"PULUMI_HOME="+s.Home,
		"PULUMI_CONFIG_PASSPHRASE="+s.Passphrase,
		"PULUMI_SKIP_UPDATE_CHECK=true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true",
		"PULUMI_SKIP_CONFIRMATIONS=true",
		"NO_COLOR=1",
	)
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	res := Result{Args: args, Output: out.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitCode()
	case err != nil:
		return res, fmt.Errorf("pulumi %s: %w", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		return res, fmt.Errorf("pulumi %s: %w", strings.Join(args, " "), ctx.Err())
	}
	return res, nil
}

// cleanEnv is the environment without the caller's Pulumi settings (a
// backend URL, an access token, a passphrase) that would change what a new
// user sees.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PULUMI_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// CopyProject copies Pulumi.yaml and the stack config directory (stacks/)
// of the project at src into dst, which a user's `pulumi stack init` and
// `config set` then change: the repo's files stay as they are.
func CopyProject(src, dst string) error {
	if err := copyFile(filepath.Join(src, "Pulumi.yaml"), filepath.Join(dst, "Pulumi.yaml")); err != nil {
		return err
	}
	entries, err := filepath.Glob(filepath.Join(src, "stacks", "Pulumi.*.yaml"))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := copyFile(e, filepath.Join(dst, "stacks", filepath.Base(e))); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}
