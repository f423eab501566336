// Package mocktest is the project's side of the mock-engine harness. The
// harness itself (Run, Options, Result, the canned AWS and vSphere
// answers) is the public components/testkit; this package names its types
// and functions again (type aliases, thin wrappers) so the project's tests
// and internal/plan keep one import, and adds what only this project
// needs:
//
//   - LoadStack and friends: a stack file read and checked as the Pulumi
//     CLI does before it starts the program (Pulumi.yaml defaults,
//     required keys, types, `secure:` values as placeholders);
//   - ConfigCases: the project/stack pairs on which LoadStack and the real
//     CLI must agree;
//   - GoldenList and GoldenInputs: the review-friendly renderings the
//     golden files hold;
//   - LabInventory and CannedStackOutputs: the shipped stacks' vCenter
//     names and StackReference outputs.
//
// Runs default to project "hawebtier" and stack "test" (testkit's defaults
// are neutral names), the names the golden files and the canned
// StackReference keys hold.
package mocktest
