package edge_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/aws/edge"
	"github.com/hawebtier/hawebtier/aws/edge/shield"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

func TestBucketPolicyGrantsOnlyCloudFront(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		access    edge.OriginAccess
		identity  string // type of the resource the policy must come from
		principal func(o *outputs) map[string]any
	}{
		"oai": {edge.OriginAccessOAI, tOAI, nil},
		"oac": {edge.OriginAccessOAC, tDist, func(*outputs) map[string]any {
			return map[string]any{"Service": "cloudfront.amazonaws.com"}
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, out := mustRun(t, func(a *edge.EdgeArgs) { a.OriginAccess = tc.access })
			identity := res.OfType(tc.identity)
			if len(identity) != 1 {
				t.Fatalf("want one %s, got %d", tc.identity, len(identity))
			}
			policies := res.OfType(tPolicy)
			if len(policies) != 2 {
				t.Fatalf("want a policy on each origin bucket, got %d", len(policies))
			}
			wantResources := map[string]bool{out.staticARN + "/*": true, out.replicaARN + "/*": true}
			for _, p := range policies {
				if !contains(p.PropertyDependencies["policy"], identity[0].URN) {
					t.Errorf("%s: policy does not come from the %s", p.Name, tc.identity)
				}
				doc := parsePolicy(t, p.String("policy"))
				if len(doc.Statement) != 1 {
					t.Fatalf("%s: want one statement, got %+v", p.Name, doc.Statement)
				}
				st := doc.Statement[0]
				if st.Effect != "Allow" || st.Action != "s3:GetObject" {
					t.Errorf("%s: %s %v", p.Name, st.Effect, st.Action)
				}
				if strings.Contains(fmt.Sprint(st.Principal), "*") || st.Principal == "*" {
					t.Errorf("%s: wildcard principal %v", p.Name, st.Principal)
				}
				principal, _ := st.Principal.(map[string]any)
				if len(principal) != 1 {
					t.Errorf("%s: want exactly one principal, got %v", p.Name, st.Principal)
				}
				switch tc.access {
				case edge.OriginAccessOAI:
					arn, _ := principal["AWS"].(string)
					if !strings.HasPrefix(arn, "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E") {
						t.Errorf("%s: principal %v is not an OAI", p.Name, principal)
					}
					if st.Condition != nil {
						t.Errorf("%s: unexpected condition %v", p.Name, st.Condition)
					}
				case edge.OriginAccessOAC:
					if diff := cmp.Diff(tc.principal(out), principal); diff != "" {
						t.Errorf("%s principal (-want +got):\n%s", p.Name, diff)
					}
					if got := st.Condition["StringEquals"]["AWS:SourceArn"]; got != out.distARN {
						t.Errorf("%s: condition on %q, want the distribution %q", p.Name, got, out.distARN)
					}
				}
				r, _ := st.Resource.(string)
				if !wantResources[r] {
					t.Errorf("%s: resource %q, want one of %v", p.Name, r, wantResources)
				}
				delete(wantResources, r)
			}
		})
	}
}

