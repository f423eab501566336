// Package plan turns an offline run of the Pulumi program (the mock engine
// in internal/mocktest) into what reviewers read: a resource tree like
// `pulumi preview`, a machine-readable plan (JSON), the difference between
// two plans as text or as Markdown for a pull-request comment, the
// architecture as Graphviz DOT or Mermaid, and the critical path of a
// `pulumi up` (the longest chain of creations, weighted by typical create
// times).
//
// Nothing here talks to a cloud or runs the Pulumi CLI. Every value the
// program marked secret is replaced by mocktest.SecretMask before it leaves
// this package, and the plaintext of secret configuration is scrubbed from
// every string as a second line of defence (a program that unwraps a
// secret into a plain input would otherwise leak it into a PR comment).
package plan
