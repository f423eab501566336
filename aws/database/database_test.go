package database_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/database"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

const (
	tInstance = "aws:rds/instance:Instance"
	tPG       = "aws:rds/parameterGroup:ParameterGroup"
	tSG       = "aws:ec2/securityGroup:SecurityGroup"
	wasSG     = "sg-0was0000000000001"
	dmsSG     = "sg-0dms0000000000002"
)

func validArgs(engine string, production bool) *database.DatabaseArgs {
	return &database.DatabaseArgs{
		Engine:                  engine,
		InstanceClass:           "db.m6i.large",
		AllocatedStorageGB:      100,
		DBName:                  "shop",
		Username:                "appadmin",
		Production:              production,
		SubnetIDs:               pulumi.ToStringArray([]string{"subnet-a", "subnet-b", "subnet-c"}),
		VpcID:                   pulumi.String("vpc-1"),
		AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{wasSG, dmsSG}),
	}
}

type outputs struct {
	mu                                    sync.Mutex
	secretARN, identifier, endpoint, sgID string
	replicaIDs                            []string
}

func run(t *testing.T, args *database.DatabaseArgs) (*mocktest.Result, *outputs, error) {
	t.Helper()
	o := &outputs{}
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		d, err := database.NewDatabase(ctx, "db", args)
		if err != nil {
			return err
		}
		pulumi.All(d.MasterSecretARN, d.InstanceIdentifier, d.Endpoint, d.SecurityGroupID, d.ReplicaIdentifiers).ApplyT(func(v []any) error {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.secretARN, o.identifier, o.endpoint, o.sgID = v[0].(string), v[1].(string), v[2].(string), v[3].(string)
			o.replicaIDs = v[4].([]string)
			return nil
		})
		return nil
	}, mocktest.Options{})
	return res, o, err
}

func TestDatabaseProperties(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		engine     string
		production bool
		family     string
		params     map[string]any
		port       float64
	}{
		"mysql production":    {"mysql", true, "mysql8.0", map[string]any{"binlog_format": "ROW", "binlog_row_image": "FULL"}, 3306},
		"mysql staging":       {"mysql", false, "mysql8.0", map[string]any{"binlog_format": "ROW", "binlog_row_image": "FULL"}, 3306},
		"postgres production": {"postgres", true, "postgres16", map[string]any{"rds.logical_replication": "1"}, 5432},
		"postgres staging":    {"postgres", false, "postgres16", map[string]any{"rds.logical_replication": "1"}, 5432},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, out, err := run(t, validArgs(tc.engine, tc.production))
			if err != nil {
				t.Fatal(err)
			}
			db := res.Find(tInstance, "db")
			if db == nil {
				t.Fatalf("no instance:\n%s", mocktest.GoldenList(res))
			}
			want := map[string]any{
				"multiAz":                    true,
				"storageEncrypted":           true,
				"manageMasterUserPassword":   true,
				"performanceInsightsEnabled": true,
				"publiclyAccessible":         false,
				"backupRetentionPeriod":      7.0,
				"deletionProtection":         tc.production,
				"skipFinalSnapshot":          !tc.production,
				"port":                       tc.port,
				"password":                   nil, // RDS keeps the password, not Pulumi
			}
			got := map[string]any{}
			for k := range want {
				got[k] = db.Input(k)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("instance inputs (-want +got):\n%s", diff)
			}
			if tc.production {
				if db.String("finalSnapshotIdentifier") != "db-final" {
					t.Errorf("finalSnapshotIdentifier %q, want db-final", db.String("finalSnapshotIdentifier"))
				}
			} else if db.Input("finalSnapshotIdentifier") != nil {
				t.Errorf("staging has a final snapshot id %v", db.Input("finalSnapshotIdentifier"))
			}
			if db.Protect != tc.production || db.RetainOnDelete != tc.production {
				t.Errorf("protect %v retainOnDelete %v, want %v", db.Protect, db.RetainOnDelete, tc.production)
			}
			pg := res.Find(tPG, "db")
			if pg.String("family") != tc.family {
				t.Errorf("family %q, want %q", pg.String("family"), tc.family)
			}
			params := map[string]any{}
			for _, p := range pg.Input("parameters").([]any) {
				m := p.(map[string]any)
				params[m["name"].(string)] = m["value"]
			}
			if diff := cmp.Diff(tc.params, params); diff != "" {
				t.Errorf("parameters (-want +got):\n%s", diff)
			}
			// The instance must take its parameter group from the component's
			// group (the CDC settings), not a default group of the engine.
			if deps := db.PropertyDependencies["parameterGroupName"]; !cmp.Equal(deps, []string{pg.URN}) || strings.HasPrefix(db.String("parameterGroupName"), "default.") {
				t.Errorf("instance parameter group %q from %v, want the component's group %s", db.String("parameterGroupName"), deps, pg.URN)
			}
			if !strings.HasPrefix(out.secretARN, "arn:aws:secretsmanager:") || !strings.Contains(out.secretARN, "rds!db") {
				t.Errorf("MasterSecretARN %q, want the RDS-managed secret", out.secretARN)
			}
			if out.identifier != "db" || !strings.HasSuffix(out.endpoint, fmt.Sprintf(":%d", int(tc.port))) {
				t.Errorf("identifier %q endpoint %q", out.identifier, out.endpoint)
			}
		})
	}
}