func TestEveryBucketBlocksPublicAccess(t *testing.T) {
	t.Parallel()
	res, _ := mustRun(t, nil)
	buckets := res.OfType(tBucket)
	if len(buckets) != 3 {
		t.Fatalf("want static, replica and logs buckets, got %d", len(buckets))
	}
	blocks := map[string]map[string]any{}
	for _, b := range res.OfType(tPAB) {
		blocks[b.String("bucket")] = map[string]any{
			"blockPublicAcls": b.Input("blockPublicAcls"), "blockPublicPolicy": b.Input("blockPublicPolicy"),
			"ignorePublicAcls": b.Input("ignorePublicAcls"), "restrictPublicBuckets": b.Input("restrictPublicBuckets"),
		}
	}
	all := map[string]any{"blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}
	for _, b := range buckets {
		if diff := cmp.Diff(all, blocks[b.ID]); diff != "" {
			t.Errorf("bucket %s public access block (-want +got):\n%s", b.Name, diff)
		}
	}
}

func TestBehavioursUseHTTPSAndGroupsOnlyRead(t *testing.T) {
	t.Parallel()
	res, _ := mustRun(t, func(a *edge.EdgeArgs) {
		a.Behaviors = append(edge.DefaultBehaviors(),
			edge.Behavior{PathPattern: "/api/*", Origin: edge.OriginApp, ViewerProtocolPolicy: edge.HTTPSOnly},
			edge.Behavior{PathPattern: "/catalog/*", Origin: edge.OriginApp, Methods: edge.MethodsRead})
	})
	dist := mocktest.MustFind(t, res, tDist, "edge")
	groups := map[string]bool{}
	for _, g := range dist.Input("originGroups").([]any) {
		groups[g.(map[string]any)["originId"].(string)] = true
	}
	if !groups["static"] || len(groups) != 1 {
		t.Errorf("origin groups %v, want just static", groups)
	}
	behaviours := []any{dist.Input("defaultCacheBehavior")}
	behaviours = append(behaviours, dist.Input("orderedCacheBehaviors").([]any)...)
	if len(behaviours) != 5 {
		t.Fatalf("want 5 behaviours, got %d", len(behaviours))
	}
	targets := map[string]string{}
	for i, raw := range behaviours {
		b := raw.(map[string]any)
		path, _ := b["pathPattern"].(string)
		targets[path] = b["targetOriginId"].(string)
		if p := b["viewerProtocolPolicy"]; p != "redirect-to-https" && p != "https-only" {
			t.Errorf("behaviour %d %q: viewer protocol %v", i, path, p)
		}
		var methods []string
		for _, m := range b["allowedMethods"].([]any) {
			methods = append(methods, m.(string))
		}
		if groups[targets[path]] {
			for _, m := range methods {
				if m != "GET" && m != "HEAD" && m != "OPTIONS" {
					t.Errorf("behaviour %q on origin group %s allows %s", path, targets[path], m)
				}
			}
		}
		if slices.Contains(methods, "POST") && groups[targets[path]] {
			t.Errorf("POST behaviour %q on an origin group", path)
		}
	}
	want := map[string]string{"": "app", "/static/*": "static", "/maintenance/*": "static", "/api/*": "app", "/catalog/*": "app"}
	if diff := cmp.Diff(want, targets); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
	// The maintenance page is served by the group the error pages point at.
	for _, p := range dist.Input("customErrorResponses").([]any) {
		if path := p.(map[string]any)["responsePagePath"]; path != edge.MaintenancePage {
			t.Errorf("error page %v", path)
		}
	}
}

func TestRegionalResourcesUseTheirProviders(t *testing.T) {
	t.Parallel()
	res, _ := mustRun(t, func(a *edge.EdgeArgs) {
		a.Domain, a.HostedZoneID = "www.example.com", "Z0123456789ABC"
		a.Shield = &edge.ShieldArgs{Contacts: []shield.Contact{{Email: "soc@example.com", Phone: "+441234567890"}}, AlarmEmail: "ops@example.com"}
	})
	east, replica := providerURN(res, "us-east-1"), providerURN(res, "replica")
	mustEast := []string{tWebACL, tCert, tCertValid,
		"aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
		"aws:shield/protection:Protection", "aws:shield/protectionGroup:ProtectionGroup",
		"aws:shield/applicationLayerAutomaticResponse:ApplicationLayerAutomaticResponse",
		"aws:shield/protectionHealthCheckAssociation:ProtectionHealthCheckAssociation",
		"aws:shield/proactiveEngagement:ProactiveEngagement"}
	for _, typ := range mustEast {
		rs := res.OfType(typ)
		if len(rs) == 0 {
			t.Errorf("no %s", typ)
		}
		for _, r := range rs {
			if r.ProviderURN() != east {
				t.Errorf("%s %s on provider %q, want us-east-1", typ, r.Name, r.Provider)
			}
		}
	}
	if lg := mocktest.MustFind(t, res, "aws:cloudwatch/logGroup:LogGroup", "edge-logs"); lg.ProviderURN() != east || lg.String("name") != "aws-waf-logs-edge" {
		t.Errorf("WAF log group %q on %q", lg.String("name"), lg.Provider)
	}
	for _, name := range []string{"edge-static-replica"} {
		for _, typ := range []string{tBucket, tVersioning, tPAB, tSSE, tPolicy} {
			if r := mocktest.MustFind(t, res, typ, name); r.ProviderURN() != replica {
				t.Errorf("%s %s on %q, want the replica provider", typ, name, r.Provider)
			}
		}
	}
	for _, typ := range []string{tBucket, tVersioning, tReplication} {
		if r := mocktest.MustFind(t, res, typ, "edge-static"); r.Provider != "" {
			t.Errorf("%s edge-static on %q, want the default provider", typ, r.Provider)
		}
	}
	// CloudFront's metrics are in us-east-1, the ALB's in its own region.
	if a := mocktest.MustFind(t, res, tAlarm, "edge-distribution-ddos"); a.ProviderURN() != east {
		t.Errorf("distribution alarm on %q", a.Provider)
	}
	if a := mocktest.MustFind(t, res, tAlarm, "edge-alb-ddos"); a.Provider != "" {
		t.Errorf("ALB alarm on %q, want the default provider", a.Provider)
	}
}

func TestWebACLIsAttached(t *testing.T) {
	t.Parallel()
	res, out := mustRun(t, nil)
	dist := mocktest.MustFind(t, res, tDist, "edge")
	acl := mocktest.MustFind(t, res, tWebACL, "edge")
	if got := dist.String("webAclId"); got != out.webACLARN || !strings.HasPrefix(got, "arn:aws:wafv2:us-east-1:") {
		t.Errorf("webAclId %q, want the ACL's ARN %q", got, out.webACLARN)
	}
	if !contains(dist.PropertyDependencies["webAclId"], acl.URN) {
		t.Errorf("webAclId does not come from the web ACL")
	}
	if acl.String("scope") != "CLOUDFRONT" {
		t.Errorf("scope %q", acl.String("scope"))
	}
}

func TestPrefixListRuleOnOnePort(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		policy edge.ProtocolPolicy
		port   float64
	}{
		"https": {"", 443},
		"http":  {"http-only", 80},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, _ := mustRun(t, func(a *edge.EdgeArgs) { a.OriginProtocolPolicy = tc.policy })
			rules := res.OfType(tIngress)
			if len(rules) != 1 {
				t.Fatalf("want one ingress rule, got %d", len(rules))
			}
			r := rules[0]
			got := map[string]any{}
			for _, k := range []string{"securityGroupId", "prefixListId", "ipProtocol", "fromPort", "toPort", "cidrIpv4", "cidrIpv6"} {
				got[k] = r.Input(k)
			}
			want := map[string]any{"securityGroupId": albSG, "prefixListId": mocktest.CloudFrontOriginFacingPrefixList,
				"ipProtocol": "tcp", "fromPort": tc.port, "toPort": tc.port, "cidrIpv4": nil, "cidrIpv6": nil}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ingress rule (-want +got):\n%s", diff)
			}
			origin := mocktest.MustFind(t, res, tDist, "edge").Input("origins").([]any)[0].(map[string]any)
			cfg := origin["customOriginConfig"].(map[string]any)
			key := map[float64]string{443: "httpsPort", 80: "httpPort"}[tc.port]
			if cfg[key] != tc.port || cfg["originProtocolPolicy"] != map[float64]string{443: "https-only", 80: "http-only"}[tc.port] {
				t.Errorf("origin config %v does not use port %v", cfg, tc.port)
			}
		})
	}
}

