package mocktest

import "github.com/hawebtier/hawebtier/components/testkit"

// LabInventory is the small vCenter lab the shipped onprem-dev stack
// names: one datacenter, cluster, datastore, port group and template.
// Resource pools, folders and tag categories are left open (any name
// answers). Each call returns a fresh value.
func LabInventory() *VSphereInventory {
	return &testkit.VSphereInventory{
		Datacenters:     []string{"LabDC"},
		ComputeClusters: []string{"LabCluster"},
		Datastores:      []string{"vsanDatastore"},
		Networks:        []string{"VM-Web-30"},
		Templates:       []string{VSphereTemplateName},
	}
}
