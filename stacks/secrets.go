package stacks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// OperatorSecret is secret config that an operator sets in their own copy
// of a stack with `pulumi config set --secret`. Pulumi.yaml does not declare
// these keys: the CLI treats a declared key without a default as required
// in every stack, and a secret key cannot take a plain default, while each
// of them is needed by some stacks only. The program requires each where it
// is needed (NeededWhen) and refuses a plaintext value.
type OperatorSecret struct {
	Key        string // fully qualified: hawebtier:sshPrivateKey
	NeededWhen string // the config that makes the program require it
	SetWith    string // the command the README gives
}

// OperatorSecrets are every secret an operator sets; the README's
// "Deploying a stack" lists the same (a test keeps them equal).
var OperatorSecrets = []OperatorSecret{
	{
		Key:        key("sshPrivateKey"),
		NeededWhen: "hawebtier:onprem.ssh is set (day-2 configuration over SSH)",
		SetWith:    "pulumi config set --secret hawebtier:sshPrivateKey < ~/.ssh/hawebtier-day2",
	},
	{
		Key:        key("legacyDbPassword"),
		NeededWhen: "hawebtier:aws.migration is set (DMS reads the legacy database)",
		SetWith:    "pulumi config set --secret hawebtier:legacyDbPassword",
	},
}

// OperatorSecretKeys are the keys of OperatorSecrets.
func OperatorSecretKeys() []string {
	out := make([]string, len(OperatorSecrets))
	for i, s := range OperatorSecrets {
		out[i] = s.Key
	}
	return out
}

// operatorSecret reads one operator secret. It reports whether the stack
// sets it; a value set without --secret is a problem under its key, since
// it would sit in the stack file in plain text.
func operatorSecret(ctx *pulumi.Context, k string, ps *problems) (pulumi.StringOutput, bool) {
	v, err := config.TrySecret(ctx, k)
	if err != nil {
		return pulumi.StringOutput{}, false
	}
	if !ctx.IsConfigSecret(k) {
		ps.add(k, "must be secret: set it with `pulumi config set --secret %s` (a plain value sits in the stack file in clear text)", k)
	}
	return v, true
}
