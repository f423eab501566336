// Package outputs reads elements of list outputs without panicking: an
// index past the end of a list a provider (or a test's mock) returned
// fails the run with an error naming the list, where the SDK's Index
// would crash the program.
package outputs
