package account

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/internal/plan"
)

// AWSStacks are the stacks under projectDir's stack config directory whose
// hawebtier:target is aws.
func AWSStacks(projectDir string) ([]string, error) {
	proj, err := mocktest.ProjectFile(projectDir)
	if err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(projectDir, proj.StackConfigDir, "Pulumi.*.yaml"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml")
		opts, err := mocktest.LoadStack(projectDir, name)
		if err != nil {
			return nil, err
		}
		if opts.Config[proj.Name.String()+":target"] == "aws" {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}

// PlanStacks evaluates each stack offline as a preview, with the operator
// secrets it lacks as placeholders, and overrides applied per stack
// (stack -> key -> value).
func PlanStacks(ctx context.Context, program pulumi.RunFunc, projectDir string, names, placeholderSecrets []string, overrides map[string]map[string]string) ([]Stack, error) {
	var out []Stack
	for _, name := range names {
		opts, err := mocktest.LoadStack(projectDir, name)
		if err != nil {
			return nil, err
		}
		opts = opts.WithPlaceholderSecrets(placeholderSecrets...)
		for k, v := range overrides[name] {
			opts.Config[k] = v
		}
		opts.Preview = true
		opts.StackOutputs = plan.DefaultStackOutputs()
		res, err := mocktest.Run(ctx, program, opts)
		if err != nil {
			return nil, fmt.Errorf("stack %s: %w", name, err)
		}
		out = append(out, Stack{Name: name, Config: opts.Config, Result: res})
	}
	return out, nil
}
