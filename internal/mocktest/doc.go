// Package mocktest runs a Pulumi program under the SDK's mock engine and
// records everything the program registers, so tests (and the offline plan
// tool) can assert properties of the resource graph without a Pulumi CLI,
// provider plugins or cloud credentials.
//
// A run is isolated: configuration reaches the program through
// pulumi.NewContext and RunWithContext, never through the process
// environment, so tests that use the harness may call t.Parallel.
//
// Ids are derived from a resource's type and name, never from a counter,
// because the SDK registers resources from many goroutines and a counter
// would make two runs of the same program differ.
package mocktest
