package webtier_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/cache"
	"github.com/hawebtier/hawebtier/aws/database"
	"github.com/hawebtier/hawebtier/aws/network"
	"github.com/hawebtier/hawebtier/aws/webtier"
	"github.com/hawebtier/hawebtier/components/cloudinit/cloudinittest"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// wired builds the four components the way the aws stacks do: network
// first, the web tier on it, the data tiers admitting the WAS security
// group, and the web tier reading the data tiers' endpoints and secrets.
func wired(t *testing.T) (*mocktest.Result, map[string]string) {
	t.Helper()
	var mu sync.Mutex
	got := map[string]string{}
	keep := func(k string, o pulumi.StringOutput) {
		o.ApplyT(func(s string) string { mu.Lock(); defer mu.Unlock(); got[k] = s; return s })
	}
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		net, err := network.NewNetwork(ctx, "net", &network.NetworkArgs{CIDR: "10.120.0.0/16", NATGatewayPerAZ: true})
		if err != nil {
			return err
		}
		// The WAS tier reads the data tiers' endpoints and secrets, and the
		// data tiers admit the WAS security group: the data tiers come
		// first, and admit the WAS tier with rules of their own once it
		// exists.
		db, err := database.NewDatabase(ctx, "db", &database.DatabaseArgs{
			Engine: "mysql", InstanceClass: "db.m6i.large", AllocatedStorageGB: 100, DBName: "shop", Username: "appadmin",
			Production: true, SubnetIDs: net.DataSubnetIDs, VpcID: net.VpcID,
		})
		if err != nil {
			return err
		}
		c, err := cache.NewCache(ctx, "cache", &cache.CacheArgs{
			NodeType: "cache.m6g.large", Nodes: 3, Production: true,
			SubnetIDs: net.DataSubnetIDs, VpcID: net.VpcID,
		})
		if err != nil {
			return err
		}
		w, err := webtier.NewWebTier(ctx, "tier", &webtier.WebTierArgs{
			Environment: "production", VpcID: net.VpcID, PublicSubnetIDs: net.PublicSubnetIDs, AppSubnetIDs: net.AppSubnetIDs,
			Web:              webtier.TierArgs{InstanceType: "m6i.large", MinSize: 3, MaxSize: 9},
			App:              webtier.TierArgs{InstanceType: "m6i.xlarge", MinSize: 3, MaxSize: 9},
			DatabaseEndpoint: db.Endpoint, DatabaseSecretARN: db.MasterSecretARN,
			CacheEndpoint: c.Endpoint, CacheSecretARN: c.AuthSecretARN,
		})
		if err != nil {
			return err
		}
		if err := db.Admit(ctx, "was", w.WasSecurityGroupID); err != nil {
			return err
		}
		if err := c.Admit(ctx, "was", w.WasSecurityGroupID); err != nil {
			return err
		}
		keep("was", w.WasSecurityGroupID)
		keep("dbSecret", db.MasterSecretARN)
		keep("cacheSecret", c.AuthSecretARN)
		keep("internalDNS", w.InternalALBDNSName)
		keep("cacheEndpoint", c.Endpoint)
		keep("dbEndpoint", db.Endpoint)
		return nil
	}, mocktest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res, got
}