func TestSecurityGroupAdmitsOnlyAllowedGroups(t *testing.T) {
	t.Parallel()
	res, out, err := run(t, validArgs("mysql", false))
	if err != nil {
		t.Fatal(err)
	}
	sg := res.Find(tSG, "db")
	ingress, _ := sg.Input("ingress").([]any)
	if len(ingress) != 1 {
		t.Fatalf("%d ingress rules, want 1: %v", len(ingress), ingress)
	}
	want := map[string]any{
		"protocol": "tcp", "fromPort": 3306.0, "toPort": 3306.0,
		"securityGroups": []any{wasSG, dmsSG},
	}
	rule := ingress[0].(map[string]any)
	got := map[string]any{}
	for k := range want {
		got[k] = rule[k]
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ingress (-want +got):\n%s", diff)
	}
	for _, k := range []string{"cidrBlocks", "ipv6CidrBlocks", "prefixListIds"} {
		if v, ok := rule[k].([]any); ok && len(v) > 0 {
			t.Errorf("ingress admits %s %v", k, v)
		}
	}
	if eg, _ := sg.Input("egress").([]any); len(eg) != 0 {
		t.Errorf("database has egress rules %v", eg)
	}
	db := res.Find(tInstance, "db")
	if diff := cmp.Diff([]any{out.sgID}, db.Input("vpcSecurityGroupIds")); diff != "" {
		t.Errorf("instance security groups (-want +got):\n%s", diff)
	}
}

func TestReadReplicas(t *testing.T) {
	t.Parallel()
	args := validArgs("mysql", true)
	args.ReadReplicas = 2
	res, out, err := run(t, args)
	if err != nil {
		t.Fatal(err)
	}
	primary := res.Find(tInstance, "db")
	for _, n := range []string{"db-replica-1", "db-replica-2"} {
		r := res.Find(tInstance, n)
		if r == nil {
			t.Fatalf("no replica %s", n)
		}
		if r.String("replicateSourceDb") != "db" || !res.DependsOn(r, primary) {
			t.Errorf("%s replicates %q, want the primary's identifier db", n, r.String("replicateSourceDb"))
		}
		if r.Input("storageEncrypted") != true || r.Input("manageMasterUserPassword") != nil || r.Input("username") != nil {
			t.Errorf("%s: encrypted %v, own credentials %v %v", n, r.Input("storageEncrypted"), r.Input("manageMasterUserPassword"), r.Input("username"))
		}
		if r.Protect {
			t.Errorf("%s is protected; replicas hold no data of their own", n)
		}
	}
	if diff := cmp.Diff([]string{"db-replica-1", "db-replica-2"}, out.replicaIDs); diff != "" {
		t.Errorf("ReplicaIdentifiers (-want +got):\n%s", diff)
	}
	// RDS refuses a read replica of an instance whose password it manages:
	// with replicas the password is generated and kept by the component.
	if primary.Input("manageMasterUserPassword") != nil {
		t.Errorf("primary with replicas: manageMasterUserPassword = %v; RDS refuses the replicas", primary.Input("manageMasterUserPassword"))
	}
	assertGeneratedSecret(t, res, out)
}

