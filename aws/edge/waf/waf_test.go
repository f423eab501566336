package waf_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge/waf"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

func run(t *testing.T, name string, mutate func(*waf.WebACLArgs)) (*mocktest.Result, error) {
	t.Helper()
	return mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		args := &waf.WebACLArgs{USEast1: east}
		if mutate != nil {
			mutate(args)
		}
		_, err = waf.NewWebACL(ctx, name, args)
		return err
	}, mocktest.Options{})
}

func TestRulesAndLogging(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		rateLimit, want float64
	}{
		"default": {0, 2000},
		"custom":  {500, 500},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := run(t, "edge", func(a *waf.WebACLArgs) { a.RateLimit = int(tc.rateLimit) })
			if err != nil {
				t.Fatal(err)
			}
			acl := res.Find("aws:wafv2/webAcl:WebAcl", "edge")
			if acl == nil {
				t.Fatalf("no web ACL:\n%s", mocktest.GoldenList(res))
			}
			var names []string
			var limit any
			for _, r := range acl.Input("rules").([]any) {
				rm := r.(map[string]any)
				st := rm["statement"].(map[string]any)
				if g, ok := st["managedRuleGroupStatement"].(map[string]any); ok {
					names = append(names, g["vendorName"].(string)+"/"+g["name"].(string))
					if _, ok := rm["overrideAction"].(map[string]any)["none"]; !ok {
						t.Errorf("%s: override %v, want none (the group's own blocks apply)", g["name"], rm["overrideAction"])
					}
				}
				if rb, ok := st["rateBasedStatement"].(map[string]any); ok {
					limit = rb["limit"]
					if _, ok := rm["action"].(map[string]any)["block"]; !ok || rb["aggregateKeyType"] != "IP" {
						t.Errorf("rate rule %v", rm)
					}
				}
			}
			want := []string{"AWS/AWSManagedRulesAmazonIpReputationList", "AWS/AWSManagedRulesKnownBadInputsRuleSet", "AWS/AWSManagedRulesCommonRuleSet", "AWS/AWSManagedRulesSQLiRuleSet"}
			if diff := cmp.Diff(want, names); diff != "" {
				t.Errorf("managed groups (-want +got):\n%s", diff)
			}
			if limit != tc.want {
				t.Errorf("rate limit %v, want %v", limit, tc.want)
			}
			if acl.String("scope") != "CLOUDFRONT" || acl.Input("defaultAction").(map[string]any)["allow"] == nil {
				t.Errorf("scope %q default %v", acl.String("scope"), acl.Input("defaultAction"))
			}
			east := res.Find("pulumi:providers:aws", "us-east-1").URN
			logs := res.Find("aws:cloudwatch/logGroup:LogGroup", "edge-logs")
			cfg := res.Find("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "edge")
			for _, r := range []*mocktest.Resource{acl, logs, cfg} {
				if r.ProviderURN() != east {
					t.Errorf("%s on %q, want us-east-1", r.Type, r.Provider)
				}
			}
			if !strings.HasPrefix(logs.String("name"), "aws-waf-logs-") {
				t.Errorf("log group %q lacks the aws-waf-logs- prefix WAF requires", logs.String("name"))
			}
			if !cmp.Equal(cfg.PropertyDependencies["logDestinationConfigs"], []string{logs.URN}) || !cmp.Equal(cfg.PropertyDependencies["resourceArn"], []string{acl.URN}) {
				t.Errorf("logging config wiring %v", cfg.PropertyDependencies)
			}
		})
	}
}

func TestInvalidArgs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		name   string
		mutate func(*waf.WebACLArgs)
		want   []string
	}{
		"no provider": {"edge", func(a *waf.WebACLArgs) { a.USEast1 = nil }, []string{`waf "edge": USEast1: required`}},
		"bad limit":   {"edge", func(a *waf.WebACLArgs) { a.RateLimit = 9 }, []string{`waf "edge": RateLimit: expected 10-2000000000`}},
		"both":        {"bad name!", func(a *waf.WebACLArgs) { a.RateLimit = -1 }, []string{`waf "bad name!": RateLimit`, `waf "bad name!": ResourceName`}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := run(t, tc.name, tc.mutate)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if n := len(res.Resources); n != 1 {
				t.Errorf("%d resources registered besides nothing but the provider:\n%s", n, mocktest.GoldenList(res))
			}
		})
	}
}

// TestResourceNameNamesTheAccountUniqueObjects: a web ACL name is unique per
// account and scope, a log group name per account and region; ResourceName
// gives both, so two stacks in one account can each have their own.
func TestResourceNameNamesTheAccountUniqueObjects(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ resourceName, want string }{
		"default: the component's name": {"", "edge"},
		"per stack":                     {"hawebtier-aws-staging-edge", "hawebtier-aws-staging-edge"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := run(t, "edge", func(a *waf.WebACLArgs) { a.ResourceName = tc.resourceName })
			if err != nil {
				t.Fatal(err)
			}
			acl := mocktest.MustFind(t, res, "aws:wafv2/webAcl:WebAcl", "edge")
			logs := mocktest.MustFind(t, res, "aws:cloudwatch/logGroup:LogGroup", "edge-logs")
			if acl.String("name") != tc.want || logs.String("name") != waf.LogGroupName(tc.want) {
				t.Errorf("web ACL %q, log group %q; want %q and %q", acl.String("name"), logs.String("name"), tc.want, waf.LogGroupName(tc.want))
			}
		})
	}
}
