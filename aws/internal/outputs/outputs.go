package outputs

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// At is element i of arr, or an error of the run naming what (e.g.
// `transit gateway "tgw": RouteTableIDs`) when arr has fewer elements.
func At(arr pulumi.StringArrayOutput, i int, what string) pulumi.StringOutput {
	return arr.ApplyT(func(vs []string) (string, error) {
		if i >= len(vs) {
			return "", fmt.Errorf("%s: element %d of a list of %d", what, i, len(vs))
		}
		return vs[i], nil
	}).(pulumi.StringOutput)
}