func TestOriginHeaderIsSecretAndChecked(t *testing.T) {
	t.Parallel()
	res, out := mustRun(t, nil)
	pw := mocktest.MustFind(t, res, tPassword, "edge-origin-header")
	if pw.Input("special") != false || pw.Input("length") != float64(edge.OriginHeaderLength) {
		t.Errorf("password inputs: special %v length %v", pw.Input("special"), pw.Input("length"))
	}
	dist := mocktest.MustFind(t, res, tDist, "edge")
	rule := mocktest.MustFind(t, res, tRule, "edge-origin-header")
	if diff := cmp.Diff([]string{"origins[0].customHeaders[0].value"}, dist.SecretPaths); diff != "" {
		t.Errorf("distribution secret paths (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"conditions[0].httpHeader.values[0]"}, rule.SecretPaths); diff != "" {
		t.Errorf("listener rule secret paths (-want +got):\n%s", diff)
	}
	if !contains(dist.PropertyDependencies["origins"], pw.URN) || !contains(rule.PropertyDependencies["conditions"], pw.URN) {
		t.Errorf("header value not wired from the password: origins %v conditions %v", dist.PropertyDependencies["origins"], rule.PropertyDependencies["conditions"])
	}
	header := dist.Input("origins").([]any)[0].(map[string]any)["customHeaders"].([]any)[0].(map[string]any)
	cond := rule.Input("conditions").([]any)[0].(map[string]any)["httpHeader"].(map[string]any)
	got := map[string]any{"origin name": header["name"], "origin value": header["value"], "rule name": cond["httpHeaderName"], "rule values": cond["values"]}
	want := map[string]any{"origin name": edge.OriginHeaderName, "origin value": out.header, "rule name": edge.OriginHeaderName, "rule values": []any{out.header}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if len(out.header) != edge.OriginHeaderLength || strings.ContainsAny(out.header, "*?") {
		t.Errorf("header value %d chars, wildcard-free %v", len(out.header), !strings.ContainsAny(out.header, "*?"))
	}
	action := rule.Input("actions").([]any)[0].(map[string]any)
	if action["type"] != "forward" || action["targetGroupArn"] != tgARN || rule.String("listenerArn") != listenerARN {
		t.Errorf("rule action %v on %q", action, rule.String("listenerArn"))
	}
	for _, r := range res.Resources {
		for _, p := range r.SecretPaths {
			if r != dist && r != rule && r != pw && !strings.HasPrefix(r.Type, "hawebtier:") {
				t.Errorf("unexpected secret %s on %s %s", p, r.Type, r.Name)
			}
		}
	}
}

func TestReplicationFollowsBothVersionings(t *testing.T) {
	t.Parallel()
	res, out := mustRun(t, nil)
	repl := mocktest.MustFind(t, res, tReplication, "edge-static")
	for _, name := range []string{"edge-static", "edge-static-replica"} {
		v := mocktest.MustFind(t, res, tVersioning, name)
		if !res.DependsOn(repl, v) {
			t.Errorf("replication does not depend on versioning %s", name)
		}
		if got := v.Input("versioningConfiguration").(map[string]any)["status"]; got != "Enabled" {
			t.Errorf("versioning %s: %v", name, got)
		}
	}
	rule := repl.Input("rules").([]any)[0].(map[string]any)
	if dst := rule["destination"].(map[string]any)["bucket"]; dst != out.replicaARN {
		t.Errorf("replicates to %v, want %s", dst, out.replicaARN)
	}
	dist := mocktest.MustFind(t, res, tDist, "edge")
	group := dist.Input("originGroups").([]any)[0].(map[string]any)
	if diff := cmp.Diff([]any{403.0, 404.0, 500.0, 502.0, 503.0, 504.0}, group["failoverCriteria"].(map[string]any)["statusCodes"]); diff != "" {
		t.Errorf("failover codes (-want +got):\n%s", diff)
	}
}

func TestCertificateAndTLS(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		domain, zone string
		wantRecord   bool
	}{
		"zone":      {"www.example.com", "Z0123456789ABC", true},
		"no zone":   {"www.example.com", "", false},
		"no domain": {"", "", false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, out := mustRun(t, func(a *edge.EdgeArgs) { a.Domain, a.HostedZoneID = tc.domain, tc.zone })
			dist := mocktest.MustFind(t, res, tDist, "edge")
			viewer := dist.Input("viewerCertificate").(map[string]any)
			if tc.domain == "" {
				if viewer["cloudfrontDefaultCertificate"] != true || len(res.OfType(tCert)) != 0 || out.url != "https://"+out.domainName {
					t.Errorf("viewer %v url %q", viewer, out.url)
				}
				return
			}
			want := map[string]any{"acmCertificateArn": out.certARN, "sslSupportMethod": "sni-only", "minimumProtocolVersion": "TLSv1.2_2021"}
			if diff := cmp.Diff(want, viewer); diff != "" {
				t.Errorf("viewer certificate (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]any{tc.domain}, dist.Input("aliases")); diff != "" {
				t.Errorf("aliases (-want +got):\n%s", diff)
			}
			cert := mocktest.MustFind(t, res, tCert, "edge")
			if cert.String("validationMethod") != "DNS" || !strings.HasPrefix(out.certARN, "arn:aws:acm:us-east-1:") {
				t.Errorf("certificate %q %v", out.certARN, cert.Input("validationMethod"))
			}
			// CloudFront refuses a pending certificate: the distribution
			// always waits for validation.
			valid := mocktest.MustFind(t, res, tCertValid, "edge")
			if !res.DependsOn(dist, valid) {
				t.Errorf("distribution does not wait for the validated certificate")
			}
			if got := len(res.OfType(tRecord)); got != map[bool]int{true: 3, false: 0}[tc.wantRecord] {
				t.Errorf("%d route53 records", got)
			}
			if !strings.HasPrefix(out.validation, "_") || !strings.Contains(out.validation, "."+tc.domain+". CNAME _") {
				t.Errorf("validation record output %q", out.validation)
			}
			if tc.wantRecord {
				rec := mocktest.MustFind(t, res, tRecord, "edge-validation")
				if rec.String("type") != "CNAME" || !strings.HasSuffix(rec.String("name"), tc.domain+".") || !contains(valid.PropertyDependencies["validationRecordFqdns"], rec.URN) {
					t.Errorf("validation record %v", mocktest.PlainMap(rec.Inputs))
				}
				for _, typ := range []string{"A", "AAAA"} {
					alias := mocktest.MustFind(t, res, tRecord, "edge-"+typ)
					target := alias.Input("aliases").([]any)[0].(map[string]any)
					if target["name"] != out.domainName || target["zoneId"] != mocktest.CloudFrontHostedZoneID {
						t.Errorf("%s alias %v", typ, target)
					}
				}
			}
		})
	}
}

func TestLogsBucketAcceptsCloudFrontLogs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		region   string
		provider string
	}{
		"primary region":    {"eu-west-1", ""},
		"opt-in to us-east": {"eu-south-1", "us-east-1"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, _ := mustRun(t, func(a *edge.EdgeArgs) { a.Region = tc.region })
			logs := mocktest.MustFind(t, res, tBucket, "edge-logs")
			wantProvider := ""
			if tc.provider != "" {
				wantProvider = providerURN(res, tc.provider)
			}
			if logs.ProviderURN() != wantProvider {
				t.Errorf("logs bucket on %q, want %q", logs.Provider, wantProvider)
			}
			own := mocktest.MustFind(t, res, tOwnership, "edge-logs")
			if got := own.Input("rule").(map[string]any)["objectOwnership"]; got != "BucketOwnerPreferred" {
				t.Errorf("logs bucket ownership %v: CloudFront needs ACLs", got)
			}
			acl := mocktest.MustFind(t, res, tACL, "edge-logs")
			if !res.DependsOn(acl, own) {
				t.Errorf("ACL set before ownership controls enable ACLs")
			}
			grants := map[string]string{}
			for _, g := range acl.Input("accessControlPolicy").(map[string]any)["grants"].([]any) {
				gm := g.(map[string]any)
				grants[gm["grantee"].(map[string]any)["id"].(string)] = gm["permission"].(string)
			}
			want := map[string]string{mocktest.CloudFrontLogDeliveryCanonicalUser: "FULL_CONTROL", mocktest.S3CanonicalUser: "FULL_CONTROL"}
			if diff := cmp.Diff(want, grants); diff != "" {
				t.Errorf("logs ACL grants (-want +got):\n%s", diff)
			}
			dist := mocktest.MustFind(t, res, tDist, "edge")
			if !res.DependsOn(dist, acl) {
				t.Errorf("distribution does not wait for the logs ACL")
			}
			if got := dist.Input("loggingConfig").(map[string]any)["bucket"]; !strings.HasSuffix(fmt.Sprint(got), ".s3.amazonaws.com") {
				t.Errorf("logging bucket %v", got)
			}
			// The origin buckets keep ACLs off.
			for _, name := range []string{"edge-static", "edge-static-replica"} {
				if got := mocktest.MustFind(t, res, tOwnership, name).Input("rule").(map[string]any)["objectOwnership"]; got != "BucketOwnerEnforced" {
					t.Errorf("%s ownership %v", name, got)
				}
			}
		})
	}
}

