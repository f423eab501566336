// Package pulumicli drives the real Pulumi CLI (built from the module proxy
// by .ci/pulumi-cli/build.sh) the way a new user would: log in to a local
// backend, init a shipped stack with a passphrase of their own, set the
// secrets the README names, then preview. No Go language host or provider
// plugin can be had here, so a preview stops where it needs the language
// host; everything the CLI decides before that (the project file, the
// stack file, the stack's config against Pulumi.yaml) is real.
//
// The tests also run the harness's loader (internal/mocktest.LoadStack) on
// the same inputs and assert that both accept and refuse the same cases.
package pulumicli
