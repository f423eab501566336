// Package stacks is the program behind `pulumi up`: it loads a stack's
// config into typed structs, validates all of it before registering any
// resource, builds the providers the target needs from the stack's own
// `aws:` config, and builds the target that `hawebtier:target` names
// (onprem or aws).
//
// main.go is pulumi.Run(stacks.Run); tests run stacks.Run under the mock
// engine (internal/mocktest) with each shipped stack file and compare the
// registered resources with testdata/<stack>.golden.
package stacks
