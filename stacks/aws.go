package stacks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// deployAWS builds the AWS target from a validated config.
func deployAWS(ctx *pulumi.Context, cfg *Config) error {
	settings, err := readAWSSettings(ctx)
	if err != nil {
		return err
	}
	if cfg.AWS.Edge != nil {
		if _, err := newAWSProvider(ctx, "us-east-1", "us-east-1", settings); err != nil {
			return err
		}
	}
	return nil
}