func TestWiredDependencyEdges(t *testing.T) {
	t.Parallel()
	res, _ := wired(t)
	appLT := mocktest.MustFind(t, res, tLT, "tier-app")
	webLT := mocktest.MustFind(t, res, tLT, "tier-web")
	rdsInstance := mocktest.MustFind(t, res, "aws:rds/instance:Instance", "db")
	rg := mocktest.MustFind(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "cache")
	cacheSecret := mocktest.MustFind(t, res, "aws:secretsmanager/secret:Secret", "cache-auth-token")
	secretsPolicy := mocktest.MustFind(t, res, tRolePol, "tier-app-secrets")
	internalALB := mocktest.MustFind(t, res, tALB, "tier-internal")
	edges := map[string]struct {
		from, to *mocktest.Resource
		want     bool
	}{
		"WAS template -> database endpoint and secret": {appLT, rdsInstance, true},
		"WAS template -> cache endpoint":               {appLT, rg, true},
		"WAS template -> cache secret":                 {appLT, cacheSecret, true},
		"WAS template -> internal ALB":                 {appLT, internalALB, true},
		"secrets policy -> database secret":            {secretsPolicy, rdsInstance, true},
		"secrets policy -> cache secret":               {secretsPolicy, cacheSecret, true},
		"WEB template -> internal ALB":                 {webLT, internalALB, true},
		// The web servers know nothing of the data tiers, so replacing
		// the database does not roll them.
		"WEB template -/-> database": {webLT, rdsInstance, false},
		"WEB template -/-> cache":    {webLT, rg, false},
	}
	for name, e := range edges {
		if got := res.DependsOn(e.from, e.to); got != e.want {
			t.Errorf("%s: DependsOn = %v, want %v", name, got, e.want)
		}
	}
	// The user-data input itself carries the data-tier dependencies.
	deps := strings.Join(appLT.PropertyDependencies["userData"], " ")
	for _, r := range []*mocktest.Resource{rdsInstance, rg, cacheSecret, internalALB} {
		if !strings.Contains(deps, r.URN) {
			t.Errorf("app userData does not depend on %s", r.Name)
		}
	}
}

func TestWiredDataTiersAdmitOnlyWAS(t *testing.T) {
	t.Parallel()
	res, got := wired(t)
	for _, name := range []string{"db", "cache"} {
		sg := mocktest.MustFind(t, res, tSG, name)
		if rules := ingress(t, sg); len(rules) != 0 {
			t.Errorf("%s has inline ingress %+v beside its standalone rules", name, rules)
		}
		var admitted []string
		for _, r := range res.OfType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
			if r.String("securityGroupId") == sg.ID {
				admitted = append(admitted, r.String("referencedSecurityGroupId")+" "+r.String("cidrIpv4"))
			}
		}
		if len(admitted) != 1 || admitted[0] != got["was"]+" " {
			t.Errorf("%s admits %v, want only the WAS group %s", name, admitted, got["was"])
		}
	}
	// Nothing but the public ALB admits 0.0.0.0/0.
	for _, sg := range res.OfType(tSG) {
		for _, r := range ingress(t, sg) {
			for _, c := range r.CIDRs {
				if c == "0.0.0.0/0" && sg.Name != "tier-public-alb" {
					t.Errorf("%s admits the world on %v", sg.Name, r.Port)
				}
			}
		}
	}
}

func TestWiredUserData(t *testing.T) {
	t.Parallel()
	res, got := wired(t)
	token := mocktest.MustFind(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "cache").String("authToken")
	if token == "" {
		t.Fatal("no cache token to look for")
	}
	cases := map[string]struct {
		lt            string
		want, wantNot []string
	}{
		"web": {"tier-web", []string{got["internalDNS"]}, []string{got["dbSecret"], got["cacheSecret"], got["dbEndpoint"]}},
		"app": {"tier-app", []string{got["dbSecret"], got["cacheSecret"], got["dbEndpoint"], got["cacheEndpoint"], mocktest.AWSRegion}, nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			lt := mocktest.MustFind(t, res, tLT, tc.lt)
			if len(lt.SecretPaths) != 0 {
				t.Errorf("launch template has secret inputs %v: a secret would hide the user-data diff", lt.SecretPaths)
			}
			doc := userData(t, lt)
			if !strings.HasPrefix(doc, "#cloud-config\n") {
				t.Fatalf("user-data is not cloud-config:\n%.200s", doc)
			}
			if strings.Contains(doc, token) {
				t.Error("user-data holds the cache auth token")
			}
			for _, w := range tc.want {
				if !strings.Contains(doc, w) {
					t.Errorf("user-data lacks %q", w)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(doc, w) {
					t.Errorf("user-data holds %q", w)
				}
			}
			cloudinittest.RequireValid(t, doc)
		})
	}
}
