package stacks_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/stacks"
)

var update = flag.Bool("update", false, "rewrite testdata/<stack>.golden from the current program")

// shippedStacks are the stack files under stacks/.
var shippedStacks = []string{"onprem-dev", "aws-staging", "aws-production"}

func loadStack(t *testing.T, stack string) mocktest.Options {
	t.Helper()
	opts, err := mocktest.LoadStack("..", stack)
	if err != nil {
		t.Fatal(err)
	}
	// The shipped stacks hold no secrets: each operator sets them in their
	// own stack. Run as if they had.
	opts = opts.WithPlaceholderSecrets(stacks.OperatorSecretKeys()...)
	// A preview: on `pulumi up` the program refuses the documentation
	// addresses and example domains the shipped stacks hold.
	opts.Preview = true
	opts.StackOutputs = mocktest.CannedStackOutputs()
	return opts
}

// setPath sets a dotted path (with [i] indexes) inside a JSON config value.
func setPath(t *testing.T, opts *mocktest.Options, key, path string, value any) {
	t.Helper()
	var root any = map[string]any{}
	if raw, ok := opts.Config[key]; ok && raw != "" && path != "" {
		if err := json.Unmarshal([]byte(raw), &root); err != nil {
			t.Fatalf("%s is not JSON: %v", key, err)
		}
	}
	if path == "" {
		root = value
	} else {
		root = setIn(t, root, strings.Split(path, "."), value)
	}
	b, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	cfg := map[string]string{}
	for k, v := range opts.Config {
		cfg[k] = v
	}
	if s, ok := root.(string); ok {
		cfg[key] = s
	} else {
		cfg[key] = string(b)
	}
	opts.Config = cfg
}

func setIn(t *testing.T, node any, parts []string, value any) any {
	t.Helper()
	if len(parts) == 0 {
		return value
	}
	name, idx := parts[0], -1
	if i := strings.Index(name, "["); i >= 0 {
		n, err := strconv.Atoi(strings.TrimSuffix(name[i+1:], "]"))
		if err != nil {
			t.Fatalf("bad index in %q", name)
		}
		name, idx = name[:i], n
	}
	m, ok := node.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	if idx < 0 {
		m[name] = setIn(t, m[name], parts[1:], value)
		return m
	}
	list, _ := m[name].([]any)
	for len(list) <= idx {
		list = append(list, nil)
	}
	list[idx] = setIn(t, list[idx], parts[1:], value)
	m[name] = list
	return m
}

func run(t *testing.T, opts mocktest.Options) (*mocktest.Result, error) {
	t.Helper()
	return mocktest.Run(context.Background(), stacks.Run, opts)
}

func TestShippedStacksMatchGolden(t *testing.T) {
	t.Parallel()
	for _, stack := range shippedStacks {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res, err := run(t, loadStack(t, stack))
			if err != nil {
				t.Fatalf("stack %s: %v", stack, err)
			}
			// The list (type, name, parent) and every resource's inputs with
			// secrets masked: multiAz false or a new open ingress rule shows.
			for file, got := range map[string]string{
				stack + ".golden":        mocktest.GoldenList(res),
				stack + ".inputs.golden": mocktest.GoldenInputs(res),
			} {
				path := filepath.Join("testdata", file)
				if *update {
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./stacks -run Golden -update to create it)", err)
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("stack %s differs from testdata/%s (-golden +got); if intended, run go test ./stacks -run Golden -update:\n%s", stack, file, diff)
				}
			}
		})
	}
}

