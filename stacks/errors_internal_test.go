package stacks

import (
	"reflect"
	"testing"

	"github.com/hawebtier/hawebtier/aws/database"
)

// TestComponentFieldsLandOnTheirKeys: a component's problem goes under the
// config key that fed its field, spelt as the config spells it, and under
// the object's key when the config has no such path.
func TestComponentFieldsLandOnTheirKeys(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		k     string
		cfg   any
		field string
		want  string
		known bool
	}{
		"by the json tag":              {"hawebtier:aws.database", database.DatabaseArgs{}, "AllocatedStorageGB", "hawebtier:aws.database.allocatedStorageGb", true},
		"renamed by the json tag":      {"hawebtier:aws.database", database.DatabaseArgs{}, "DBName", "hawebtier:aws.database.name", true},
		"promoted from an embedded":    {"hawebtier:aws.network", AWSNetworkConfig{}, "FlowLogRetentionDays", "hawebtier:aws.network.flowLogRetentionDays", true},
		"initialism by name":           {"hawebtier:aws.transit", TransitConfig{}, "AmazonSideASN", "hawebtier:aws.transit.amazonSideAsn", true},
		"initialisms":                  {"hawebtier:aws.network", AWSNetworkConfig{}, "NATGatewayPerAZ", "hawebtier:aws.network.natGatewayPerAz", true},
		"plural initialism":            {"hawebtier:aws.transit", TransitConfig{}, "OnPremCIDRs", "hawebtier:aws.transit.onPremCidrs", true},
		"nested":                       {"hawebtier:aws", AWSConfig{}, "Web.InstanceType", "hawebtier:aws.web.instanceType", true},
		"through a pointer and a list": {"hawebtier:aws.edge", EdgeConfig{}, "Shield.Contacts[0].Email", "hawebtier:aws.edge.shield.contacts[0].email", true},
		"a map entry":                  {"hawebtier:onprem", OnPremConfig{}, "Sizes[web].MemoryMB", "hawebtier:onprem.sizes.web.memoryMb", true},
		"a field the program fills":    {"hawebtier:aws.database", database.DatabaseArgs{}, "SubnetIDs", "hawebtier:aws.database", false},
	}
	for name, tc := range cases {
		got, known := configKey(tc.k, reflect.TypeOf(tc.cfg), tc.field)
		if got != tc.want || known != tc.known {
			t.Errorf("%s: configKey(%s) = %s %v, want %s %v", name, tc.field, got, known, tc.want, tc.known)
		}
	}
}

func TestRenamesMapFieldsToConfigPaths(t *testing.T) {
	t.Parallel()
	renames := map[string]string{
		"Topology.lbs":            "addresses.lb",
		"Topology.lbs[*].address": "addresses.lb[*]",
		"DBName":                  "name",
		"VpcCIDR":                 "hawebtier:aws.network.cidr",
	}
	for field, want := range map[string]string{
		"Topology.lbs[1].address": "addresses.lb[1]",
		"Topology.lbs":            "addresses.lb",
		"Topology.lbs[0].name":    "addresses.lb[0].name",
		"DBName":                  "name",
		"DBNameSuffix":            "DBNameSuffix",
		"VpcCIDR":                 "hawebtier:aws.network.cidr",
		"Other":                   "Other",
	} {
		if got := rename(field, renames); got != want {
			t.Errorf("rename(%s) = %s, want %s", field, got, want)
		}
	}
}
