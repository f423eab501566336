package migration_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/migration"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

const (
	tTask     = "aws:dms/replicationTask:ReplicationTask"
	tEndpoint = "aws:dms/endpoint:Endpoint"
	tInstance = "aws:dms/replicationInstance:ReplicationInstance"
	tSubnets  = "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup"
	tRole     = "aws:iam/role:Role"
	tPolicy   = "aws:iam/rolePolicy:RolePolicy"
	tAttach   = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	tCommand  = "command:local:Command"
	tSG       = "aws:ec2/securityGroup:SecurityGroup"
	tVPCE     = "aws:ec2/vpcEndpoint:VpcEndpoint"

	secretARN    = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0123abcd-AbCdEf"
	kmsARN       = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab"
	rdsSG        = "sg-0rds000000000001"
	legacyPass   = "legacy-Pa55word!"
	onPremCIDR   = "10.20.0.0/16"
	legacyDBHost = "10.20.1.15"
)

func validArgs() *migration.MigrationArgs {
	return &migration.MigrationArgs{
		Source: migration.Source{
			Engine: "mysql", Host: legacyDBHost, Port: 3306, Username: "dms_reader", DatabaseName: "shop",
			Password: pulumi.ToSecret(pulumi.String(legacyPass)).(pulumi.StringOutput),
		},
		Target: migration.Target{
			Engine: "mysql", Port: 3306,
			SecretARN:       pulumi.String(secretARN),
			SecurityGroupID: pulumi.String(rdsSG),
		},
		Tables:      []string{"shop.%", "legacy.orders"},
		SubnetIDs:   pulumi.ToStringArray([]string{"subnet-d1", "subnet-d2"}),
		VpcID:       pulumi.String("vpc-1"),
		VpcCIDR:     vpcCIDR,
		OnPremCIDRs: []string{onPremCIDR},
	}
}

const vpcCIDR = "10.120.0.0/16"

type outputs struct {
	mu                            sync.Mutex
	taskARN, taskID, instanceID   string
	sgID, secretRole, instanceARN string
}

func run(t *testing.T, args *migration.MigrationArgs) (*mocktest.Result, *outputs, error) {
	t.Helper()
	o := &outputs{}
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		m, err := migration.NewMigration(ctx, "mig", args)
		if err != nil {
			return err
		}
		pulumi.All(m.TaskARN, m.TaskResourceID, m.ReplicationInstanceID, m.SecurityGroupID, m.SecretAccessRoleARN, m.ReplicationInstanceARN).ApplyT(func(v []any) error {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.taskARN, o.taskID, o.instanceID = v[0].(string), v[1].(string), v[2].(string)
			o.sgID, o.secretRole, o.instanceARN = v[3].(string), v[4].(string), v[5].(string)
			return nil
		})
		return nil
	}, mocktest.Options{})
	return res, o, err
}

func mustRun(t *testing.T, args *migration.MigrationArgs) (*mocktest.Result, *outputs) {
	t.Helper()
	res, o, err := run(t, args)
	if err != nil {
		t.Fatal(err)
	}
	return res, o
}

