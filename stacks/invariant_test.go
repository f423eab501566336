package stacks_test

import (
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hawebtier/hawebtier/stacks"
)

// mutation sets one config value wrong: path is under key, in a copy of
// the shipped stack.
type mutation struct {
	stack, key, path string
	value            any
}

// muts are values some component refuses, one case per config value a
// component checks (TestEveryConfigValueHasABadValueCase keeps the table
// whole).
var muts = map[string]mutation{
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
	"web ami":                 {"aws-staging", "hawebtier:aws", "web.ami", "debian-12"},
	"web max below min":       {"aws-staging", "hawebtier:aws", "web.maxSize", 1},
	"web cpu target":          {"aws-staging", "hawebtier:aws", "web.targetCpuPercent", 150},
	"web volume":              {"aws-staging", "hawebtier:aws", "web.volumeSizeGb", 4},
	"app ami":                 {"aws-staging", "hawebtier:aws", "app.ami", "ami-x"},
	"app min size":            {"aws-staging", "hawebtier:aws", "app.minSize", 1},
	"app max below min":       {"aws-staging", "hawebtier:aws", "app.maxSize", 1},
	"app cpu target":          {"aws-staging", "hawebtier:aws", "app.targetCpuPercent", -5},
	"app volume":              {"aws-staging", "hawebtier:aws", "app.volumeSizeGb", 20000},
	"database engine":         {"aws-staging", "hawebtier:aws", "database.engine", "oracle"},
	"database storage":        {"aws-staging", "hawebtier:aws", "database.allocatedStorageGb", 10},
	"read replicas":           {"aws-staging", "hawebtier:aws", "database.readReplicas", 6},
	"backup retention":        {"aws-staging", "hawebtier:aws", "database.backupRetentionDays", 36},
	"certificate":             {"aws-staging", "hawebtier:aws", "certificateArn", "my-cert"},
	"origin access":           {"aws-staging", "hawebtier:aws", "edge.originAccess", "s3"},
	"shield phone":            {"aws-production", "hawebtier:aws", "edge.shield.contacts[0].phone", "12345"},
	"shield alarm email":      {"aws-production", "hawebtier:aws", "edge.shield.alarmEmail", "ops"},
	"shield response action":  {"aws-production", "hawebtier:aws", "edge.shield.automaticResponseAction", "ALLOW"},
	"price class":             {"aws-staging", "hawebtier:aws", "edge.priceClass", "PriceClass_1"},
	"amazon side asn":         {"aws-staging", "hawebtier:aws", "transit.amazonSideAsn", 100},
	"peer stack":              {"aws-production", "hawebtier:aws", "transit.peer.stack", ""},
	"peer region":             {"aws-production", "hawebtier:aws", "transit.peer.region", "mars"},
	"peer cidr":               {"aws-production", "hawebtier:aws", "transit.peer.cidr", "10.0.0.0/33"},
	"peer asn":                {"aws-production", "hawebtier:aws", "transit.peer.asn", 64602},
	"peer role":               {"aws-production", "hawebtier:aws", "transit.peer.role", "boss"},
	"peer account":            {"aws-production", "hawebtier:aws", "transit.peer.accountId", "12"},
	"on-prem cidr":            {"aws-staging", "hawebtier:aws", "transit.onPremCidrs[0]", "10.20.0.1/16"},
	"customer gateway ip":     {"aws-staging", "hawebtier:aws", "transit.vpn.customerGatewayIp", "10.1.1.1"},
	"tunnel inside cidr":      {"aws-staging", "hawebtier:aws", "transit.vpn.tunnelInsideCidrs", []string{"169.254.0.0/30", "169.254.10.0/30"}},
	"direct connect asn":      {"aws-production", "hawebtier:aws", "transit.directConnect.asn", 100},
	"migration engine":        {"aws-production", "hawebtier:aws", "migration.source.engine", "db2"},
	"migration port":          {"aws-production", "hawebtier:aws", "migration.source.port", 0},
	"migration username":      {"aws-production", "hawebtier:aws", "migration.source.username", ""},
	"migration database":      {"aws-production", "hawebtier:aws", "migration.source.databaseName", ""},
	"iam propagation":         {"aws-production", "hawebtier:aws", "migration.iamPropagationSeconds", 900},
	"migration ssl mode":      {"aws-production", "hawebtier:aws", "migration.source.sslMode", "always"},
	"migration storage":       {"aws-production", "hawebtier:aws", "migration.allocatedStorageGb", 2},
	"target secret":           {"aws-production", "hawebtier:aws", "migration.targetSecretArn", "my-secret"},
	"datacenter":              {"onprem-dev", "hawebtier:onprem", "datacenter", ""},
	"cluster":                 {"onprem-dev", "hawebtier:onprem", "cluster", ""},
	"datastore":               {"onprem-dev", "hawebtier:onprem", "datastore", ""},
	"port group":              {"onprem-dev", "hawebtier:onprem", "portGroup", ""},
	"template":                {"onprem-dev", "hawebtier:onprem", "template", ""},
	"subnet":                  {"onprem-dev", "hawebtier:onprem", "network.subnet", "10.20.30.1/24"},
	"gateway":                 {"onprem-dev", "hawebtier:onprem", "network.gateway", "10.20.31.1"},
	"vip":                     {"onprem-dev", "hawebtier:onprem", "vip", "10.20.99.10"},
	"vpc cidr":                {"aws-staging", "hawebtier:aws", "network.cidr", "10.110.0.1/16"},
	"az count":                {"aws-staging", "hawebtier:aws", "network.azCount", 7},
	"lb address":              {"onprem-dev", "hawebtier:onprem", "addresses.lb[0]", "10.20.30.300"},
	"web address":             {"onprem-dev", "hawebtier:onprem", "addresses.web[0]", "10.99.0.1"},
	"app address":             {"onprem-dev", "hawebtier:onprem", "addresses.app[0]", "app-1"},
	"monitor address":         {"onprem-dev", "hawebtier:onprem", "addresses.monitor", ""},
	"vrrp router id":          {"onprem-dev", "hawebtier:onprem", "vrrpRouterId", 300},
	"guest net wait":          {"onprem-dev", "hawebtier:onprem", "waitForGuestNetMinutes", -1},
	"vm memory":               {"onprem-dev", "hawebtier:onprem", "sizes.app.memoryMb", 1001},
	"ssh port":                {"onprem-dev", "hawebtier:onprem", "ssh.port", 70000},
	"authorized key":          {"onprem-dev", "hawebtier:onprem", "ssh.authorizedKeys[0]", "not a key"},
	"cloud-init timeout":      {"onprem-dev", "hawebtier:onprem", "ssh.cloudInitTimeoutSeconds", -1},
	"deployed web":            {"onprem-dev", "hawebtier:onprem", "deployedCounts.web", 1},
	"deployed app":            {"onprem-dev", "hawebtier:onprem", "deployedCounts.app", 5},
}