func TestBadConfigNamesKeyAndRegistersNothing(t *testing.T) {
	t.Parallel()
	type edit struct {
		key, path string
		value     any
	}
	tests := map[string]struct {
		stack   string
		edits   []edit
		wantKey string
		wantMsg string
	}{
		"no target": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:target", "", ""}},
			wantKey: "hawebtier:target", wantMsg: "required: onprem or aws",
		},
		"unknown target": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:target", "", "azure"}},
			wantKey: "hawebtier:target", wantMsg: `unknown target "azure"`,
		},
		"unknown environment": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:environment", "", "prod"}},
			wantKey: "hawebtier:environment", wantMsg: `unknown environment "prod"`,
		},
		"web count below HA minimum": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:web", "count", 1}},
			wantKey: "hawebtier:web.count", wantMsg: "need at least 2 web servers for HA, got 1",
		},
		"app count below HA minimum": {
			stack: "aws-staging", edits: []edit{{"hawebtier:app", "count", 1}},
			wantKey: "hawebtier:app.count", wantMsg: "need at least 2 app servers for HA, got 1",
		},
		"one availability zone": {
			stack: "aws-staging", edits: []edit{{"hawebtier:aws", "network.azCount", 1}},
			wantKey: "hawebtier:aws.network.azCount", wantMsg: "need 2 to 6 availability zones",
		},
		"cache with one node": {
			stack: "aws-staging", edits: []edit{{"hawebtier:aws", "cache.nodes", 1}},
			wantKey: "hawebtier:aws.cache.nodes", wantMsg: "need 2 to 6 nodes",
		},
		"malformed subnet": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:onprem", "network.subnet", "10.20.30.0/33"}},
			wantKey: "hawebtier:onprem.network.subnet", wantMsg: "expected an IPv4 CIDR",
		},
		"subnet not a network address": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:onprem", "network.subnet", "10.20.30.5/24"}},
			wantKey: "hawebtier:onprem.network.subnet", wantMsg: "10.20.30.0/24",
		},
		"malformed VPC CIDR": {
			stack: "aws-staging", edits: []edit{{"hawebtier:aws", "network.cidr", "10.110.0.0"}},
			wantKey: "hawebtier:aws.network.cidr", wantMsg: "expected an IPv4 CIDR",
		},
		"VPC too small for its subnets": {
			stack: "aws-staging", edits: []edit{{"hawebtier:aws", "network.cidr", "10.110.0.0/24"}},
			wantKey: "hawebtier:aws.network.cidr", wantMsg: "expected a /16 to /23 VPC",
		},
		"malformed IP": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:onprem", "addresses.app[1]", "10.20.30.999"}},
			wantKey: "hawebtier:onprem.addresses.app[1]", wantMsg: "expected an IPv4 address",
		},
		"IP outside its subnet": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:onprem", "addresses.web[0]", "10.20.31.21"}},
			wantKey: "hawebtier:onprem.addresses.web[0]", wantMsg: "outside the subnet 10.20.30.0/24",
		},
		"gateway outside its subnet": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:onprem", "network.gateway", "10.20.0.1"}},
			wantKey: "hawebtier:onprem.network.gateway", wantMsg: "outside the subnet",
		},
		"duplicate IPs": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:onprem", "addresses.app[0]", "10.20.30.21"}},
			wantKey: "hawebtier:onprem.addresses.app[0]", wantMsg: "duplicate address 10.20.30.21, already used by hawebtier:onprem.addresses.web[0]",
		},
		"VIP collides with a node": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:onprem", "vip", "10.20.30.11"}},
			wantKey: "hawebtier:onprem.addresses.lb[0]", wantMsg: "collides with hawebtier:onprem.vip",
		},
		"addresses do not match the count": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:web", "count", 3}},
			wantKey: "hawebtier:onprem.addresses.web", wantMsg: "need 3 addresses",
		},
		"overlapping CIDRs": {
			stack: "aws-production", edits: []edit{{"hawebtier:aws", "transit.peer.cidr", "10.120.128.0/17"}},
			wantKey: "hawebtier:aws.transit.peer.cidr", wantMsg: "overlaps VpcCIDR (10.120.0.0/16)",
		},
		"unknown connector": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:connector", "", "mod_cluster"}},
			wantKey: "hawebtier:connector", wantMsg: `unknown connector "mod_cluster"`,
		},
		"ajp on aws": {
			stack: "aws-staging", edits: []edit{{"hawebtier:connector", "", "proxy_ajp"}},
			wantKey: "hawebtier:connector", wantMsg: "internal ALB, which speaks HTTP only",
		},
		"unknown database engine": {
			stack: "aws-staging", edits: []edit{{"hawebtier:aws", "database.engine", "db2"}},
			wantKey: "hawebtier:aws.database.engine", wantMsg: `unknown engine "db2"`,
		},
		"empty required name": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:onprem", "datacenter", ""}},
			wantKey: "hawebtier:onprem.datacenter", wantMsg: "required",
		},
		"unknown key in a config object": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:onprem", "adresses", map[string]any{}}},
			wantKey: "hawebtier:onprem.adresses", wantMsg: "unknown key; expected one of: addresses,",
		},
		"unknown nested key": {
			stack: "aws-staging", edits: []edit{{"hawebtier:aws", "network.cidrBlock", "10.0.0.0/16"}},
			wantKey: "hawebtier:aws.network.cidrBlock", wantMsg: "unknown key",
		},
		"wrong type": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:web", "count", "two"}},
			wantKey: "hawebtier:web.count", wantMsg: "expected an integer, got string",
		},
		"ajp without ssh on-prem": {
			stack: "onprem-dev", edits: []edit{{"hawebtier:connector", "", "proxy_ajp"}, {"hawebtier:onprem", "ssh", nil}},
			wantKey: "hawebtier:onprem.ssh", wantMsg: "AJP secret reaches the nodes over SSH",
		},
		"equal transit ASNs": {
			stack: "aws-production", edits: []edit{{"hawebtier:aws", "transit.peer.asn", 64602}},
			wantKey: "hawebtier:aws.transit.peer.asn", wantMsg: "each gateway needs its own ASN",
		},
		"reserved tunnel inside CIDR": {
			stack: "aws-production", edits: []edit{{"hawebtier:aws", "transit.vpn.tunnelInsideCidrs[0]", "169.254.169.252/30"}},
			wantKey: "hawebtier:aws.transit.vpn.tunnelInsideCidrs[0]", wantMsg: "reserved by AWS",
		},
		"OAI with KMS": {
			stack: "aws-staging", edits: []edit{{"hawebtier:aws", "edge.kms", true}},
			wantKey: "hawebtier:aws.edge.kms", wantMsg: "need OriginAccess oac",
		},
		"OAI in a region it cannot reach": {
			stack: "aws-staging", edits: []edit{{"hawebtier:aws", "edge.replicaRegion", "il-central-1"}},
			wantKey: "hawebtier:aws.edge.originAccess", wantMsg: "il-central-1 launched after December 2022",
		},
		"replica in the stack's own region": {
			stack: "aws-staging", edits: []edit{{"hawebtier:aws", "edge.replicaRegion", "eu-west-1"}},
			wantKey: "hawebtier:aws.edge.replicaRegion", wantMsg: "is the primary region",
		},
		"read replica of an RDS-managed password": {
			stack: "aws-production", edits: []edit{{"hawebtier:aws", "database.masterPassword", "managed"}},
			wantKey: "hawebtier:aws.database.masterPassword", wantMsg: "RDS creates no read replica of an instance whose master password it manages",
		},
		"DMS onto the RDS-managed secret": {
			stack: "aws-production", edits: []edit{{"hawebtier:aws", "database.readReplicas", 0}, {"hawebtier:aws", "database.masterPassword", "managed"}},
			wantKey: "hawebtier:aws.migration.targetSecretArn", wantMsg: "holds no host or port",
		},
		"legacy host name without resolvers": {
			stack: "aws-production", edits: []edit{{"hawebtier:aws", "migration.source.dnsServers", nil}},
			wantKey: "hawebtier:aws.migration.source.dnsServers", wantMsg: "required when Source.Host is a name",
		},
		"empty table mappings": {
			stack: "aws-production", edits: []edit{{"hawebtier:aws", "migration.tables", []any{}}},
			wantKey: "hawebtier:aws.migration.tables", wantMsg: "need at least one",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := loadStack(t, tc.stack)
			for _, e := range tc.edits {
				setPath(t, &opts, e.key, e.path, e.value)
			}
			res, err := run(t, opts)
			var ce *stacks.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *stacks.ConfigError", err)
			}
			if !ce.Has(tc.wantKey, tc.wantMsg) {
				t.Errorf("no problem %s: ...%s...; got:\n%v", tc.wantKey, tc.wantMsg, err)
			}
			if !strings.Contains(err.Error(), tc.wantKey+": ") {
				t.Errorf("message does not name %s:\n%v", tc.wantKey, err)
			}
			for _, r := range res.Resources {
				if r.Type != "pulumi:pulumi:Stack" {
					t.Errorf("registered %s %s despite invalid config", r.Type, r.Name)
				}
			}
		})
	}
}