func TestTaskWiring(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	cases := map[string]struct {
		start *bool
		want  bool
	}{
		"default starts": {nil, true},
		"asked to start": {&yes, true},
		"asked not to":   {&no, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := validArgs()
			args.StartTask = tc.start
			res, out := mustRun(t, args)
			task := mocktest.MustFind(t, res, tTask, "mig")
			source := mocktest.MustFind(t, res, tEndpoint, "mig-source")
			target := mocktest.MustFind(t, res, tEndpoint, "mig-target")
			instance := mocktest.MustFind(t, res, tInstance, "mig")
			got := map[string]any{
				"migrationType":          task.Input("migrationType"),
				"startReplicationTask":   task.Input("startReplicationTask"),
				"sourceEndpointArn":      task.Input("sourceEndpointArn"),
				"targetEndpointArn":      task.Input("targetEndpointArn"),
				"replicationInstanceArn": task.Input("replicationInstanceArn"),
			}
			want := map[string]any{
				"migrationType":          "full-load-and-cdc",
				"startReplicationTask":   tc.want,
				"sourceEndpointArn":      mocktest.DMSARN("endpoint", "mig-source"),
				"targetEndpointArn":      mocktest.DMSARN("endpoint", "mig-target"),
				"replicationInstanceArn": mocktest.DMSARN("rep", "mig"),
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("task inputs (-want +got):\n%s", diff)
			}
			// The ARNs came from those very resources, not from a string
			// that happens to match.
			for key, from := range map[string]*mocktest.Resource{"sourceEndpointArn": source, "targetEndpointArn": target, "replicationInstanceArn": instance} {
				if !contains(task.PropertyDependencies[key], from.URN) {
					t.Errorf("task %s does not depend on %s: %v", key, from.Name, task.PropertyDependencies[key])
				}
			}
			wantEndpoints := map[string]map[string]any{
				"mig-source": {"endpointType": "source", "engineName": "mysql", "serverName": legacyDBHost, "port": 3306.0, "username": "dms_reader", "databaseName": "shop", "sslMode": "none"},
				"mig-target": {"endpointType": "target", "engineName": "mysql", "serverName": nil, "port": nil, "username": nil, "databaseName": nil, "sslMode": "require"},
			}
			for ep, w := range wantEndpoints {
				r := mocktest.MustFind(t, res, tEndpoint, ep)
				g := map[string]any{}
				for k := range w {
					g[k] = r.Input(k)
				}
				if diff := cmp.Diff(w, g); diff != "" {
					t.Errorf("%s inputs (-want +got):\n%s", ep, diff)
				}
			}
			out.mu.Lock()
			defer out.mu.Unlock()
			if want := mocktest.DMSARN("task", "mig"); out.taskARN != want || !strings.HasSuffix(want, ":"+out.taskID) || out.taskID == "" || strings.Contains(out.taskID, ":") {
				t.Errorf("TaskARN %q TaskResourceID %q, want %q and its last part", out.taskARN, out.taskID, want)
			}
			if out.instanceID != "mig-instance" {
				t.Errorf("ReplicationInstanceID %q, want mig-instance", out.instanceID)
			}
		})
	}
}

