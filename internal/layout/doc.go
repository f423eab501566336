// Package layout holds the test that keeps the project's import rules
// (DESIGN.md): data flows one way, stack config -> stacks -> onprem or aws
// -> components. components imports neither onprem nor aws, onprem and aws
// never import each other, and each aws sub-package compiles only the
// pulumi-aws packages it uses.
package layout
