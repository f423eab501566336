package webtier_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/webtier"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

const (
	tLT       = "aws:ec2/launchTemplate:LaunchTemplate"
	tASG      = "aws:autoscaling/group:Group"
	tPolicy   = "aws:autoscaling/policy:Policy"
	tSG       = "aws:ec2/securityGroup:SecurityGroup"
	tListener = "aws:lb/listener:Listener"
	tTG       = "aws:lb/targetGroup:TargetGroup"
	tALB      = "aws:lb/loadBalancer:LoadBalancer"
	tRole     = "aws:iam/role:Role"
	tRolePol  = "aws:iam/rolePolicy:RolePolicy"
	tAttach   = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	tProfile  = "aws:iam/instanceProfile:InstanceProfile"

	dbSecretARN    = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod-db-master-AbCdEf"
	cacheSecretARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod-cache-auth-GhIjKl"
	cert           = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
)

var appSubnets = []string{"subnet-app-a", "subnet-app-b", "subnet-app-c"}

func validArgs() *webtier.WebTierArgs {
	return &webtier.WebTierArgs{
		Environment:       "staging",
		VpcID:             pulumi.String("vpc-0123"),
		PublicSubnetIDs:   pulumi.ToStringArray([]string{"subnet-pub-a", "subnet-pub-b", "subnet-pub-c"}),
		AppSubnetIDs:      pulumi.ToStringArray(appSubnets),
		Web:               webtier.TierArgs{InstanceType: "t3.small", MinSize: 2, MaxSize: 4},
		App:               webtier.TierArgs{InstanceType: "m6g.large", AMI: "ami-0123456789abcdef0", MinSize: 3, MaxSize: 9, TargetCPUPercent: 50},
		DatabaseEndpoint:  pulumi.String("db.cabc.eu-west-1.rds.amazonaws.com:3306"),
		DatabaseSecretARN: pulumi.String(dbSecretARN),
		CacheEndpoint:     pulumi.String("master.cache.abc.euw1.cache.amazonaws.com:6379"),
		CacheSecretARN:    pulumi.String(cacheSecretARN),
	}
}

// outs holds the component's outputs once the run has resolved them.
type outs struct {
	mu     sync.Mutex
	values map[string]string
}

func (o *outs) get(k string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.values[k]
}

func capture(o *outs, w *webtier.WebTier) {
	m := map[string]pulumi.StringOutput{
		"publicSG": w.PublicALBSecurityGroupID, "webSG": w.WebSecurityGroupID,
		"internalSG": w.InternalALBSecurityGroupID, "wasSG": w.WasSecurityGroupID,
		"internalDNS": w.InternalALBDNSName, "publicDNS": w.PublicALBDNSName,
		"webLT": w.WebLaunchTemplateID, "appLT": w.AppLaunchTemplateID,
		"webASG": w.WebASGName, "appASG": w.AppASGName, "publicSuffix": w.PublicALBARNSuffix,
		"webTGSuffix": w.WebTargetGroupARNSuffix, "appTGSuffix": w.AppTargetGroupARNSuffix,
	}
	for k, v := range m {
		v.ApplyT(func(s string) string {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.values[k] = s
			return s
		})
	}
}

func run(t *testing.T, args *webtier.WebTierArgs) (*mocktest.Result, *outs, error) {
	t.Helper()
	o := &outs{values: map[string]string{}}
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		w, err := webtier.NewWebTier(ctx, "tier", args)
		if err != nil {
			return err
		}
		capture(o, w)
		return nil
	}, mocktest.Options{})
	return res, o, err
}

func mustRun(t *testing.T, args *webtier.WebTierArgs) (*mocktest.Result, *outs) {
	t.Helper()
	res, o, err := run(t, args)
	if err != nil {
		t.Fatal(err)
	}
	return res, o
}

func pick(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		out[k] = m[k]
	}
	return out
}