func TestTableMappingsInTask(t *testing.T) {
	t.Parallel()
	args := validArgs()
	args.Tables = []string{"shop.%", "legacy.orders", "shop.%", "legacy.order_items"}
	res, _ := mustRun(t, args)
	var doc struct {
		Rules []migration.SelectionRule `json:"rules"`
	}
	if err := json.Unmarshal([]byte(mocktest.MustFind(t, res, tTask, "mig").String("tableMappings")), &doc); err != nil {
		t.Fatal(err)
	}
	rule := func(id, schema, table string) migration.SelectionRule {
		return migration.SelectionRule{RuleType: "selection", RuleID: id, RuleName: "include-" + id,
			ObjectLocator: migration.ObjectLocator{SchemaName: schema, TableName: table}, RuleAction: "include"}
	}
	want := []migration.SelectionRule{rule("1", "legacy", "order_items"), rule("2", "legacy", "orders"), rule("3", "shop", "%")}
	if diff := cmp.Diff(want, doc.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	// Reordering the configuration changes nothing.
	again, err := migration.TableMappings([]string{"legacy.order_items", "shop.%", "legacy.orders"})
	if err != nil {
		t.Fatal(err)
	}
	if got := mocktest.MustFind(t, res, tTask, "mig").String("tableMappings"); again != got {
		t.Errorf("mappings depend on order:\n%s\n%s", again, got)
	}

	var settings struct {
		Logging struct {
			EnableLogging bool
			LogComponents []struct{ Id string }
		}
		FullLoadSettings struct{ TargetTablePrepMode string }
	}
	if err := json.Unmarshal([]byte(mocktest.MustFind(t, res, tTask, "mig").String("replicationTaskSettings")), &settings); err != nil {
		t.Fatal(err)
	}
	if !settings.Logging.EnableLogging || len(settings.Logging.LogComponents) == 0 {
		t.Errorf("task logging off: %+v", settings.Logging)
	}
	if settings.FullLoadSettings.TargetTablePrepMode != "DO_NOTHING" {
		t.Errorf("TargetTablePrepMode %q, want DO_NOTHING", settings.FullLoadSettings.TargetTablePrepMode)
	}
}

type policyDoc struct {
	Statement []struct {
		Effect    string
		Action    any
		Resource  any
		Principal map[string]any
		Condition map[string]map[string]string
	}
}

func TestTargetReadsExactlyItsSecret(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		kms  string
		want map[string]string // action -> resource
	}{
		"aws-managed key": {"", map[string]string{"secretsmanager:GetSecretValue": secretARN}},
		"customer key":    {kmsARN, map[string]string{"secretsmanager:GetSecretValue": secretARN, "kms:Decrypt": kmsARN}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := validArgs()
			if tc.kms != "" {
				args.Target.SecretKMSKeyARN = pulumi.String(tc.kms)
			}
			res, out := mustRun(t, args)
			target := mocktest.MustFind(t, res, tEndpoint, "mig-target")
			role := mocktest.MustFind(t, res, tRole, "mig-secret-access")
			if target.String("secretsManagerArn") != secretARN {
				t.Errorf("secretsManagerArn %q, want %q", target.String("secretsManagerArn"), secretARN)
			}
			if !contains(target.PropertyDependencies["secretsManagerAccessRoleArn"], role.URN) {
				t.Errorf("secretsManagerAccessRoleArn not from the role: %v", target.PropertyDependencies)
			}
			out.mu.Lock()
			roleARN := out.secretRole
			out.mu.Unlock()
			if target.String("secretsManagerAccessRoleArn") != roleARN || roleARN == "" {
				t.Errorf("access role %q, want %q", target.String("secretsManagerAccessRoleArn"), roleARN)
			}

			var trust policyDoc
			if err := json.Unmarshal([]byte(role.String("assumeRolePolicy")), &trust); err != nil {
				t.Fatal(err)
			}
			if len(trust.Statement) != 1 || !contains(anyStrings(trust.Statement[0].Principal["Service"]), "dms."+mocktest.AWSRegion+".amazonaws.com") {
				t.Errorf("trust policy does not name the regional DMS principal: %s", role.String("assumeRolePolicy"))
			}

			policy := mocktest.MustFind(t, res, tPolicy, "mig-secret-access")
			var doc policyDoc
			if err := json.Unmarshal([]byte(policy.String("policy")), &doc); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, s := range doc.Statement {
				acts := anyStrings(s.Action)
				if s.Effect != "Allow" || len(acts) != 1 {
					t.Errorf("statement %+v: want one allowed action", s)
					continue
				}
				r, ok := s.Resource.(string)
				if !ok {
					t.Errorf("statement %+v: want exactly one resource", s)
				}
				got[acts[0]] = r
				if acts[0] == "kms:Decrypt" && s.Condition["StringEquals"]["kms:ViaService"] != "secretsmanager."+mocktest.AWSRegion+".amazonaws.com" {
					t.Errorf("kms:Decrypt not limited to Secrets Manager: %+v", s.Condition)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("secret access policy (-want +got):\n%s", diff)
			}
			if r := policy.PropertyDependencies["role"]; !contains(r, role.URN) {
				t.Errorf("policy not attached to the access role: %v", r)
			}
		})
	}
}

func TestIAMPropagationWait(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		accountRoles bool
		delay        time.Duration
		wantSleep    string
	}{
		"account roles":               {true, 0, "sleep 15"},
		"account roles, longer delay": {true, 40 * time.Second, "sleep 40"},
		"roles owned elsewhere":       {false, 0, "sleep 15"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := validArgs()
			args.CreateAccountRoles = tc.accountRoles
			args.IAMPropagationDelay = tc.delay
			res, _ := mustRun(t, args)
			wait := mocktest.MustFind(t, res, tCommand, "mig-iam-propagation")
			if wait.String("create") != tc.wantSleep {
				t.Errorf("wait runs %q, want %q", wait.String("create"), tc.wantSleep)
			}
			// Everything IAM must exist before the wait starts.
			iamRes := []*mocktest.Resource{mocktest.MustFind(t, res, tRole, "mig-secret-access"), mocktest.MustFind(t, res, tPolicy, "mig-secret-access")}
			var accountRoleNames []string
			for _, r := range res.OfType(tRole) {
				if r.Name == "dms-vpc-role" || r.Name == "dms-cloudwatch-logs-role" {
					accountRoleNames = append(accountRoleNames, r.String("name"))
					iamRes = append(iamRes, r, mocktest.MustFind(t, res, tAttach, r.Name))
				}
			}
			wantRoles := []string(nil)
			if tc.accountRoles {
				wantRoles = []string{"dms-cloudwatch-logs-role", "dms-vpc-role"}
			}
			if diff := cmp.Diff(wantRoles, accountRoleNames); diff != "" {
				t.Errorf("account roles (-want +got):\n%s", diff)
			}
			for _, r := range iamRes {
				if !res.DependsOn(wait, r) {
					t.Errorf("the wait does not wait for %s %s", r.Type, r.Name)
				}
			}
			if got := len(mocktest.Plain(wait.Inputs["triggers"]).([]any)); got != 1+len(wantRoles) {
				t.Errorf("wait has %d triggers, want one per role (%d)", got, 1+len(wantRoles))
			}
			if tc.accountRoles {
				for _, p := range res.OfType(tAttach) {
					if !strings.HasPrefix(p.String("policyArn"), "arn:aws:iam::aws:policy/service-role/AmazonDMS") {
						t.Errorf("attachment %s: policy %q", p.Name, p.String("policyArn"))
					}
				}
			}
			// Everything DMS checks a role for comes after the wait, and the
			// wait does not come after any of it.
			for _, r := range []*mocktest.Resource{mocktest.MustFind(t, res, tSubnets, "mig"), mocktest.MustFind(t, res, tInstance, "mig"), mocktest.MustFind(t, res, tEndpoint, "mig-target"), mocktest.MustFind(t, res, tTask, "mig")} {
				if !res.DependsOn(r, wait) {
					t.Errorf("%s %s does not wait for IAM propagation", r.Type, r.Name)
				}
				if res.DependsOn(wait, r) {
					t.Errorf("the wait depends on %s %s: cycle", r.Type, r.Name)
				}
			}
		})
	}
}

