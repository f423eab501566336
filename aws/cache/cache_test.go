package cache_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/cache"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

const (
	tRG       = "aws:elasticache/replicationGroup:ReplicationGroup"
	tPassword = "random:index/randomPassword:RandomPassword"
	tSecret   = "aws:secretsmanager/secret:Secret"
	tVersion  = "aws:secretsmanager/secretVersion:SecretVersion"
	tSG       = "aws:ec2/securityGroup:SecurityGroup"
	wasSG     = "sg-0was0000000000001"
)

func validArgs(production bool) *cache.CacheArgs {
	return &cache.CacheArgs{
		NodeType:                "cache.m6g.large",
		Nodes:                   3,
		Production:              production,
		SubnetIDs:               pulumi.ToStringArray([]string{"subnet-a", "subnet-b", "subnet-c"}),
		VpcID:                   pulumi.String("vpc-1"),
		AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{wasSG}),
	}
}

type outputs struct {
	mu                             sync.Mutex
	primary, secretARN, rgID, sgID string
	members                        []string
}

func run(t *testing.T, args *cache.CacheArgs) (*mocktest.Result, *outputs, error) {
	t.Helper()
	o := &outputs{}
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		c, err := cache.NewCache(ctx, "cache", args)
		if err != nil {
			return err
		}
		pulumi.All(c.PrimaryEndpoint, c.AuthSecretARN, c.ReplicationGroupID, c.SecurityGroupID, c.MemberClusterIDs).ApplyT(func(v []any) error {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.primary, o.secretARN, o.rgID, o.sgID = v[0].(string), v[1].(string), v[2].(string), v[3].(string)
			o.members = v[4].([]string)
			return nil
		})
		return nil
	}, mocktest.Options{})
	return res, o, err
}

func TestCacheProperties(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		production bool
		snapshots  float64
	}{
		"production": {true, 7},
		"staging":    {false, 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, out, err := run(t, validArgs(tc.production))
			if err != nil {
				t.Fatal(err)
			}
			rg := res.Find(tRG, "cache")
			if rg == nil {
				t.Fatalf("no replication group:\n%s", mocktest.GoldenList(res))
			}
			want := map[string]any{
				"engine":                   "redis",
				"numCacheClusters":         3.0,
				"automaticFailoverEnabled": true,
				"multiAzEnabled":           true,
				"atRestEncryptionEnabled":  true,
				"transitEncryptionEnabled": true,
				"port":                     6379.0,
				"snapshotRetentionLimit":   tc.snapshots,
				"securityGroupIds":         []any{out.sgID},
			}
			got := map[string]any{}
			for k := range want {
				got[k] = rg.Input(k)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("replication group (-want +got):\n%s", diff)
			}
			if tc.production != (rg.String("finalSnapshotIdentifier") == "cache-final") {
				t.Errorf("finalSnapshotIdentifier %q in production=%v", rg.String("finalSnapshotIdentifier"), tc.production)
			}
			for _, r := range []*mocktest.Resource{rg, res.Find(tSecret, "cache-auth-token"), res.Find(tPassword, "cache-auth-token")} {
				if r.Protect != tc.production || r.RetainOnDelete != tc.production {
					t.Errorf("%s: protect %v retain %v, want %v", r.Type, r.Protect, r.RetainOnDelete, tc.production)
				}
			}
			if diff := cmp.Diff([]string{"cache-001", "cache-002", "cache-003"}, out.members); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			if out.rgID != "cache" || !strings.HasPrefix(out.primary, "master.cache.") {
				t.Errorf("id %q primary %q", out.rgID, out.primary)
			}
		})
	}
}

