package plan

import "github.com/hawebtier/hawebtier/internal/mocktest"

// DefaultStackOutputs answer the StackReferences of the shipped stacks
// offline (mocktest.CannedStackOutputs: placeholders with the right
// shapes). Pass EvalOptions.StackOutputs (the CLI's --stack-outputs FILE)
// to answer other references.
func DefaultStackOutputs() map[string]map[string]any {
	return mocktest.CannedStackOutputs()
}
