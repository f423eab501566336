package stacks

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Run is the Pulumi program: load and validate the config, then build the
// target it names. Nothing is registered when the config is invalid.
func Run(ctx *pulumi.Context) error {
	cfg, err := Load(ctx)
	if err != nil {
		return err
	}
	switch cfg.Target {
	case OnPrem:
		return deployOnPrem(ctx, cfg)
	case AWS:
		return deployAWS(ctx, cfg)
	}
	return fmt.Errorf("target %q: not implemented", cfg.Target)
}