func TestLaunchTemplates(t *testing.T) {
	t.Parallel()
	res, _ := mustRun(t, validArgs())
	cases := map[string]struct {
		name, image, profile string
		volume               float64
	}{
		"web: latest Debian": {"tier-web", mocktest.DebianAMI, "tier-web", 20},
		"app: pinned AMI":    {"tier-app", "ami-0123456789abcdef0", "tier-app", 20},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			lt := mocktest.MustFind(t, res, tLT, tc.name)
			if diff := cmp.Diff(map[string]any{"httpEndpoint": "enabled", "httpTokens": "required", "httpPutResponseHopLimit": 1.0},
				pick(lt.Input("metadataOptions").(map[string]any), "httpEndpoint", "httpTokens", "httpPutResponseHopLimit")); diff != "" {
				t.Errorf("metadata options (IMDSv2) (-want +got):\n%s", diff)
			}
			bdm := lt.Input("blockDeviceMappings").([]any)
			if len(bdm) != 1 {
				t.Fatalf("%d block devices, want the root volume only", len(bdm))
			}
			ebs := bdm[0].(map[string]any)["ebs"].(map[string]any)
			if diff := cmp.Diff(map[string]any{"encrypted": "true", "volumeType": "gp3", "volumeSize": tc.volume},
				pick(ebs, "encrypted", "volumeType", "volumeSize")); diff != "" {
				t.Errorf("root volume (-want +got):\n%s", diff)
			}
			if lt.String("imageId") != tc.image {
				t.Errorf("image %q, want %q", lt.String("imageId"), tc.image)
			}
			profile := mocktest.MustFind(t, res, tProfile, tc.profile)
			wantARN := "arn:aws:iam::" + mocktest.AWSAccountID + ":instance-profile/" + profile.Name
			if got := lt.Input("iamInstanceProfile").(map[string]any)["arn"]; got != wantARN {
				t.Errorf("instance profile %v, want %s", got, wantARN)
			}
		})
	}
	// The web tier on t3 takes the amd64 image from SSM.
	var params []string
	for _, inv := range res.Invokes {
		if inv.Token == "aws:ssm/getParameter:getParameter" {
			params = append(params, inv.Args["name"].(string))
		}
	}
	if diff := cmp.Diff([]string{"/aws/service/debian/release/12/latest/amd64"}, params); diff != "" {
		t.Errorf("SSM parameters read (-want +got):\n%s", diff)
	}
}

func TestAutoScalingGroups(t *testing.T) {
	t.Parallel()
	res, o := mustRun(t, validArgs())
	cases := map[string]struct {
		name, tgSuffix, asgName string
		min, max, cpu           float64
	}{
		"web": {"tier-web", "webTGSuffix", "webASG", 2, 4, 60},
		"app": {"tier-app", "appTGSuffix", "appASG", 3, 9, 50},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			asg := mocktest.MustFind(t, res, tASG, tc.name)
			lt := mocktest.MustFind(t, res, tLT, tc.name)
			tg := mocktest.MustFind(t, res, tTG, tc.name)
			want := map[string]any{
				"healthCheckType":        "ELB",
				"healthCheckGracePeriod": 300.0,
				"minSize":                tc.min,
				"maxSize":                tc.max,
				"desiredCapacity":        tc.min,
				"vpcZoneIdentifiers":     []any{"subnet-app-a", "subnet-app-b", "subnet-app-c"},
				"targetGroupArns":        []any{"arn:aws:elasticloadbalancing:" + mocktest.AWSRegion + ":" + mocktest.AWSAccountID + ":" + o.get(tc.tgSuffix)},
				"launchTemplate":         map[string]any{"id": lt.ID, "version": "1"},
			}
			if diff := cmp.Diff(want, pick(mocktest.PlainMap(asg.Inputs), "healthCheckType", "healthCheckGracePeriod", "minSize", "maxSize", "desiredCapacity", "vpcZoneIdentifiers", "targetGroupArns", "launchTemplate")); diff != "" {
				t.Errorf("group (-want +got):\n%s", diff)
			}
			// The version comes from the template's latestVersion, not "$Latest".
			if !cmp.Equal(asg.PropertyDependencies["launchTemplate"], []string{lt.URN}) {
				t.Errorf("launchTemplate depends on %v, want the template %s", asg.PropertyDependencies["launchTemplate"], lt.URN)
			}
			if !res.DependsOn(asg, tg) {
				t.Error("group does not depend on its target group")
			}
			refresh := asg.Input("instanceRefresh").(map[string]any)
			prefs := refresh["preferences"].(map[string]any)
			if refresh["strategy"] != "Rolling" || prefs["minHealthyPercentage"] != 100.0 || prefs["maxHealthyPercentage"] != 150.0 {
				t.Errorf("instance refresh %v", refresh)
			}
			if !cmp.Equal(asg.IgnoreChanges, []string{"desiredCapacity"}) {
				t.Errorf("ignoreChanges %v, want desiredCapacity (scaling owns it)", asg.IgnoreChanges)
			}
			pol := mocktest.MustFind(t, res, tPolicy, tc.name+"-cpu")
			ttc := pol.Input("targetTrackingConfiguration").(map[string]any)
			if pol.String("policyType") != "TargetTrackingScaling" || ttc["targetValue"] != tc.cpu ||
				ttc["predefinedMetricSpecification"].(map[string]any)["predefinedMetricType"] != "ASGAverageCPUUtilization" ||
				pol.String("autoscalingGroupName") != o.get(tc.asgName) {
				t.Errorf("scaling policy %v", mocktest.PlainMap(pol.Inputs))
			}
		})
	}
}