// assertGeneratedSecret: the primary takes a generated secret password, kept
// in the component's own secret together with the endpoint, and that
// secret is MasterSecretARN.
func assertGeneratedSecret(t *testing.T, res *mocktest.Result, out *outputs) {
	t.Helper()
	primary := res.Find(tInstance, "db")
	if !slices.Contains(primary.SecretPaths, "password") || res.Find("random:index/randomPassword:RandomPassword", "db-master") == nil {
		t.Errorf("primary password is not a generated secret (secret paths %v)", primary.SecretPaths)
	}
	secret := res.Find("aws:secretsmanager/secret:Secret", "db-master")
	version := res.Find("aws:secretsmanager/secretVersion:SecretVersion", "db-master")
	if secret == nil || version == nil {
		t.Fatal("no master secret and version")
	}
	if !slices.Contains(version.SecretPaths, "secretString") || !res.DependsOn(version, primary) || !res.DependsOn(version, secret) {
		t.Errorf("secret version: secret paths %v, depends on the primary %v and the secret %v", version.SecretPaths, res.DependsOn(version, primary), res.DependsOn(version, secret))
	}
	var value map[string]any
	if err := json.Unmarshal([]byte(version.String("secretString")), &value); err != nil {
		t.Fatalf("secretString: %v", err)
	}
	for _, k := range database.MasterSecretKeys {
		if value[k] == nil || value[k] == "" {
			t.Errorf("secret has no %q (AWS DMS needs username, password, host and port): %v", k, slices.Sorted(maps.Keys(value)))
		}
	}
	if host, _ := value["host"].(string); host == "" || !strings.HasPrefix(out.endpoint, host+":") {
		t.Errorf("secret host %v is not the primary's address (endpoint %s)", value["host"], out.endpoint)
	}
	if out.secretARN == "" || !strings.Contains(out.secretARN, "db-master") {
		t.Errorf("MasterSecretARN = %q, want the component's secret", out.secretARN)
	}
}

func TestMasterPasswordModes(t *testing.T) {
	t.Parallel()
	t.Run("managed without replicas", func(t *testing.T) {
		t.Parallel()
		res, _, err := run(t, validArgs("mysql", true))
		if err != nil {
			t.Fatal(err)
		}
		if res.Find(tInstance, "db").Input("manageMasterUserPassword") != true || res.Find("aws:secretsmanager/secret:Secret", "db-master") != nil {
			t.Error("without replicas the password is RDS-managed and the component keeps no secret of its own")
		}
	})
	t.Run("generated on request", func(t *testing.T) {
		t.Parallel()
		args := validArgs("postgres", false)
		args.MasterPassword = database.GeneratedPassword
		res, out, err := run(t, args)
		if err != nil {
			t.Fatal(err)
		}
		assertGeneratedSecret(t, res, out)
	})
	t.Run("managed with replicas is refused", func(t *testing.T) {
		t.Parallel()
		args := validArgs("mysql", true)
		args.ReadReplicas, args.MasterPassword = 1, database.ManagedPassword
		res, _, err := run(t, args)
		mocktest.RequireErrorMentions(t, err, `database "db": MasterPassword:`, "no read replica", "Limitations for Secrets Manager integration")
		mocktest.RequireNothingRegistered(t, res)
	})
}