func TestAllProblemsReportedAtOnce(t *testing.T) {
	t.Parallel()
	opts := loadStack(t, "onprem-dev")
	setPath(t, &opts, "hawebtier:web", "count", 1)
	setPath(t, &opts, "hawebtier:onprem", "template", "")
	setPath(t, &opts, "hawebtier:onprem", "vip", "10.20.30.300")
	_, err := run(t, opts)
	var ce *stacks.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v", err)
	}
	for _, k := range []string{"hawebtier:web.count", "hawebtier:onprem.template", "hawebtier:onprem.vip", "hawebtier:onprem.addresses.web"} {
		found := false
		for _, p := range ce.Problems {
			found = found || p.Key == k
		}
		if !found {
			t.Errorf("no problem reported for %s in:\n%v", k, err)
		}
	}
}

// TestShippedStackFilesWorkForANewUser loads each shipped stack file with
// the SDK's loader and checks what decides whether someone who clones the
// repo can `pulumi stack init` it on their own backend: no secrets provider,
// encryption salt, encrypted key or secure value of another passphrase
// (the CLI refuses a salt made with another passphrase: "incorrect
// passphrase"), and the project's config validation passes.
func TestShippedStackFilesWorkForANewUser(t *testing.T) {
	t.Parallel()
	proj, err := mocktest.ProjectFile("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, stack := range shippedStacks {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			ps, err := mocktest.LoadProjectStack("..", proj, stack)
			if err != nil {
				t.Fatal(err)
			}
			for what, v := range map[string]string{"secretsprovider": ps.SecretsProvider, "encryptionsalt": ps.EncryptionSalt, "encryptedkey": ps.EncryptedKey} {
				if v != "" {
					t.Errorf("%s is set (%q): a new user's backend and passphrase cannot open it", what, v)
				}
			}
			for _, k := range ps.Config.SecureKeys() {
				t.Errorf("%s is a secure value made with someone else's passphrase; operators set it themselves", k)
			}
			if _, err := mocktest.LoadStack("..", stack); err != nil {
				t.Errorf("the CLI's config validation refuses it: %v", err)
			}
		})
	}
}

