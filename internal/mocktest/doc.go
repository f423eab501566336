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
//
// The canned vCenter answers every vSphere lookup (datacenter, compute
// cluster, datastore, network, resource pool, folder, tag category, and
// templates through getVirtualMachine) for whatever name the program
// gives, with ids derived from the name: distinct per name, stable across
// runs. Every template answers the same guest id, firmware and disks, but
// its own uuid (VSphereTemplateUUIDOf). So an offline run of a stack with
// other inventory names plans, and renaming a template shows as a change.
// A run that must refuse names, as a real vCenter would, gives
// Options.Inventory (a VSphereInventory, such as LabInventory): a name its
// lists lack fails with the provider's error text, e.g. "error fetching
// datacenter: datacenter 'X' not found". The inventory travels with the
// run's Options, not through package state, so parallel runs may give
// different ones (RegisterRunInvoke).
package mocktest