type ingressRule struct {
	Port          float64
	CIDRs, Groups []any
	PrefixLists   []any
}

func ingress(t *testing.T, sg *mocktest.Resource) []ingressRule {
	t.Helper()
	var out []ingressRule
	rules, _ := sg.Input("ingress").([]any) // none: a group with standalone rules only
	for _, r := range rules {
		m := r.(map[string]any)
		if m["fromPort"] != m["toPort"] || m["protocol"] != "tcp" {
			t.Errorf("%s: rule %v is not one TCP port", sg.Name, m)
		}
		rule := ingressRule{Port: m["fromPort"].(float64)}
		rule.CIDRs, _ = m["cidrBlocks"].([]any)
		rule.Groups, _ = m["securityGroups"].([]any)
		rule.PrefixLists, _ = m["prefixListIds"].([]any)
		out = append(out, rule)
	}
	return out
}

func TestSecurityGroupsChain(t *testing.T) {
	t.Parallel()
	cloudFront := validArgs()
	cloudFront.CertificateARN = cert
	cloudFront.PublicIngressPrefixListIDs = pulumi.ToStringArray([]string{"pl-4fa04526"})
	withCert := validArgs()
	withCert.CertificateARN = cert
	cases := map[string]struct {
		args   *webtier.WebTierArgs
		public []ingressRule
	}{
		"HTTP only, from the world": {validArgs(), []ingressRule{{Port: 80, CIDRs: []any{"0.0.0.0/0"}}}},
		"HTTPS, from the world":     {withCert, []ingressRule{{Port: 80, CIDRs: []any{"0.0.0.0/0"}}, {Port: 443, CIDRs: []any{"0.0.0.0/0"}}}},
		"from CloudFront's prefix list": {cloudFront,
			[]ingressRule{{Port: 80, PrefixLists: []any{"pl-4fa04526"}}, {Port: 443, PrefixLists: []any{"pl-4fa04526"}}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, o := mustRun(t, tc.args)
			want := map[string][]ingressRule{
				"tier-public-alb":   tc.public,
				"tier-web":          {{Port: 80, Groups: []any{o.get("publicSG")}}},
				"tier-internal-alb": {{Port: 80, Groups: []any{o.get("webSG")}}},
				"tier-was":          {{Port: 8080, Groups: []any{o.get("internalSG")}}},
			}
			got := map[string][]ingressRule{}
			for _, sg := range res.OfType(tSG) {
				got[sg.Name] = ingress(t, sg)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ingress per security group (-want +got):\n%s", diff)
			}
			// Each tier's resources sit behind their own group.
			for res2, sg := range map[[2]string]string{
				{tALB, "tier-public"}: "publicSG", {tALB, "tier-internal"}: "internalSG",
			} {
				if diff := cmp.Diff([]any{o.get(sg)}, mocktest.MustFind(t, res, res2[0], res2[1]).Input("securityGroups")); diff != "" {
					t.Errorf("%s security groups (-want +got):\n%s", res2[1], diff)
				}
			}
			for lt, sg := range map[string]string{"tier-web": "webSG", "tier-app": "wasSG"} {
				if diff := cmp.Diff([]any{o.get(sg)}, mocktest.MustFind(t, res, tLT, lt).Input("vpcSecurityGroupIds")); diff != "" {
					t.Errorf("%s security groups (-want +got):\n%s", lt, diff)
				}
			}
		})
	}
}