func TestNetworkAndInstance(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		skipEndpoint bool
		class        string
		wantClass    string
	}{
		"defaults":                {false, "", "dms.t3.medium"},
		"bigger, shared endpoint": {true, "dms.r5.large", "dms.r5.large"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := validArgs()
			args.SkipSecretsManagerEndpoint = tc.skipEndpoint
			args.InstanceClass = tc.class
			res, out := mustRun(t, args)
			inst := mocktest.MustFind(t, res, tInstance, "mig")
			want := map[string]any{
				"multiAz": true, "publiclyAccessible": false, "replicationInstanceClass": tc.wantClass,
				"replicationInstanceId": "mig-instance", "replicationSubnetGroupId": "mig-subnets",
			}
			got := map[string]any{}
			for k := range want {
				got[k] = inst.Input(k)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("instance (-want +got):\n%s", diff)
			}
			out.mu.Lock()
			sgID := out.sgID
			out.mu.Unlock()
			if diff := cmp.Diff([]any{sgID}, inst.Input("vpcSecurityGroupIds")); diff != "" {
				t.Errorf("instance security groups (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]any{"subnet-d1", "subnet-d2"}, mocktest.MustFind(t, res, tSubnets, "mig").Input("subnetIds")); diff != "" {
				t.Errorf("subnet group (-want +got):\n%s", diff)
			}
			sg := mocktest.MustFind(t, res, tSG, "mig")
			if sg.Input("ingress") != nil && len(sg.Input("ingress").([]any)) > 0 {
				t.Errorf("replication security group admits traffic: %v", sg.Input("ingress"))
			}
			type rule struct {
				Port  float64
				To    []any
				ToSGs []any
				Proto string
			}
			var rules []rule
			for _, e := range sg.Input("egress").([]any) {
				m := e.(map[string]any)
				cidrs, _ := m["cidrBlocks"].([]any)
				sgs, _ := m["securityGroups"].([]any)
				rules = append(rules, rule{m["fromPort"].(float64), cidrs, sgs, m["protocol"].(string)})
			}
			wantRules := []rule{
				{3306, []any{onPremCIDR}, nil, "tcp"},
				{3306, nil, []any{rdsSG}, "tcp"},
				{443, []any{"0.0.0.0/0"}, nil, "tcp"},
			}
			if diff := cmp.Diff(wantRules, rules); diff != "" {
				t.Errorf("egress (-want +got):\n%s", diff)
			}
			ep := res.Find(tVPCE, "mig-secretsmanager")
			if tc.skipEndpoint != (ep == nil) {
				t.Fatalf("secrets manager endpoint present %v, skip %v", ep != nil, tc.skipEndpoint)
			}
			if ep != nil {
				if ep.String("serviceName") != "com.amazonaws."+mocktest.AWSRegion+".secretsmanager" || ep.Input("privateDnsEnabled") != true {
					t.Errorf("endpoint %s private DNS %v", ep.String("serviceName"), ep.Input("privateDnsEnabled"))
				}
				// Private DNS sends every Secrets Manager call in the VPC to
				// the endpoint (the app servers' too): it must admit the VPC.
				epSG := mocktest.MustFind(t, res, tSG, "mig-secretsmanager")
				in := epSG.Input("ingress").([]any)
				if len(in) != 1 || in[0].(map[string]any)["fromPort"] != 443.0 || !contains(anyStrings(in[0].(map[string]any)["cidrBlocks"]), vpcCIDR) {
					t.Errorf("endpoint admits %v, want 443 from the whole VPC %s (its private DNS answers for every client)", in, vpcCIDR)
				}
				if !res.DependsOn(mocktest.MustFind(t, res, tTask, "mig"), ep) {
					t.Error("the task may start before DMS can reach Secrets Manager")
				}
			}
		})
	}
}

