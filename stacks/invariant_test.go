package stacks_test

import (
	"errors"
	"testing"

	"github.com/hawebtier/hawebtier/stacks"
)

// Each case below is a value some component refuses: the run must fail
// with a *stacks.ConfigError before registering anything, so no component
// rejects, halfway through a deployment, a value the stack validation let
// through. A value accepted outright fails the test too: deleting both the
// stack's check and the component's would otherwise keep it green.
func TestEveryConfigErrorComesBeforeAnyResource(t *testing.T) {
	t.Parallel()
	type mutation struct {
		stack, key, path string
		value            any
	}
	muts := map[string]mutation{
		"web instance type":       {"aws-staging", "hawebtier:aws", "web.instanceType", "not a type"},
		"app instance type":       {"aws-staging", "hawebtier:aws", "app.instanceType", "m6i"},
		"web min above max":       {"aws-staging", "hawebtier:aws", "web.minSize", 20},
		"database class":          {"aws-staging", "hawebtier:aws", "database.instanceClass", "m6i.large"},
		"database name":           {"aws-staging", "hawebtier:aws", "database.name", "my-db!"},
		"database username":       {"aws-staging", "hawebtier:aws", "database.username", "rdsadmin"},
		"engine version":          {"aws-staging", "hawebtier:aws", "database.engineVersion", "eight"},
		"cache node type":         {"aws-staging", "hawebtier:aws", "cache.nodeType", "t3.small"},
		"cache nodes above max":   {"aws-staging", "hawebtier:aws", "cache.nodes", 7},
		"cache engine version":    {"aws-staging", "hawebtier:aws", "cache.engineVersion", "seven"},
		"flow log retention":      {"aws-staging", "hawebtier:aws", "network.flowLogRetentionDays", 17},
		"edge domain":             {"aws-production", "hawebtier:aws", "edge.domain", "not a domain"},
		"edge hosted zone":        {"aws-production", "hawebtier:aws", "edge.hostedZoneId", "zone"},
		"shield contact":          {"aws-production", "hawebtier:aws", "edge.shield.contacts[0].email", "nobody"},
		"replica region":          {"aws-staging", "hawebtier:aws", "edge.replicaRegion", "mars-1"},
		"rate limit":              {"aws-staging", "hawebtier:aws", "edge.rateLimit", 5},
		"customer gateway asn":    {"aws-staging", "hawebtier:aws", "transit.vpn.customerGatewayAsn", 64601},
		"direct connect prefix":   {"aws-production", "hawebtier:aws", "transit.directConnect.allowedPrefixes[0]", "10.120.0.1/16"},
		"migration source host":   {"aws-production", "hawebtier:aws", "migration.source.host", "legacy db"},
		"migration table pattern": {"aws-production", "hawebtier:aws", "migration.tables[0]", "shop"},
		"migration class":         {"aws-production", "hawebtier:aws", "migration.instanceClass", "t3.medium"},
		"migration dns server":    {"aws-production", "hawebtier:aws", "migration.source.dnsServers[0]", "192.168.7.53"},
		"migration dns domain":    {"aws-production", "hawebtier:aws", "migration.source.dnsDomain", "other.internal"},
		"database password mode":  {"aws-staging", "hawebtier:aws", "database.masterPassword", "typed"},
		"alarm email":             {"aws-staging", "hawebtier:aws", "alarms.email", "ops"},
		"vm cpus":                 {"onprem-dev", "hawebtier:onprem", "sizes.web.cpus", -1},
		"vm disk negative":        {"onprem-dev", "hawebtier:onprem", "sizes.web.diskGb", -5},
		"domain":                  {"onprem-dev", "hawebtier:onprem", "domain", "not a domain"},
		"folder":                  {"onprem-dev", "hawebtier:onprem", "folder", ""},
		"interface":               {"onprem-dev", "hawebtier:onprem", "network.interface", "bad iface name!"},
		"ssh user":                {"onprem-dev", "hawebtier:onprem", "ssh.user", "no spaces allowed"},
		"dns server":              {"onprem-dev", "hawebtier:onprem", "network.dns[0]", "10.20.0.300"},
	}
	for name, m := range muts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := loadStack(t, m.stack)
			setPath(t, &opts, m.key, m.path, m.value)
			res, err := run(t, opts)
			if err == nil {
				t.Fatalf("%s = %v accepted: every value here is one some component refuses", m.path, m.value)
			}
			var ce *stacks.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("failed with %v, not a config error naming the key", err)
			}
			// The problem is under the exact key of the value set wrong,
			// whichever check (the stack's or the component's) found it.
			want := m.key + "." + m.path
			if m.path == "web.minSize" {
				want = m.key + ".web.maxSize" // "must be at least minSize"
			}
			if !ce.Has(want, "") {
				t.Errorf("no problem under %s:\n%v", want, err)
			}
			for _, r := range res.Resources {
				if r.Type != "pulumi:pulumi:Stack" {
					t.Errorf("registered %s %s before failing: %v", r.Type, r.Name, err)
					break
				}
			}
		})
	}
}