// TestProjectRequiresATarget: Pulumi.yaml gives hawebtier:target no
// default, so the CLI (and the harness, which applies the CLI's rules)
// stops a stack that does not name it before the program runs.
func TestProjectRequiresATarget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "stacks/Pulumi.onprem-dev.yaml"} {
		raw, err := os.ReadFile(filepath.Join("..", f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(f, "stacks/") {
			raw = []byte(strings.Replace(string(raw), "  hawebtier:target: onprem\n", "", 1))
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := mocktest.LoadStack(dir, "onprem-dev")
	if err == nil || !strings.Contains(err.Error(), "Stack 'onprem-dev' is missing configuration value 'target'") {
		t.Fatalf("err = %v, want the CLI's missing-key error naming target", err)
	}
}

// TestOperatorSecretsMustBeSecret: a secret set without --secret would sit
// in the stack file in clear text; the program refuses it under its key.
func TestOperatorSecretsMustBeSecret(t *testing.T) {
	t.Parallel()
	for stack, k := range map[string]string{"onprem-dev": "hawebtier:sshPrivateKey", "aws-production": "hawebtier:legacyDbPassword"} {
		t.Run(k, func(t *testing.T) {
			t.Parallel()
			opts := loadStack(t, stack)
			var keys []string
			for _, s := range opts.SecretKeys {
				if s != k {
					keys = append(keys, s)
				}
			}
			opts.SecretKeys = keys
			_, err := run(t, opts)
			var ce *stacks.ConfigError
			if !errors.As(err, &ce) || !ce.Has(k, "must be secret") {
				t.Fatalf("err = %v, want %s refused as plain text", err, k)
			}
		})
	}
}

func TestMissingLegacyPasswordIsNamed(t *testing.T) {
	t.Parallel()
	opts := loadStack(t, "aws-production")
	delete(opts.Config, "hawebtier:legacyDbPassword")
	_, err := run(t, opts)
	var ce *stacks.ConfigError
	if !errors.As(err, &ce) || !ce.Has("hawebtier:legacyDbPassword", "required when aws.migration is set") {
		t.Fatalf("err = %v, want the missing source password named", err)
	}
}