// TestSourceNamedByHostIsResolved: DMS resolves the legacy host through
// the VPC's resolver, which sees no on-premises zone: the component
// forwards the host's zone to the on-premises resolvers and the task waits
// for the rule to be in force. An address needs none of it.
func TestSourceNamedByHostIsResolved(t *testing.T) {
	t.Parallel()
	t.Run("name", func(t *testing.T) {
		t.Parallel()
		args := validArgs()
		args.Source.Host = "legacy-db.lab.example.internal"
		args.Source.DNSServers = []string{"10.20.0.53", "10.20.0.54"}
		res, _ := mustRun(t, args)
		rule := mocktest.MustFind(t, res, "aws:route53/resolverRule:ResolverRule", "mig-source-zone")
		if rule.String("domainName") != "lab.example.internal" || rule.String("ruleType") != "FORWARD" {
			t.Errorf("rule forwards %q (%s), want lab.example.internal (FORWARD)", rule.String("domainName"), rule.String("ruleType"))
		}
		var ips []string
		for _, e := range rule.Input("targetIps").([]any) {
			ips = append(ips, e.(map[string]any)["ip"].(string))
		}
		if diff := cmp.Diff([]string{"10.20.0.53", "10.20.0.54"}, ips); diff != "" {
			t.Errorf("rule targets (-want +got):\n%s", diff)
		}
		ep := mocktest.MustFind(t, res, "aws:route53/resolverEndpoint:ResolverEndpoint", "mig-outbound")
		if ep.String("direction") != "OUTBOUND" || len(ep.Input("ipAddresses").([]any)) != 2 || !res.DependsOn(rule, ep) {
			t.Errorf("endpoint %s with %v addresses", ep.String("direction"), ep.Input("ipAddresses"))
		}
		assoc := mocktest.MustFind(t, res, "aws:route53/resolverRuleAssociation:ResolverRuleAssociation", "mig-source-zone")
		if assoc.String("vpcId") != "vpc-1" || !res.DependsOn(mocktest.MustFind(t, res, tTask, "mig"), assoc) {
			t.Errorf("association with %q; the task must wait for it", assoc.String("vpcId"))
		}
		egress := mocktest.MustFind(t, res, tSG, "mig-resolver").Input("egress").([]any)
		if len(egress) != 4 {
			t.Errorf("resolver egress %v, want udp and tcp 53 to each of the 2 resolvers", egress)
		}
		for _, e := range egress {
			m := e.(map[string]any)
			if m["fromPort"] != 53.0 || !strings.HasSuffix(anyStrings(m["cidrBlocks"])[0], "/32") {
				t.Errorf("resolver egress %v: only DNS to the resolvers", m)
			}
		}
	})
	t.Run("address", func(t *testing.T) {
		t.Parallel()
		res, _ := mustRun(t, validArgs())
		if len(res.OfType("aws:route53/resolverRule:ResolverRule")) != 0 {
			t.Error("an IP address needs no forwarding rule")
		}
	})
}

func TestSourcePasswordStaysSecret(t *testing.T) {
	t.Parallel()
	cases := map[string]pulumi.StringInput{
		"secret input": pulumi.ToSecret(pulumi.String(legacyPass)).(pulumi.StringOutput),
		"plain input":  pulumi.String(legacyPass),
	}
	for name, pw := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := validArgs()
			args.Source.Password = pw
			res, _ := mustRun(t, args)
			source := mocktest.MustFind(t, res, tEndpoint, "mig-source")
			if !contains(source.SecretPaths, "password") || source.String("password") != legacyPass {
				t.Errorf("source password secret paths %v, value ok %v", source.SecretPaths, source.String("password") == legacyPass)
			}
			for _, r := range res.Resources {
				b, _ := json.Marshal(mocktest.Masked(r.Inputs))
				if strings.Contains(string(b), legacyPass) {
					t.Errorf("%s %s shows the password in plain text", r.Type, r.Name)
				}
			}
		})
	}
}

