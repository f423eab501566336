package transit

import (
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The characters AWS accepts in a tunnel pre-shared key.
const (
	pskLetters  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	pskDigits   = "0123456789"
	pskSpecials = "._"
)

// pskLength of generated keys: well inside AWS's 8-64 and, at about 5.9 bits
// a character, over 230 bits of randomness.
const pskLength = 40

// pskParts are the random provider settings of the two halves of a
// generated key. AWS rejects a key that starts with '0', and the random
// provider can constrain how many characters of each class a result holds
// but not where they go, so one password of digits and letters would start
// with 0 about once in 64 keys and fail the VPN connection at create time.
// The key is therefore a one-letter lead (letters only, so it can never be
// a digit) followed by a body in the full AWS character set.
type pskPart struct {
	suffix string
	args   random.RandomPasswordArgs
}

func pskParts() []pskPart {
	return []pskPart{
		{"lead", random.RandomPasswordArgs{
			Length:  pulumi.Int(1),
			Upper:   pulumi.Bool(true),
			Lower:   pulumi.Bool(true),
			Numeric: pulumi.Bool(false),
			Special: pulumi.Bool(false),
		}},
		{"body", random.RandomPasswordArgs{
			Length:  pulumi.Int(pskLength - 1),
			Upper:   pulumi.Bool(true),
			Lower:   pulumi.Bool(true),
			Numeric: pulumi.Bool(true),
			// The provider's default specials include characters AWS
			// rejects; OverrideSpecial narrows them to the two it accepts.
			Special:         pulumi.Bool(true),
			OverrideSpecial: pulumi.String(pskSpecials),
		}},
	}
}

// newPresharedKey registers the random passwords of one tunnel key and
// returns the key, secret.
func newPresharedKey(ctx *pulumi.Context, name string, opts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	var results []any
	for _, part := range pskParts() {
		args := part.args
		pw, err := random.NewRandomPassword(ctx, name+"-"+part.suffix, &args, opts...)
		if err != nil {
			return pulumi.StringOutput{}, err
		}
		results = append(results, pw.Result)
	}
	key := pulumi.All(results...).ApplyT(func(parts []any) string {
		return parts[0].(string) + parts[1].(string)
	}).(pulumi.StringOutput)
	return pulumi.ToSecret(key).(pulumi.StringOutput), nil
}