func TestPublicListeners(t *testing.T) {
	t.Parallel()
	withCert := validArgs()
	withCert.CertificateARN = cert
	behindCloudFront := validArgs()
	behindCloudFront.CertificateARN = cert
	behindCloudFront.OriginFromCloudFront = true
	edgeOnly := validArgs()
	edgeOnly.OriginFromCloudFront = true
	edgeOnly.DenyWithoutOriginRule = true
	cases := map[string]struct {
		args *webtier.WebTierArgs
		want map[string]string // listener name -> "protocol port action"
	}{
		"no certificate":          {validArgs(), map[string]string{"tier-http": "HTTP 80 forward"}},
		"certificate":             {withCert, map[string]string{"tier-http": "HTTP 80 redirect HTTPS:443", "tier-https": "HTTPS 443 forward"}},
		"certificate, CloudFront": {behindCloudFront, map[string]string{"tier-http": "HTTP 80 forward", "tier-https": "HTTPS 443 forward"}},
		"only through the edge":   {edgeOnly, map[string]string{"tier-http": "HTTP 80 fixed-response 403"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, o := mustRun(t, tc.args)
			publicARN := "arn:aws:elasticloadbalancing:" + mocktest.AWSRegion + ":" + mocktest.AWSAccountID + ":loadbalancer/" + o.get("publicSuffix")
			got := map[string]string{}
			for _, l := range res.OfType(tListener) {
				if l.String("loadBalancerArn") != publicARN {
					continue
				}
				action := l.Input("defaultActions").([]any)[0].(map[string]any)
				s := fmt.Sprintf("%s %v %s", l.String("protocol"), l.Input("port"), action["type"])
				if r, ok := action["redirect"].(map[string]any); ok {
					s += fmt.Sprintf(" %s:%s", r["protocol"], r["port"])
				}
				if r, ok := action["fixedResponse"].(map[string]any); ok {
					s += fmt.Sprintf(" %s", r["statusCode"])
				}
				got[l.Name] = s
				if l.String("protocol") == "HTTPS" && (l.String("certificateArn") != cert || l.String("sslPolicy") != webtier.SSLPolicy) {
					t.Errorf("HTTPS listener certificate %q policy %q", l.String("certificateArn"), l.String("sslPolicy"))
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("public listeners (-want +got):\n%s", diff)
			}
		})
	}
}

type policyDoc struct {
	Version   string
	Statement []struct {
		Sid      string
		Effect   string
		Action   []string
		Resource []string
	}
}

func TestInstanceProfilesLeastPrivilege(t *testing.T) {
	t.Parallel()
	res, _ := mustRun(t, validArgs())
	// Web reads no secret; app reads exactly the two it was given.
	if res.Find(tRolePol, "tier-web-secrets") != nil {
		t.Error("web instances may read secrets")
	}
	pol := mocktest.MustFind(t, res, tRolePol, "tier-app-secrets")
	var doc policyDoc
	if err := json.Unmarshal([]byte(pol.String("policy")), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Statement) != 1 {
		t.Fatalf("%d statements, want 1", len(doc.Statement))
	}
	st := doc.Statement[0]
	if st.Effect != "Allow" || !cmp.Equal(st.Action, []string{"secretsmanager:GetSecretValue"}) {
		t.Errorf("statement allows %s %v", st.Effect, st.Action)
	}
	if diff := cmp.Diff([]string{dbSecretARN, cacheSecretARN}, st.Resource); diff != "" {
		t.Errorf("readable secrets (-want +got):\n%s", diff)
	}
	if pol.String("role") != mocktest.MustFind(t, res, tRole, "tier-app").ID {
		t.Errorf("policy on role %q", pol.String("role"))
	}
	// Each role has exactly one managed policy: SSM core (no SSH needed).
	got := map[string]string{}
	for _, a := range res.OfType(tAttach) {
		got[a.String("role")] = a.String("policyArn")
	}
	ssm := "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
	if diff := cmp.Diff(map[string]string{"tier-web": ssm, "tier-app": ssm}, got); diff != "" {
		t.Errorf("managed policies (-want +got):\n%s", diff)
	}
	// The app instances boot only once they may read their secrets.
	if !res.DependsOn(mocktest.MustFind(t, res, tLT, "tier-app"), pol) {
		t.Error("app launch template does not wait for the secrets policy")
	}
	var trust struct{ Statement []map[string]any }
	if err := json.Unmarshal([]byte(mocktest.MustFind(t, res, tRole, "tier-app").String("assumeRolePolicy")), &trust); err != nil {
		t.Fatal(err)
	}
	if len(trust.Statement) != 1 || !cmp.Equal(trust.Statement[0]["Principal"], map[string]any{"Service": "ec2.amazonaws.com"}) {
		t.Errorf("trust policy %v", trust.Statement)
	}
}

func TestWithoutDataTiers(t *testing.T) {
	t.Parallel()
	args := validArgs()
	args.DatabaseEndpoint, args.DatabaseSecretARN, args.CacheEndpoint, args.CacheSecretARN = nil, nil, nil, nil
	res, _ := mustRun(t, args)
	if n := len(res.OfType(tRolePol)); n != 0 {
		t.Errorf("%d secret policies without secrets, want 0", n)
	}
	doc := userData(t, mocktest.MustFind(t, res, tLT, "tier-app"))
	if strings.Contains(doc, "secretsmanager") {
		t.Error("app user-data fetches secrets it was not given")
	}
}

func userData(t *testing.T, lt *mocktest.Resource) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(lt.String("userData"))
	if err != nil {
		t.Fatalf("%s user-data is not base64: %v", lt.Name, err)
	}
	return string(b)
}