func TestBadArgs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		edit func(a *migration.MigrationArgs)
		want []string
	}{
		"missing source password":          {func(a *migration.MigrationArgs) { a.Source.Password = nil }, []string{"Source.Password: required"}},
		"unknown engine":                   {func(a *migration.MigrationArgs) { a.Source.Engine = "db2" }, []string{`Source.Engine: unknown engine "db2"`}},
		"empty table mappings":             {func(a *migration.MigrationArgs) { a.Tables = nil }, []string{"Tables: need at least one"}},
		"bad table pattern":                {func(a *migration.MigrationArgs) { a.Tables = []string{"shop.%", "orders"} }, []string{"Tables[1]: expected schema.table"}},
		"bad ports":                        {func(a *migration.MigrationArgs) { a.Source.Port = 0; a.Target.Port = 70000 }, []string{"Source.Port: expected 1-65535, got 0", "Target.Port: expected 1-65535, got 70000"}},
		"postgres target without database": {func(a *migration.MigrationArgs) { a.Target.Engine = "postgres"; a.Target.Port = 5432 }, []string{"Target.DatabaseName: required"}},
		"host name without resolvers":      {func(a *migration.MigrationArgs) { a.Source.Host = "legacy-db.lab.example.internal" }, []string{"Source.DNSServers: required when Source.Host is a name"}},
		"resolver not behind the VPN": {func(a *migration.MigrationArgs) {
			a.Source.Host, a.Source.DNSServers = "legacy-db.lab.example.internal", []string{"192.168.1.53"}
		}, []string{"Source.DNSServers[0]: 192.168.1.53 is outside OnPremCIDRs"}},
		"zone that does not hold the host": {func(a *migration.MigrationArgs) {
			a.Source.Host, a.Source.DNSServers, a.Source.DNSDomain = "legacy-db.lab.example.internal", []string{"10.20.0.53"}, "other.internal"
		}, []string{"Source.DNSDomain: expected a zone"}},
		"endpoint without the VPC's network": {func(a *migration.MigrationArgs) { a.VpcCIDR = "" }, []string{"VpcCIDR: expected the VPC's network"}},
		"everything at once": {func(a *migration.MigrationArgs) {
			a.Source.Password, a.Source.Engine, a.Tables, a.Source.Host = nil, "informix", nil, ""
			a.Target.SecretARN = nil
			a.OnPremCIDRs = []string{"10.20.0.1/16"}
			a.InstanceClass = "t3.medium"
		}, []string{"Source.Password", "Source.Engine", "Tables:", "Source.Host", "Target.SecretARN", "OnPremCIDRs[0]", "InstanceClass"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := validArgs()
			tc.edit(args)
			res, _, err := run(t, args)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), `migration "mig": `+w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
			if err2 := args.Validate("mig"); err2 == nil || !strings.Contains(err.Error(), err2.Error()) {
				t.Errorf("Validate says %v, NewMigration %v", err2, err)
			}
			mocktest.RequireNothingRegistered(t, res)
		})
	}
}

func TestIdentifier(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("production-web-tier-", 5)
	cases := map[string]struct{ name, suffix, want string }{
		"plain":          {"mig", "task", "mig-task"},
		"upper and runs": {"HaWeb__Tier", "source", "haweb-tier-source"},
		"leading digit":  {"1st", "instance", "dms-1st-instance"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := migration.Identifier(tc.name, tc.suffix); got != tc.want {
				t.Errorf("Identifier(%q, %q) = %q, want %q", tc.name, tc.suffix, got, tc.want)
			}
		})
	}
	a, b := migration.Identifier(long, "source"), migration.Identifier(long, "target")
	if len(a) > 63 || len(b) > 63 || a == b || strings.HasSuffix(a, "-") {
		t.Errorf("long identifiers %q %q: want distinct, at most 63 characters", a, b)
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func anyStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			s, _ := e.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}
