package mocktest

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// GoldenList renders a run's resources one per line: type, name and the
// parent's type::name, in URN order, so a change to what a stack deploys
// shows as a readable diff in review.
func GoldenList(r *Result) string {
	var b strings.Builder
	for _, res := range r.Resources {
		parent := "-"
		if res.Parent != "" && res.Parent != r.StackURN() {
			pu := resource.URN(res.Parent)
			parent = string(pu.Type()) + "::" + pu.Name()
		}
		fmt.Fprintf(&b, "%s %s %s\n", res.Type, res.Name, parent)
	}
	return b.String()
}