func TestDatabaseBadArgs(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		mutate func(*database.DatabaseArgs)
		wants  []string
	}{
		"unknown engine":  {func(a *database.DatabaseArgs) { a.Engine = "oracle" }, []string{`database "db": Engine:`, `"oracle"`}},
		"bad version":     {func(a *database.DatabaseArgs) { a.EngineVersion = "latest" }, []string{`database "db": EngineVersion:`}},
		"instance class":  {func(a *database.DatabaseArgs) { a.InstanceClass = "m6i.large" }, []string{`database "db": InstanceClass:`}},
		"tiny storage":    {func(a *database.DatabaseArgs) { a.AllocatedStorageGB = 5 }, []string{`database "db": AllocatedStorageGB:`, "got 5"}},
		"db name":         {func(a *database.DatabaseArgs) { a.DBName = "1shop" }, []string{`database "db": DBName:`}},
		"reserved user":   {func(a *database.DatabaseArgs) { a.Username = "rdsadmin" }, []string{`database "db": Username:`, "reserved"}},
		"long mysql user": {func(a *database.DatabaseArgs) { a.Username = "a_very_long_admin_name" }, []string{`database "db": Username:`, "16"}},
		"replicas":        {func(a *database.DatabaseArgs) { a.ReadReplicas = 6 }, []string{`database "db": ReadReplicas:`, "got 6"}},
		"password mode":   {func(a *database.DatabaseArgs) { a.MasterPassword = "typed" }, []string{`database "db": MasterPassword:`, `"typed"`}},
		"backups":         {func(a *database.DatabaseArgs) { a.BackupRetentionDays = 36 }, []string{`database "db": BackupRetentionDays:`}},
		"no network": {func(a *database.DatabaseArgs) { a.SubnetIDs, a.VpcID = nil, nil },
			[]string{`database "db": SubnetIDs: required`, `database "db": VpcID: required`}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := validArgs("mysql", true)
			tc.mutate(args)
			res, _, err := run(t, args)
			mocktest.RequireErrorMentions(t, err, tc.wants...)
			mocktest.RequireNothingRegistered(t, res)
		})
	}
}

func TestFinalSnapshotIdentifier(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"db":                "db-final",
		"aws-production-db": "aws-production-db-final",
		"Prod_DB--main":     "prod-db-main-final",
		"9lives":            "db-9lives-final",
		"---":               "db-final",
	}
	for in, want := range cases {
		if got := database.FinalSnapshotIdentifier(in); got != want {
			t.Errorf("FinalSnapshotIdentifier(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBinlogRetentionSQL(t *testing.T) {
	t.Parallel()
	if got, want := database.BinlogRetentionSQL(24), "CALL mysql.rds_set_configuration('binlog retention hours', 24);"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestAdmitAfterwards: a database built without AllowedSecurityGroupIDs has
// a security group without inline rules, and Admit adds one standalone
// rule per source, so a tier built later (the WAS tier needs the endpoint
// first) composes in any order. Admit on a database with inline rules is
// refused: the provider would delete the standalone rule.
func TestAdmitAfterwards(t *testing.T) {
	t.Parallel()
	var inlineErr error
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		args := validArgs("mysql", false)
		args.AllowedSecurityGroupIDs = nil
		d, err := database.NewDatabase(ctx, "db", args)
		if err != nil {
			return err
		}
		if err := d.Admit(ctx, "was", pulumi.String(wasSG)); err != nil {
			return err
		}
		other, err := database.NewDatabase(ctx, "inline", validArgs("mysql", false))
		if err != nil {
			return err
		}
		inlineErr = other.Admit(ctx, "was", pulumi.String(wasSG))
		return nil
	}, mocktest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sg := mocktest.MustFind(t, res, tSG, "db")
	if in, _ := sg.Input("ingress").([]any); len(in) != 0 {
		t.Errorf("group has inline ingress %v", in)
	}
	rule := mocktest.MustFind(t, res, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-from-was")
	got := map[string]any{"sg": rule.String("securityGroupId"), "from": rule.String("referencedSecurityGroupId"), "port": rule.Input("fromPort"), "to": rule.Input("toPort"), "proto": rule.String("ipProtocol")}
	want := map[string]any{"sg": sg.ID, "from": wasSG, "port": 3306.0, "to": 3306.0, "proto": "tcp"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rule (-want +got):\n%s", diff)
	}
	if inlineErr == nil || !strings.Contains(inlineErr.Error(), "AllowedSecurityGroupIDs") {
		t.Errorf("Admit on a database with inline rules: %v, want it refused", inlineErr)
	}
}