func TestKMSWithOAC(t *testing.T) {
	t.Parallel()
	res, out := mustRun(t, func(a *edge.EdgeArgs) { a.OriginAccess, a.KMS = edge.OriginAccessOAC, true })
	if n := len(res.OfType(tOAI)); n != 0 {
		t.Errorf("%d OAIs with OAC", n)
	}
	for _, name := range []string{"edge-static", "edge-static-replica"} {
		key := mocktest.MustFind(t, res, tKey, name)
		sse := mocktest.MustFind(t, res, tSSE, name).Input("rules").([]any)[0].(map[string]any)["applyServerSideEncryptionByDefault"].(map[string]any)
		if sse["sseAlgorithm"] != "aws:kms" || key.Input("enableKeyRotation") != true {
			t.Errorf("%s: sse %v rotation %v", name, sse, key.Input("enableKeyRotation"))
		}
		kp := mocktest.MustFind(t, res, tKeyPolicy, name)
		doc := parsePolicy(t, kp.String("policy"))
		found := false
		for _, st := range doc.Statement {
			if st.Condition["StringEquals"]["AWS:SourceArn"] == out.distARN && st.Action == "kms:Decrypt" {
				found = true
			}
		}
		if !found || kp.ProviderURN() != key.ProviderURN() {
			t.Errorf("%s key policy %s on %q: no CloudFront decrypt for the distribution", name, kp.String("policy"), kp.Provider)
		}
	}
	rule := mocktest.MustFind(t, res, tReplication, "edge-static").Input("rules").([]any)[0].(map[string]any)
	if rule["sourceSelectionCriteria"] == nil || rule["destination"].(map[string]any)["encryptionConfiguration"] == nil {
		t.Errorf("replication does not carry KMS objects: %v", rule)
	}
	for _, o := range mocktest.MustFind(t, res, tDist, "edge").Input("origins").([]any)[1:] {
		om := o.(map[string]any)
		if om["originAccessControlId"] == nil || om["s3OriginConfig"] != nil {
			t.Errorf("S3 origin %v does not use OAC", om)
		}
	}
}