func TestArchitecture(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"t3.small": "amd64", "m6i.large": "amd64", "g4dn.xlarge": "amd64", "c5n.large": "amd64",
		"m6g.large": "arm64", "t4g.small": "arm64", "c7gn.large": "arm64", "r6gd.xlarge": "arm64", "m7g.medium": "arm64",
	}
	for it, want := range cases {
		if got := webtier.Architecture(it); got != want {
			t.Errorf("Architecture(%q) = %s, want %s", it, got, want)
		}
	}
}

func TestWebTierBadArgs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		mutate func(*webtier.WebTierArgs)
		wants  []string
	}{
		"ajp on aws":      {func(a *webtier.WebTierArgs) { a.Connector = "proxy_ajp" }, []string{`webtier "tier": Connector:`, "HTTP only", "proxy_http"}},
		"jk on aws":       {func(a *webtier.WebTierArgs) { a.Connector = "jk" }, []string{`webtier "tier": Connector:`, `"jk"`}},
		"min above max":   {func(a *webtier.WebTierArgs) { a.App.MinSize, a.App.MaxSize = 5, 3 }, []string{`webtier "tier": App.MaxSize:`, "MinSize (5)"}},
		"one instance":    {func(a *webtier.WebTierArgs) { a.Web.MinSize = 1 }, []string{`webtier "tier": Web.MinSize:`, "got 1"}},
		"desired":         {func(a *webtier.WebTierArgs) { a.Web.Desired = 9 }, []string{`webtier "tier": Web.Desired:`, "got 9"}},
		"cpu":             {func(a *webtier.WebTierArgs) { a.App.TargetCPUPercent = 120 }, []string{`webtier "tier": App.TargetCPUPercent:`}},
		"instance type":   {func(a *webtier.WebTierArgs) { a.Web.InstanceType = "m6i" }, []string{`webtier "tier": Web.InstanceType:`}},
		"ami":             {func(a *webtier.WebTierArgs) { a.App.AMI = "debian-12" }, []string{`webtier "tier": App.AMI:`}},
		"certificate":     {func(a *webtier.WebTierArgs) { a.CertificateARN = "my-cert" }, []string{`webtier "tier": CertificateARN:`}},
		"environment":     {func(a *webtier.WebTierArgs) { a.Environment = "" }, []string{`webtier "tier": Environment:`}},
		"half database":   {func(a *webtier.WebTierArgs) { a.DatabaseSecretARN = nil }, []string{`webtier "tier": DatabaseEndpoint:`, "go together"}},
		"cache alone":     {func(a *webtier.WebTierArgs) { a.DatabaseEndpoint, a.DatabaseSecretARN = nil, nil }, []string{`webtier "tier": CacheEndpoint:`, "needs the database"}},
		"no network":      {func(a *webtier.WebTierArgs) { a.VpcID, a.PublicSubnetIDs, a.AppSubnetIDs = nil, nil, nil }, []string{"VpcID: required", "PublicSubnetIDs: required", "AppSubnetIDs: required"}},
		"several at once": {func(a *webtier.WebTierArgs) { a.Connector, a.Web.MaxSize = "jk", 1 }, []string{"Connector:", "Web.MaxSize:"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := validArgs()
			tc.mutate(args)
			res, _, err := run(t, args)
			mocktest.RequireErrorMentions(t, err, tc.wants...)
			mocktest.RequireNothingRegistered(t, res)
		})
	}
}

