// Command hawebtier is the Pulumi program of this project: `pulumi up`
// runs it for the stack selected, whose file under stacks/ picks the target
// (onprem or aws) and the environment.
package main

import (
	"github.com/hawebtier/hawebtier/stacks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(stacks.Run)
}