func TestProductionProtectsStatefulResources(t *testing.T) {
	t.Parallel()
	for _, production := range []bool{true, false} {
		t.Run(fmt.Sprint(production), func(t *testing.T) {
			t.Parallel()
			res, _ := mustRun(t, func(a *edge.EdgeArgs) { a.Production = production })
			for _, r := range res.OfType(tBucket) {
				if r.Protect != production || r.RetainOnDelete != production {
					t.Errorf("%s: protect %v retain %v", r.Name, r.Protect, r.RetainOnDelete)
				}
				if fd, ok := r.Input("forceDestroy").(bool); ok && fd == production {
					t.Errorf("%s: forceDestroy %v in production=%v", r.Name, fd, production)
				}
			}
		})
	}
}

func TestShieldOnlyWhenAskedAndSubscriptionOnlyWhenSubscribing(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		shield        *edge.ShieldArgs
		protections   int
		subscriptions int
	}{
		"off":       {nil, 0, 0},
		"on":        {&edge.ShieldArgs{}, 2, 0},
		"subscribe": {&edge.ShieldArgs{Subscribe: true}, 2, 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, out := mustRun(t, func(a *edge.EdgeArgs) { a.Shield = tc.shield })
			if n := len(res.OfType("aws:shield/protection:Protection")); n != tc.protections {
				t.Errorf("%d protections, want %d", n, tc.protections)
			}
			created, read := 0, 0
			for _, sub := range res.OfType("aws:shield/subscription:Subscription") {
				if sub.Read {
					read++
				} else {
					created++
				}
			}
			if created != tc.subscriptions {
				t.Errorf("%d subscriptions created, want %d", created, tc.subscriptions)
			}
			if wantRead := tc.shield != nil && !tc.shield.Subscribe; (read == 1) != wantRead {
				t.Errorf("%d existing subscriptions read; want one exactly when Shield is on without subscribing", read)
			}
			if tc.shield == nil {
				return
			}
			got := map[string]bool{}
			for _, p := range res.OfType("aws:shield/protection:Protection") {
				got[p.String("resourceArn")] = true
			}
			if diff := cmp.Diff(map[string]bool{out.distARN: true, albARN: true}, got); diff != "" {
				t.Errorf("protected (-want +got):\n%s", diff)
			}
			auto := mocktest.MustFind(t, res, "aws:shield/applicationLayerAutomaticResponse:ApplicationLayerAutomaticResponse", "edge")
			if auto.String("resourceArn") != out.distARN {
				t.Errorf("automatic response on %q", auto.String("resourceArn"))
			}
			hc := mocktest.MustFind(t, res, "aws:route53/healthCheck:HealthCheck", "edge")
			if hc.String("fqdn") != out.domainName || hc.String("type") != "HTTPS" {
				t.Errorf("health check %v", mocktest.PlainMap(hc.Inputs))
			}
			alarm := mocktest.MustFind(t, res, tAlarm, "edge-distribution-ddos")
			wantAlarm := map[string]any{"namespace": "AWS/DDoSProtection", "metricName": "DDoSDetected", "dimensions": map[string]any{"ResourceArn": out.distARN}}
			gotAlarm := map[string]any{}
			for k := range wantAlarm {
				gotAlarm[k] = alarm.Input(k)
			}
			if diff := cmp.Diff(wantAlarm, gotAlarm); diff != "" {
				t.Errorf("alarm (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadArgsRegisterNothing(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		mutate func(*edge.EdgeArgs)
		want   []string
	}{
		"oai with kms": {func(a *edge.EdgeArgs) { a.KMS = true }, []string{`edge "edge": KMS: SSE-KMS buckets need OriginAccess oac`}},
		"missing us-east-1 provider": {func(a *edge.EdgeArgs) { a.USEast1 = nil },
			[]string{`edge "edge": USEast1: required`}},
		"missing replica provider": {func(a *edge.EdgeArgs) { a.Replica = nil }, []string{`edge "edge": Replica: required`}},
		"post on origin group": {func(a *edge.EdgeArgs) {
			a.Behaviors = []edge.Behavior{{PathPattern: "/static/*", Origin: edge.OriginStatic, Methods: edge.MethodsAll}}
		}, []string{`edge "edge": Behaviors[0].Methods: [DELETE GET HEAD OPTIONS PATCH POST PUT] on origin group "static": origin groups serve only GET, HEAD and OPTIONS`}},
		"oai in a new region": {func(a *edge.EdgeArgs) { a.ReplicaRegion = "ap-southeast-4" },
			[]string{`edge "edge": ReplicaRegion: ap-southeast-4 launched after December 2022`}},
		"plain http viewers": {func(a *edge.EdgeArgs) {
			a.Behaviors = []edge.Behavior{{PathPattern: "/x/*", Origin: edge.OriginApp, ViewerProtocolPolicy: "allow-all"}}
		}, []string{`edge "edge": Behaviors[0].ViewerProtocolPolicy: expected redirect-to-https or https-only`}},
		"bad shield contact": {func(a *edge.EdgeArgs) {
			a.Shield = &edge.ShieldArgs{Contacts: []shield.Contact{{Email: "nobody", Phone: "0123"}}}
		}, []string{`edge "edge": Shield.Contacts[0].Email: not an email address`, `edge "edge": Shield.Contacts[0].Phone: expected + and up to 15 digits`}},
		"every problem at once": {func(a *edge.EdgeArgs) {
			a.USEast1, a.OriginDomain, a.KMS, a.RateLimit, a.ReplicaRegion = nil, nil, true, 5, "eu-west-1"
		}, []string{"USEast1", "OriginDomain", "KMS", "ReplicaRegion: eu-west-1 is the primary region"}},
		"rate limit too low": {func(a *edge.EdgeArgs) { a.RateLimit = 5 }, []string{`edge "edge": RateLimit: expected 10-2000000000`}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, _, err := run(t, tc.mutate)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			for _, r := range res.Resources {
				if r.Type != tProvider {
					t.Errorf("registered %s %s despite the error", r.Type, r.Name)
				}
			}
		})
	}
}

func TestMaintenancePageIsReplicatedAndWellFormed(t *testing.T) {
	t.Parallel()
	res, _ := mustRun(t, nil)
	page := mocktest.MustFind(t, res, "aws:s3/bucketObjectv2:BucketObjectv2", "edge-maintenance")
	static := mocktest.MustFind(t, res, tBucket, "edge-static")
	if page.String("bucket") != static.ID || "/"+page.String("key") != edge.MaintenancePage {
		t.Errorf("page at %s/%s, want %s%s", page.String("bucket"), page.String("key"), static.ID, edge.MaintenancePage)
	}
	if !res.DependsOn(page, mocktest.MustFind(t, res, tReplication, "edge-static")) {
		t.Errorf("page uploaded before replication is on: the replica would never get it")
	}
	dec := xml.NewDecoder(strings.NewReader(page.String("content")))
	dec.Strict = true
	for {
		if _, err := dec.Token(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("maintenance page is not well-formed: %v", err)
		}
	}
}

func TestEveryResourceIsBelowTheComponent(t *testing.T) {
	t.Parallel()
	res, _ := mustRun(t, func(a *edge.EdgeArgs) {
		a.Domain, a.HostedZoneID, a.Shield = "www.example.com", "Z0123456789ABC", &edge.ShieldArgs{Subscribe: true}
	})
	comp := mocktest.MustFind(t, res, edge.TypeToken, "edge")
	below := map[string]bool{}
	for _, r := range res.Descendants(comp.URN) {
		below[r.URN] = true
	}
	for _, r := range res.Resources {
		if r.Type != tProvider && r != comp && !below[r.URN] {
			t.Errorf("%s %s is not below the edge component", r.Type, r.Name)
		}
	}
	if len(below) < 40 {
		t.Errorf("only %d resources below the component", len(below))
	}
}