// Behind CloudFront the public ALB opens one port to the prefix list, even
// with a certificate: each prefix-list rule counts about 55 entries against
// the default quota of 60 rules per security group.
func TestPrefixListOnOnePortBehindCloudFront(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		cert, cloudFront bool
		wantPorts        []float64
	}{
		"open, no certificate":    {false, false, []float64{80}},
		"open, certificate":       {true, false, []float64{80, 443}},
		"CloudFront, certificate": {true, true, []float64{80}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := validArgs()
			if tc.cert {
				args.CertificateARN = cert
			}
			if tc.cloudFront {
				args.OriginFromCloudFront = true
				args.PublicIngressPrefixListIDs = pulumi.StringArray{pulumi.String("pl-0cloudfront")}
			}
			res, _ := mustRun(t, args)
			rules, _ := mocktest.MustFind(t, res, tSG, "tier-public-alb").Input("ingress").([]any)
			var ports []float64
			for _, r := range rules {
				m := r.(map[string]any)
				ports = append(ports, m["fromPort"].(float64))
				if tc.cloudFront && (m["cidrBlocks"] != nil || m["prefixListIds"] == nil) {
					t.Errorf("rule %v: want the prefix list only", m)
				}
			}
			if diff := cmp.Diff(tc.wantPorts, ports); diff != "" {
				t.Errorf("public ALB ports (-want +got):\n%s", diff)
			}
		})
	}
}

// TestALBsIdleTimeoutIsTheOneTheWebServersAreRenderedFor: httpd's keep-alive
// and pooled-connection times are rendered against roles.ALBIdleTimeoutSeconds
// (components/roles checks them), so both ALBs must use exactly that.
func TestALBsIdleTimeoutIsTheOneTheWebServersAreRenderedFor(t *testing.T) {
	t.Parallel()
	// ELBv2 ModifyLoadBalancerAttributes: idle_timeout.timeout_seconds is 1-4000.
	if roles.ALBIdleTimeoutSeconds < 1 || roles.ALBIdleTimeoutSeconds > 4000 {
		t.Fatalf("roles.ALBIdleTimeoutSeconds %d: AWS takes 1-4000 seconds", roles.ALBIdleTimeoutSeconds)
	}
	res, _ := mustRun(t, validArgs())
	for _, name := range []string{"tier-public", "tier-internal"} {
		alb := mocktest.MustFind(t, res, tALB, name)
		// idleTimeout applies to application load balancers only.
		if typ := alb.Input("loadBalancerType"); typ != "application" {
			t.Errorf("%s: loadBalancerType %v, idleTimeout needs application", name, typ)
		}
		if got, _ := alb.Input("idleTimeout").(float64); int(got) != roles.ALBIdleTimeoutSeconds {
			t.Errorf("%s: idleTimeout %v, want %d", name, alb.Input("idleTimeout"), roles.ALBIdleTimeoutSeconds)
		}
	}
}
