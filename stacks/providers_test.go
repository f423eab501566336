package stacks_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hawebtier/hawebtier/stacks"
)

// Extra AWS providers (us-east-1 for the edge, the replica and peer regions)
// must authenticate exactly as the stack's default provider does.
func TestExtraAWSProvidersKeepStackCredentials(t *testing.T) {
	t.Parallel()
	res, err := run(t, loadStack(t, "aws-production"))
	if err != nil {
		t.Fatal(err)
	}
	p := res.Find("pulumi:providers:aws", "us-east-1")
	if p == nil {
		t.Fatal("no us-east-1 provider registered for the edge")
	}
	if got := p.String("region"); got != "us-east-1" {
		t.Errorf("region = %q", got)
	}
	if got := p.String("profile"); got != "hawebtier-production" {
		t.Errorf("profile = %q, want the stack's aws:profile", got)
	}
	ar := p.Input("assumeRole")
	var roleARN string
	switch v := ar.(type) {
	case map[string]any:
		roleARN, _ = v["roleArn"].(string)
	case string: // providers receive nested objects as JSON text
		if strings.Contains(v, "arn:aws:iam::210987654321:role/hawebtier-deploy") {
			roleARN = "arn:aws:iam::210987654321:role/hawebtier-deploy"
		}
	}
	if roleARN != "arn:aws:iam::210987654321:role/hawebtier-deploy" {
		t.Errorf("assumeRole = %#v, want the stack's role", ar)
	}
	tags := p.Input("defaultTags")
	if s, ok := tags.(string); ok {
		if !strings.Contains(s, `"environment":"production"`) {
			t.Errorf("defaultTags = %s", s)
		}
	} else if m, ok := tags.(map[string]any); !ok || m["tags"] == nil {
		t.Errorf("defaultTags = %#v", tags)
	}
}

func TestAWSTargetNeedsRegion(t *testing.T) {
	t.Parallel()
	opts := loadStack(t, "aws-staging")
	delete(opts.Config, "aws:region")
	res, err := run(t, opts)
	if err == nil || !strings.Contains(err.Error(), "aws:region") {
		t.Fatalf("err = %v, want aws:region named", err)
	}
	for _, r := range res.Resources {
		if r.Type != "pulumi:pulumi:Stack" {
			t.Errorf("registered %s %s without a region", r.Type, r.Name)
		}
	}
}

func TestResourceNameIsValidAndPerStack(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ project, stack, component, want string }{
		"short":        {"hawebtier", "aws-production", "edge", "hawebtier-aws-production-edge"},
		"odd chars":    {"HaWeb_Tier", "dev.1", "db", "haweb-tier-dev-1-db"},
		"long, hashed": {"hawebtier", "aws-production-eu-west-1-blue", "edge", ""},
	}
	seen := map[string]string{}
	for name, tc := range cases {
		got := stacks.ResourceName(tc.project, tc.stack, tc.component)
		if tc.want != "" && got != tc.want {
			t.Errorf("%s: ResourceName = %q, want %q", name, got, tc.want)
		}
		if len(got) > 36 || !regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`).MatchString(got) {
			t.Errorf("%s: %q is not 1-36 lowercase letters, digits and single hyphens", name, got)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("%s and %s share %q", name, other, got)
		}
		seen[got] = name
	}
	a, b := stacks.ResourceName("hawebtier", "aws-production-eu-west-1-blue", "edge"), stacks.ResourceName("hawebtier", "aws-production-eu-west-1-green", "edge")
	if a == b {
		t.Errorf("two long stack names that share a prefix got one name %q", a)
	}
}