func TestAuthTokenIsSecretAndAccepted(t *testing.T) {
	t.Parallel()
	res, out, err := run(t, validArgs(false))
	if err != nil {
		t.Fatal(err)
	}
	pw := res.Find(tPassword, "cache-auth-token")
	wantInputs := map[string]any{"length": 64.0, "special": true, "overrideSpecial": "!^-"}
	got := map[string]any{}
	for k := range wantInputs {
		got[k] = pw.Input(k)
	}
	if diff := cmp.Diff(wantInputs, got); diff != "" {
		t.Errorf("RandomPassword inputs (-want +got):\n%s", diff)
	}
	// Whatever the generator draws from these classes, ElastiCache accepts it.
	for _, r := range pw.String("overrideSpecial") {
		if !strings.ContainsRune(cache.ElastiCacheTokenSpecial, r) {
			t.Errorf("special %q is not accepted by ElastiCache", r)
		}
	}
	if l := pw.Input("length").(float64); l < 16 || l > 128 {
		t.Errorf("length %v outside ElastiCache's 16-128", l)
	}
	for _, k := range []string{"upper", "lower", "numeric"} {
		if pw.Input(k) == false {
			t.Errorf("%s disabled", k)
		}
	}

	rg := res.Find(tRG, "cache")
	if !cmp.Equal(rg.SecretPaths, []string{"authToken"}) {
		t.Errorf("replication group secret paths %v, want [authToken]", rg.SecretPaths)
	}
	token := rg.String("authToken")
	if err := cache.ValidAuthToken(token); err != nil {
		t.Errorf("generated token: %v", err)
	}
	ver := res.Find(tVersion, "cache-auth-token")
	if !cmp.Equal(ver.SecretPaths, []string{"secretString"}) {
		t.Errorf("secret version secret paths %v, want [secretString]", ver.SecretPaths)
	}
	var stored map[string]string
	if err := json.Unmarshal([]byte(ver.String("secretString")), &stored); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{cache.AuthSecretKey: token}, stored); diff != "" {
		t.Errorf("secret string (-want +got):\n%s", diff)
	}
	secret := res.Find(tSecret, "cache-auth-token")
	if !res.DependsOn(ver, secret) || !strings.HasPrefix(out.secretARN, "arn:aws:secretsmanager:"+mocktest.AWSRegion) {
		t.Errorf("AuthSecretARN %q", out.secretARN)
	}
	// The token appears in no plain input anywhere.
	for _, r := range res.Resources {
		for k, v := range mocktest.Masked(r.Inputs) {
			if b, _ := json.Marshal(v); strings.Contains(string(b), token) {
				t.Errorf("%s %s input %s holds the token in plain", r.Type, r.Name, k)
			}
		}
	}
}

func TestValidAuthToken(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		tok string
		ok  bool
	}{
		"letters and accepted specials": {"Abcdefgh12345678!&#$^<>-", true},
		"too short":                     {"Abc123!", false},
		"too long":                      {strings.Repeat("a", 129), false},
		"slash":                         {"Abcdefgh12345678/", false},
		"at":                            {"Abcdefgh12345678@", false},
		"quote":                         {`Abcdefgh12345678"`, false},
		"space":                         {"Abcdefgh 12345678", false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if err := cache.ValidAuthToken(tc.tok); (err == nil) != tc.ok {
				t.Errorf("ValidAuthToken(%q) = %v, want ok=%v", tc.tok, err, tc.ok)
			}
		})
	}
}

func TestSecurityGroupAdmitsOnlyWAS(t *testing.T) {
	t.Parallel()
	res, _, err := run(t, validArgs(true))
	if err != nil {
		t.Fatal(err)
	}
	sg := res.Find(tSG, "cache")
	ingress, _ := sg.Input("ingress").([]any)
	if len(ingress) != 1 {
		t.Fatalf("%d ingress rules, want 1", len(ingress))
	}
	rule := ingress[0].(map[string]any)
	want := map[string]any{"protocol": "tcp", "fromPort": 6379.0, "toPort": 6379.0, "securityGroups": []any{wasSG}, "cidrBlocks": nil}
	got := map[string]any{}
	for k := range want {
		got[k] = rule[k]
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ingress (-want +got):\n%s", diff)
	}
}

func TestCacheBadArgs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		mutate func(*cache.CacheArgs)
		wants  []string
	}{
		"one node":    {func(a *cache.CacheArgs) { a.Nodes = 1 }, []string{`cache "cache": Nodes:`, "got 1"}},
		"seven nodes": {func(a *cache.CacheArgs) { a.Nodes = 7 }, []string{`cache "cache": Nodes:`, "got 7"}},
		"node type":   {func(a *cache.CacheArgs) { a.NodeType = "m6g.large" }, []string{`cache "cache": NodeType:`}},
		"t1 node":     {func(a *cache.CacheArgs) { a.NodeType = "cache.t1.micro" }, []string{`cache "cache": NodeType:`, "Multi-AZ"}},
		"version":     {func(a *cache.CacheArgs) { a.EngineVersion = "seven" }, []string{`cache "cache": EngineVersion:`}},
		"all at once": {func(a *cache.CacheArgs) { a.Nodes, a.SubnetIDs, a.VpcID = 1, nil, nil }, []string{"Nodes:", "SubnetIDs:", "VpcID:"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := validArgs(true)
			tc.mutate(args)
			res, _, err := run(t, args)
			mocktest.RequireErrorMentions(t, err, tc.wants...)
			mocktest.RequireNothingRegistered(t, res)
		})
	}
}
