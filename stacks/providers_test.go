package stacks_test

import (
	"strings"
	"testing"
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