// wantUnder are the cases whose problem is under another key than the
// one set wrong.
var wantUnder = map[string]string{
	// The desired count (web.count) must be at least minSize.
	"web min above max": "hawebtier:web.count",
	// A whole list is set; the element is wrong.
	"tunnel inside cidr": "hawebtier:aws.transit.vpn.tunnelInsideCidrs[0]",
}

// Each case of muts is a value some component refuses: the run must fail
// with a *stacks.ConfigError before registering anything, so no component
// rejects, halfway through a deployment, a value the stack validation let
// through. A value accepted outright fails the test too: deleting both the
// stack's check and the component's would otherwise keep it green.
func TestEveryConfigErrorComesBeforeAnyResource(t *testing.T) {
	t.Parallel()
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
			if w, ok := wantUnder[name]; ok {
				want = w
			}
			// Once: several components take some values (the VPC's CIDR),
			// and one wrong value is one problem.
			if n := countUnder(ce, want); n != 1 {
				t.Errorf("%d problems under %s, want 1:\n%v", n, want, err)
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

// TestEveryConfigValueHasABadValueCase: every leaf of the config objects
// (hawebtier:aws and hawebtier:onprem, by their json names) either has a
// case in muts, which proves that a wrong value is refused under its own
// key, or is named in acceptsAnyValue with the reason no value of its
// type is wrong. A new config value without either fails here.
func TestEveryConfigValueHasABadValueCase(t *testing.T) {
	t.Parallel()
	acceptsAnyValue := map[string]string{
		"hawebtier:aws.network.natGatewayPerAz":       "a bool: either layout is valid",
		"hawebtier:aws.edge.kms":                      "a bool, refused only with originAccess oai: stacks_test OAI with KMS",
		"hawebtier:aws.edge.shield.subscribe":         "a bool: subscribe or read the existing subscription",
		"hawebtier:aws.transit.peer.crossAccount":     "a bool: either peering mode is valid",
		"hawebtier:aws.transit.vpn.staticRoutes":      "a bool: BGP or static routes",
		"hawebtier:aws.migration.startTask":           "a bool: start the task or not",
		"hawebtier:aws.migration.createAccountRoles":  "a bool: one stack per account creates the roles",
		"hawebtier:aws.edge.shield.contacts[0].notes": "free text",
		"hawebtier:onprem.ssh.hostKeys.<name>":        "checked by the stack's own rule, not a component: stacks_test host key cases",
		"hawebtier:onprem.resourcePool":               "optional, and any name is one vCenter may hold: lookUpOnPrem reports one it does not",
	}
	var set []string
	for _, m := range muts {
		set = append(set, m.key+"."+m.path)
	}
	for _, root := range []struct {
		key string
		cfg any
	}{{"hawebtier:aws", stacks.AWSConfig{}}, {"hawebtier:onprem", stacks.OnPremConfig{}}} {
		for _, leaf := range configLeaves(root.key, reflect.TypeOf(root.cfg)) {
			if !hasCase(leaf, set) && acceptsAnyValue[leaf] == "" {
				t.Errorf("%s: no bad-value case in muts and not in acceptsAnyValue", leaf)
			}
		}
	}
}

// hasCase reports whether some path set matches leaf, a key as
// configLeaves spells it: any index for [0], any name for <name>, and a
// whole list set at once for its elements.
func hasCase(leaf string, set []string) bool {
	pattern := regexp.QuoteMeta(leaf)
	pattern = strings.ReplaceAll(pattern, `\[0\]`, `(\[[0-9]+\])?`)
	pattern = strings.ReplaceAll(pattern, "<name>", "[^.]+")
	re := regexp.MustCompile("^" + pattern + "$")
	for _, p := range set {
		if re.MatchString(p) {
			return true
		}
	}
	return false
}

// configLeaves lists the keys of every value of a config type, by the
// json names encoding/json decodes (embedded structs' fields promoted,
// a list's element as [0], a map's as <name>).
func configLeaves(prefix string, t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice:
		return configLeaves(prefix+"[0]", t.Elem())
	case reflect.Map:
		return configLeaves(prefix+".<name>", t.Elem())
	case reflect.Struct:
	default:
		return []string{prefix}
	}
	var out []string
	seen := map[string]bool{}
	var fields func(t reflect.Type)
	fields = func(t reflect.Type) {
		var embedded []reflect.Type
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" {
				embedded = append(embedded, f.Type)
				continue
			}
			if !f.IsExported() || name == "-" || name == "" || seen[name] {
				continue
			}
			seen[name] = true
			out = append(out, configLeaves(prefix+"."+name, f.Type)...)
		}
		for _, e := range embedded {
			fields(e)
		}
	}
	fields(t)
	return out
}

func countUnder(ce *stacks.ConfigError, key string) int {
	n := 0
	for _, p := range ce.Problems {
		if p.Key == key {
			n++
		}
	}
	return n
}
