package account_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawebtier/hawebtier/internal/account"
	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/stacks"
)

const projectDir = "../.."

func planShipped(t *testing.T, dir string, overrides map[string]map[string]string) []account.Stack {
	t.Helper()
	names, err := account.AWSStacks(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 2 {
		t.Fatalf("AWS stacks %v: want staging and production", names)
	}
	out, err := account.PlanStacks(context.Background(), stacks.Run, dir, names, stacks.OperatorSecretKeys(), overrides)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestShippedStacksShareAnAccountWithoutCollisions plans every shipped AWS
// stack together, as one account would hold them (the README's default):
// no object is claimed twice. The stacks claim many account-unique names
// (web ACLs, log groups, DMS identifiers, final snapshots), so the check
// has something to compare.
func TestShippedStacksShareAnAccountWithoutCollisions(t *testing.T) {
	t.Parallel()
	planned := planShipped(t, projectDir, nil)
	claims := 0
	for _, s := range planned {
		claims += len(account.Claims(s))
	}
	if claims < 10 {
		t.Fatalf("only %d claims across %d stacks: the rules match nothing", claims, len(planned))
	}
	for _, c := range account.Collisions(planned) {
		t.Errorf("collision: %v", c)
	}
}

// TestAccountViewFindsCollisions: what two stacks in one account would
// both claim, shown on edits of the shipped stacks.
func TestAccountViewFindsCollisions(t *testing.T) {
	t.Parallel()
	awsJSON := func(t *testing.T, stack string, edit func(m map[string]any)) string {
		t.Helper()
		opts, err := mocktest.LoadStack(projectDir, stack)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		if err := json.Unmarshal([]byte(opts.Config["hawebtier:aws"]), &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	sub := func(m map[string]any, path ...string) map[string]any {
		for _, p := range path {
			m = m[p].(map[string]any)
		}
		return m
	}
	cases := map[string]struct {
		overrides map[string]map[string]string
		object    string
		key       string
	}{
		"one router for both stacks": {
			overrides: map[string]map[string]string{"aws-staging": {"hawebtier:aws": awsJSON(t, "aws-staging", func(m map[string]any) {
				sub(m, "transit", "vpn")["customerGatewayIp"] = "198.51.100.10"
			})}},
			object: "VPN customer gateway", key: "ipsec.1 198.51.100.10 ASN 65010",
		},
		"account-wide DMS roles in both": {
			overrides: map[string]map[string]string{"aws-staging": {"hawebtier:aws": awsJSON(t, "aws-staging", func(m map[string]any) {
				prod := map[string]any{}
				_ = json.Unmarshal([]byte(awsJSON(t, "aws-production", func(map[string]any) {})), &prod)
				m["migration"] = prod["migration"]
				m["database"].(map[string]any)["readReplicas"] = 0
			})}},
			object: "IAM role", key: "dms-vpc-role",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			found := false
			for _, c := range account.Collisions(planShipped(t, projectDir, tc.overrides)) {
				if c.Object == tc.object && c.Key == tc.key && len(c.Claims) == 2 {
					found = true
				}
			}
			if !found {
				t.Errorf("no collision on %s %q", tc.object, tc.key)
			}
		})
	}
}

// TestDifferentAccountsShareOnlyGlobalNames: stacks whose config names
// different accounts (aws:allowedAccountIds) may hold the same
// account-scoped names; the same customer gateway in two accounts is two
// objects.
func TestDifferentAccountsShareOnlyGlobalNames(t *testing.T) {
	t.Parallel()
	opts, err := mocktest.LoadStack(projectDir, "aws-staging")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(opts.Config["hawebtier:aws"]), &m); err != nil {
		t.Fatal(err)
	}
	m["transit"].(map[string]any)["vpn"].(map[string]any)["customerGatewayIp"] = "198.51.100.10"
	b, _ := json.Marshal(m)
	planned := planShipped(t, projectDir, map[string]map[string]string{
		"aws-staging": {"hawebtier:aws": string(b), "aws:allowedAccountIds": `["111111111111"]`},
	})
	if got := planned[len(planned)-1].Account(); got != "111111111111" {
		t.Fatalf("account of %s = %q", planned[len(planned)-1].Name, got)
	}
	for _, c := range account.Collisions(planned) {
		t.Errorf("collision across accounts 111111111111 and 210987654321: %v", c)
	}
}

// TestEveryRuleNamesItsSourceAndARegisteredType: a rule for a type the
// project never registers checks nothing.
func TestEveryRuleNamesItsSourceAndARegisteredType(t *testing.T) {
	t.Parallel()
	var golden strings.Builder
	files, _ := filepath.Glob(filepath.Join(projectDir, "stacks", "testdata", "*.golden"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		golden.Write(b)
	}
	known := map[string]bool{"aws:cloudfront/originAccessControl:OriginAccessControl": true, "aws:route53/record:Record": true}
	for _, r := range account.Rules {
		if r.Source == "" || r.Object == "" {
			t.Errorf("%s: rule without object or source", r.Type)
		}
		if !strings.Contains(golden.String(), r.Type+" ") && !known[r.Type] {
			t.Errorf("%s: no shipped stack registers it", r.Type)
		}
	}
}
