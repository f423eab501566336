// Command hawebtier evaluates the Pulumi program offline, under the same
// mock engine as the tests, so a reviewer or a newcomer sees what a stack
// deploys without a Pulumi CLI or cloud credentials:
//
//	hawebtier plan  --stack NAME [--json] [--critical-path] [--project-dir DIR] [--stack-outputs FILE]
//	hawebtier diff  [--markdown] OLD.json NEW.json
//	hawebtier diff  [--markdown] OLD_DIR NEW_DIR                  (every <stack>.json in either)
//	hawebtier diff  [--markdown] --stack A OLD_A NEW_A --stack B OLD_B NEW_B ...
//	hawebtier graph --stack NAME [--format dot|mermaid] [--out FILE]
//	hawebtier account [--project-dir DIR] [STACK ...]              (default: every AWS stack)
//
// Exit codes: 0 success, 1 the program failed (config errors print exactly
// what `pulumi up` would), 2 usage errors.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/hawebtier/hawebtier/internal/account"
	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/internal/plan"
	"github.com/hawebtier/hawebtier/stacks"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  hawebtier plan  --stack NAME [--json] [--critical-path] [--project-dir DIR] [--stack-outputs FILE] [--inventory FILE]
  hawebtier diff  [--markdown] OLD.json NEW.json
  hawebtier diff  [--markdown] OLD_DIR NEW_DIR
  hawebtier diff  [--markdown] --stack A OLD_A.json NEW_A.json [--stack B OLD_B.json NEW_B.json ...]
  hawebtier graph --stack NAME [--format dot|mermaid] [--out FILE] [--project-dir DIR]
  hawebtier account [--project-dir DIR] [STACK ...]
`

// errUsage marks errors that deserve the usage text and exit code 2.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		_, _ = fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "plan":
		err = cmdPlan(ctx, args[1:], stdout)
	case "diff":
		err = cmdDiff(args[1:], stdout)
	case "graph":
		err = cmdGraph(ctx, args[1:], stdout)
	case "account":
		err = cmdAccount(ctx, args[1:], stdout)
	case "help", "-h", "--help":
		_, _ = fmt.Fprint(stdout, usage)
		return 0
	default:
		err = fmt.Errorf("%w: unknown command %q", errUsage, args[0])
	}
	var cfgErr *stacks.ConfigError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp):
		_, _ = fmt.Fprintf(stderr, "%v\n%s", err, usage)
		return 2
	case errors.As(err, &cfgErr):
		// The program's own message, as `pulumi up` shows it.
		_, _ = fmt.Fprintln(stderr, cfgErr.Error())
		return 1
	}
	_, _ = fmt.Fprintf(stderr, "hawebtier %s: %v\n", args[0], err)
	return 1
}

type stackFlags struct {
	stack, projectDir, stackOutputs, inventory string
}

func (s *stackFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.stack, "stack", "", "stack name: reads stacks/Pulumi.NAME.yaml")
	fs.StringVar(&s.projectDir, "project-dir", ".", "directory holding Pulumi.yaml")
	fs.StringVar(&s.stackOutputs, "stack-outputs", "", "JSON file {\"org/project/stack\": {outputs}} answering StackReferences (default: built-in placeholders)")
	fs.StringVar(&s.inventory, "inventory", "", "JSON file {\"datacenters\": [...], \"computeClusters\", \"datastores\", \"networks\", \"resourcePools\", \"folders\", \"tagCategories\", \"templates\"}: what your vCenter holds; a name outside it fails the plan (default: every name answers)")
}

func (s *stackFlags) evaluate(ctx context.Context) (*plan.Plan, error) {
	if s.stack == "" {
		return nil, fmt.Errorf("%w: --stack is required", errUsage)
	}
	o := plan.EvalOptions{ProjectDir: s.projectDir, Stack: s.stack, PlaceholderSecrets: stacks.OperatorSecretKeys()}
	if s.stackOutputs != "" {
		raw, err := os.ReadFile(s.stackOutputs)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &o.StackOutputs); err != nil {
			return nil, fmt.Errorf("--stack-outputs %s: %w", s.stackOutputs, err)
		}
	}
	if s.inventory != "" {
		raw, err := os.ReadFile(s.inventory)
		if err != nil {
			return nil, err
		}
		inv := &mocktest.VSphereInventory{}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(inv); err != nil {
			return nil, fmt.Errorf("--inventory %s: %w", s.inventory, err)
		}
		o.Inventory = inv
	}
	return plan.Evaluate(ctx, stacks.Run, o)
}

func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	return nil
}

func cmdPlan(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	var sf stackFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "write the plan as JSON")
	critical := fs.Bool("critical-path", false, "also print the critical path of a pulumi up")
	if err := parse(fs, args); err != nil {
		return err
	}
	p, err := sf.evaluate(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return p.WriteJSON(stdout)
	}
	if err := p.WriteTree(stdout); err != nil {
		return err
	}
	if !*critical {
		return nil
	}
	cp, err := p.ComputeCriticalPath()
	if err != nil {
		return err
	}
	_, _ = fmt.Fprintln(stdout)
	return cp.WriteText(stdout)
}

func cmdDiff(args []string, stdout io.Writer) error {
	markdown, sets, err := plan.ParseDiffArgs(args)
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	diffs, err := plan.DiffFiles(sets)
	if err != nil {
		return err
	}
	if markdown {
		return plan.WriteMarkdown(stdout, diffs)
	}
	for _, d := range diffs {
		if err := d.WriteText(stdout); err != nil {
			return err
		}
	}
	return nil
}

func cmdGraph(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	var sf stackFlags
	sf.register(fs)
	format := fs.String("format", "dot", "dot or mermaid")
	out := fs.String("out", "", "write to this file instead of stdout")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "dot" && *format != "mermaid" {
		return fmt.Errorf("%w: --format %q: want dot or mermaid", errUsage, *format)
	}
	p, err := sf.evaluate(ctx)
	if err != nil {
		return err
	}
	write := p.WriteDOT
	if *format == "mermaid" {
		write = p.WriteMermaid
	}
	if *out == "" {
		return write(stdout)
	}
	return plan.WriteFileAtomic(*out, write)
}

// errCollisions is the account view's finding: exit 1, the list on stdout.
var errCollisions = errors.New("objects claimed by more than one stack")

// cmdAccount plans the AWS stacks that may share an account and lists every
// object two of them would both create or own.
func cmdAccount(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("account", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	projectDir := fs.String("project-dir", ".", "directory holding Pulumi.yaml")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	names := fs.Args()
	if len(names) == 0 {
		var err error
		if names, err = account.AWSStacks(*projectDir); err != nil {
			return err
		}
	}
	planned, err := account.PlanStacks(ctx, stacks.Run, *projectDir, names, stacks.OperatorSecretKeys(), nil)
	if err != nil {
		return err
	}
	claims := 0
	for _, s := range planned {
		acct := s.Account()
		if acct == "" {
			acct = "not set: may share an account with any"
		}
		n := len(account.Claims(s))
		claims += n
		_, _ = fmt.Fprintf(stdout, "%s (account %s): %d account-unique objects\n", s.Name, acct, n)
	}
	collisions := account.Collisions(planned)
	for _, c := range collisions {
		_, _ = fmt.Fprintln(stdout, c.String())
	}
	if len(collisions) > 0 {
		return fmt.Errorf("%w: %d", errCollisions, len(collisions))
	}
	_, _ = fmt.Fprintf(stdout, "no collisions among %d stacks (%d objects)\n", len(planned), claims)
	return nil
}
