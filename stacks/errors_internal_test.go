package stacks

import (
	"reflect"
	"testing"
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
		"initialism at the end":        {"hawebtier:aws.database", DatabaseConfig{}, "AllocatedStorageGB", "hawebtier:aws.database.allocatedStorageGb", true},
		"initialisms":                  {"hawebtier:aws.network", AWSNetworkConfig{}, "NATGatewayPerAZ", "hawebtier:aws.network.natGatewayPerAz", true},
		"plural initialism":            {"hawebtier:aws.transit", TransitConfig{}, "OnPremCIDRs", "hawebtier:aws.transit.onPremCidrs", true},
		"nested":                       {"hawebtier:aws", AWSConfig{}, "Web.InstanceType", "hawebtier:aws.web.instanceType", true},
		"through a pointer and a list": {"hawebtier:aws.edge", EdgeConfig{}, "Shield.Contacts[0].Email", "hawebtier:aws.edge.shield.contacts[0].email", true},
		"a field the program fills":    {"hawebtier:aws.database", DatabaseConfig{}, "SubnetIDs", "hawebtier:aws.database", false},
	}
	for name, tc := range cases {
		got, known := configKey(tc.k, reflect.TypeOf(tc.cfg), tc.field)
		if got != tc.want || known != tc.known {
			t.Errorf("%s: configKey(%s) = %s %v, want %s %v", name, tc.field, got, known, tc.want, tc.known)
		}
	}
}
