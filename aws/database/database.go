package database

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/internal/datatier"
	"github.com/hawebtier/hawebtier/components/problem"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "hawebtier:aws:Database"

// Engines the component accepts, with their default version and port.
var Engines = map[string]struct {
	DefaultVersion string
	Port           int
	LogExports     []string
}{
	"mysql":    {"8.0", 3306, []string{"error", "slowquery"}},
	"postgres": {"16", 5432, []string{"postgresql"}},
}

// MaxReadReplicas is how many read replicas the component creates at most.
const MaxReadReplicas = 5

// Who keeps the master user's password (DatabaseArgs.MasterPassword).
const (
	// ManagedPassword: RDS generates the password, keeps it in a Secrets
	// Manager secret of its own ({"username","password"}) and rotates it
	// (every 7 days by default). It never passes through Pulumi. RDS
	// creates no read replica of such an instance (RDS User Guide,
	// "Limitations for Secrets Manager integration with Amazon RDS").
	ManagedPassword = "managed"
	// GeneratedPassword: pulumi-random generates the password (a secret in
	// the stack's state, typed by no one) and the component keeps it in a
	// Secrets Manager secret of its own with the endpoint:
	// {"username","password","engine","host","port","dbname"}, the shape
	// AWS DMS endpoints and the RDS rotation functions read. Read replicas
	// work, and the password changes only when the stack changes it.
	GeneratedPassword = "generated"
)

// Master password rules of RDS (CreateDBInstance, MasterUserPassword):
// printable ASCII but "/", "'", '"', "@" and space; MySQL takes 8 to 41
// characters, PostgreSQL 8 to 128.
const (
	PasswordLength  = 32
	PasswordSpecial = "!#$%^&*()-_=+[]{}:,.?~"
)

// DatabaseArgs describe the database. Plain values shape the graph; pulumi
// inputs wire it to a network the caller may have built elsewhere. The
// json names are the keys of a config object that holds these args (the
// project's hawebtier:aws.database); fields tagged "-" are wired by the
// program, never configured.
type DatabaseArgs struct {
	// Engine is "mysql" (default) or "postgres".
	Engine string `json:"engine"`
	// EngineVersion such as "8.0" or "16.4"; default 8.0 for mysql, 16 for
	// postgres. Its major version picks the parameter group family.
	EngineVersion string `json:"engineVersion"`
	// InstanceClass such as db.m6i.large; default DefaultInstanceClass.
	InstanceClass string `json:"instanceClass"`
	// AllocatedStorageGB is the initial gp3 storage, 20 to 16384, default
	// 50; storage autoscaling may grow it to 4 times that.
	AllocatedStorageGB int `json:"allocatedStorageGb"`
	// DBName is the database created at launch; default "app".
	DBName string `json:"name"`
	// Username is the master user; default "appadmin". Its password is
	// never typed by anyone: see MasterPassword.
	Username string `json:"username"`
	// ReadReplicas is the number of read replicas, 0 to 5. They need
	// MasterPassword GeneratedPassword.
	ReadReplicas int `json:"readReplicas"`
	// MasterPassword is ManagedPassword or GeneratedPassword; empty picks
	// managed without read replicas and generated with them.
	MasterPassword string `json:"masterPassword"`
	// BackupRetentionDays keeps automated backups (and point-in-time
	// recovery) this long, 1 to 35; default 7. Binlog replication needs backups.
	BackupRetentionDays int `json:"backupRetentionDays"`
	// Production turns on deletion protection, a final snapshot and Pulumi
	// protect/retainOnDelete.
	Production bool `json:"-"`

	// SubnetIDs are the data subnets, in at least two AZs.
	SubnetIDs pulumi.StringArrayInput `json:"-"`
	VpcID     pulumi.StringInput      `json:"-"`
	// AllowedSecurityGroupIDs may reach the engine port; nothing else may.
	// Leave it nil and call Admit for tiers built after the database (the
	// WAS tier needs its endpoint first; DMS).
	AllowedSecurityGroupIDs pulumi.StringArrayInput `json:"-"`
	Tags                    map[string]string       `json:"-"`
	// ResourceName names the final snapshot, whose identifier is unique in
	// an account and region (FinalSnapshotIdentifier(ResourceName)).
	// Default: the component's name. Two stacks in one account need
	// different ones; the project's stacks use <project>-<stack>-<component>.
	ResourceName string `json:"-"`
}

// Defaults of DatabaseArgs.
const (
	DefaultEngine              = "mysql"
	DefaultInstanceClass       = "db.t3.medium"
	DefaultAllocatedStorageGB  = 50
	DefaultDBName              = "app"
	DefaultUsername            = "appadmin"
	DefaultBackupRetentionDays = 7
)

// WithDefaults returns the args with every unset field that has a default
// filled in, as NewDatabase uses them.
func (args DatabaseArgs) WithDefaults() DatabaseArgs {
	a := args
	if a.Engine == "" {
		a.Engine = DefaultEngine
	}
	if a.EngineVersion == "" {
		a.EngineVersion = Engines[a.Engine].DefaultVersion
	}
	if a.InstanceClass == "" {
		a.InstanceClass = DefaultInstanceClass
	}
	if a.AllocatedStorageGB == 0 {
		a.AllocatedStorageGB = DefaultAllocatedStorageGB
	}
	if a.DBName == "" {
		a.DBName = DefaultDBName
	}
	if a.Username == "" {
		a.Username = DefaultUsername
	}
	if a.MasterPassword == "" {
		a.MasterPassword = ManagedPassword
		if a.ReadReplicas > 0 {
			a.MasterPassword = GeneratedPassword
		}
	}
	if a.BackupRetentionDays == 0 {
		a.BackupRetentionDays = DefaultBackupRetentionDays
	}
	return a
}

// Database is a Multi-AZ RDS instance with optional read replicas.
type Database struct {
	pulumi.ResourceState

	name   string
	sg     *ec2.SecurityGroup
	inline bool
	port   int

	// Endpoint is host:port, Address the host name alone.
	Endpoint pulumi.StringOutput
	Address  pulumi.StringOutput
	Port     pulumi.IntOutput
	// MasterSecretARN is the Secrets Manager secret of the master user:
	// RDS's own ({"username","password"}) with ManagedPassword, the
	// component's ({"username","password","engine","host","port","dbname"})
	// with GeneratedPassword.
	MasterSecretARN pulumi.StringOutput
	// MasterPassword is the mode in force: ManagedPassword or
	// GeneratedPassword. Only a generated secret holds the endpoint, which
	// AWS DMS needs to log in with it.
	MasterPassword  string
	SecurityGroupID pulumi.StringOutput
	// InstanceIdentifier is the primary's DBInstanceIdentifier (the
	// CloudWatch dimension); ReplicaIdentifiers the replicas'.
	InstanceIdentifier   pulumi.StringOutput
	InstanceARN          pulumi.StringOutput
	ReplicaIdentifiers   pulumi.StringArrayOutput
	ReplicaAddresses     pulumi.StringArrayOutput
	ParameterGroupName   pulumi.StringOutput
	SubnetGroupName      pulumi.StringOutput
	Engine               string
	EngineVersion        string
	ParameterGroupFamily string
}

var (
	identRe   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	classRe   = regexp.MustCompile(`^db\.[a-z0-9]+\.[a-z0-9]+$`)
	versionRe = regexp.MustCompile(`^[0-9]+(\.[0-9]+){0,2}$`)
)

// ParameterGroupFamily returns the RDS family of an engine version:
// mysql8.0 for "8.0.35", postgres16 for "16.4".
func ParameterGroupFamily(engine, version string) string {
	parts := strings.Split(version, ".")
	if engine == "mysql" && len(parts) >= 2 {
		return "mysql" + parts[0] + "." + parts[1]
	}
	return engine + parts[0]
}

// ReplicationParameters are the parameter group settings that let DMS (or
// any binlog/logical-decoding reader) replicate changes out of the database.
func ReplicationParameters(engine string) map[string]string {
	switch engine {
	case "mysql":
		// Row-based binlog with full images is what DMS CDC reads. The binlog
		// retention itself is not a parameter on RDS: see BinlogRetentionSQL.
		return map[string]string{"binlog_format": "ROW", "binlog_row_image": "FULL"}
	case "postgres":
		return map[string]string{"rds.logical_replication": "1"}
	}
	return nil
}

// BinlogRetentionSQL is the statement that keeps MySQL binlogs on RDS for
// the given hours (RDS purges them as soon as it can otherwise, which breaks
// CDC after any pause). RDS offers no parameter for it; run it once as the
// master user, e.g. from the migration component.
func BinlogRetentionSQL(hours int) string {
	return fmt.Sprintf("CALL mysql.rds_set_configuration('binlog retention hours', %d);", hours)
}

// component is how errors name the component: `database "<name>": ...`.
const component = "database"

func (args *DatabaseArgs) validate(name string) (DatabaseArgs, error) {
	if args == nil {
		return DatabaseArgs{}, problem.Errorf(component, name, "args are required")
	}
	a := args.WithDefaults()
	probs := problem.List{Component: component, Instance: name}
	bad := probs.Add
	eng, ok := Engines[a.Engine]
	if !ok {
		bad("Engine", "unknown engine %q, expected mysql or postgres", a.Engine)
	}
	if ok && !versionRe.MatchString(a.EngineVersion) {
		bad("EngineVersion", "expected a version such as %s, got %q", eng.DefaultVersion, a.EngineVersion)
	}
	if !classRe.MatchString(a.InstanceClass) {
		bad("InstanceClass", "expected an RDS instance class such as db.m6i.large, got %q", a.InstanceClass)
	}
	if a.AllocatedStorageGB < 20 || a.AllocatedStorageGB > 16384 {
		bad("AllocatedStorageGB", "expected 20 to 16384 GiB, got %d", a.AllocatedStorageGB)
	}
	if !identRe.MatchString(a.DBName) || len(a.DBName) > 63 {
		bad("DBName", "expected a letter then letters, digits or _, at most 63 characters, got %q", a.DBName)
	}
	maxUser := 16
	if a.Engine == "postgres" {
		maxUser = 63
	}
	switch {
	case !identRe.MatchString(a.Username) || len(a.Username) > maxUser:
		bad("Username", "expected a letter then letters, digits or _, at most %d characters, got %q", maxUser, a.Username)
	case strings.HasPrefix(strings.ToLower(a.Username), "rds") || strings.EqualFold(a.Username, "postgres") && a.Engine == "postgres":
		bad("Username", "%q is reserved by RDS", a.Username)
	}
	if a.ReadReplicas < 0 || a.ReadReplicas > MaxReadReplicas {
		bad("ReadReplicas", "expected 0 to %d, got %d", MaxReadReplicas, a.ReadReplicas)
	}
	switch a.MasterPassword {
	case ManagedPassword:
		if a.ReadReplicas > 0 {
			bad("MasterPassword", "RDS creates no read replica of an instance whose master password it manages (RDS User Guide, Limitations for Secrets Manager integration with Amazon RDS): use %q with read replicas", GeneratedPassword)
		}
	case GeneratedPassword:
	default:
		bad("MasterPassword", "expected %q or %q, got %q", ManagedPassword, GeneratedPassword, a.MasterPassword)
	}
	if a.BackupRetentionDays < 1 || a.BackupRetentionDays > 35 {
		bad("BackupRetentionDays", "expected 1 to 35 days (binlog replication and read replicas need backups), got %d", a.BackupRetentionDays)
	}
	a.placement().Check(bad)
	return a, probs.Err()
}

func (a *DatabaseArgs) placement() datatier.Placement {
	return datatier.Placement{SubnetIDs: a.SubnetIDs, VpcID: a.VpcID, AllowedSecurityGroupIDs: a.AllowedSecurityGroupIDs}
}

// NewDatabase builds the database. Invalid args return an error naming
// every bad field and register nothing.
func NewDatabase(ctx *pulumi.Context, name string, args *DatabaseArgs, opts ...pulumi.ResourceOption) (*Database, error) {
	a, err := args.validate(name)
	if err != nil {
		return nil, err
	}
	if a.ResourceName == "" {
		a.ResourceName = name
	}
	eng := Engines[a.Engine]
	d := &Database{
		MasterPassword:       a.MasterPassword,
		Engine:               a.Engine,
		EngineVersion:        a.EngineVersion,
		ParameterGroupFamily: ParameterGroupFamily(a.Engine, a.EngineVersion),
	}
	if err := ctx.RegisterComponentResource(TypeToken, name, d, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(d)
	tags := datatier.Tags(a.Tags)
	stateful := datatier.StatefulOptions(parent, a.Production)

	sg, subnets, err := newSecurityAndSubnetGroups(ctx, name, &a, tags, parent)
	if err != nil {
		return nil, err
	}
	pg, err := newParameterGroup(ctx, name, a.Engine, d.ParameterGroupFamily, tags, parent)
	if err != nil {
		return nil, err
	}
	shared := sharedInstanceSettings{a: &a, parameterGroup: pg, securityGroup: sg, tags: tags}
	primary, masterSecretARN, err := newPrimary(ctx, name, &a, shared, subnets, stateful)
	if err != nil {
		return nil, err
	}
	replicaIDs, replicaAddrs, err := newReadReplicas(ctx, name, a.ReadReplicas, shared, primary, parent)
	if err != nil {
		return nil, err
	}

	d.Endpoint = primary.Endpoint
	d.Address = primary.Address
	d.Port = primary.Port
	d.MasterSecretARN = masterSecretARN
	d.SecurityGroupID = sg.ID().ToStringOutput()
	d.name, d.sg, d.inline, d.port = name, sg, a.AllowedSecurityGroupIDs != nil, eng.Port
	d.InstanceIdentifier = primary.Identifier
	d.InstanceARN = primary.Arn
	d.ReplicaIdentifiers = replicaIDs.ToStringArrayOutput()
	d.ReplicaAddresses = replicaAddrs.ToStringArrayOutput()
	d.ParameterGroupName = pg.Name
	d.SubnetGroupName = subnets.Name
	if err := d.registerOutputs(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// newSecurityAndSubnetGroups creates the security group, which admits only
// AllowedSecurityGroupIDs on the engine port, and the subnet group of the
// data subnets.
func newSecurityAndSubnetGroups(ctx *pulumi.Context, name string, a *DatabaseArgs, tags pulumi.StringMap, parent pulumi.ResourceOption) (*ec2.SecurityGroup, *rds.SubnetGroup, error) {
	sg, err := datatier.NewSecurityGroup(ctx, name, a.Engine, Engines[a.Engine].Port, a.placement(), tags, parent)
	if err != nil {
		return nil, nil, err
	}
	subnets, err := rds.NewSubnetGroup(ctx, name, &rds.SubnetGroupArgs{
		SubnetIds:   a.SubnetIDs,
		Description: pulumi.String(name + " data subnets"),
		Tags:        tags,
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	return sg, subnets, nil
}

// newParameterGroup creates the parameter group with the settings that
// change-data-capture needs (ReplicationParameters).
func newParameterGroup(ctx *pulumi.Context, name, engine, family string, tags pulumi.StringMap, parent pulumi.ResourceOption) (*rds.ParameterGroup, error) {
	var params rds.ParameterGroupParameterArray
	for _, k := range slices.Sorted(maps.Keys(ReplicationParameters(engine))) {
		method := "immediate"
		if engine == "postgres" {
			method = "pending-reboot" // rds.logical_replication is static
		}
		params = append(params, rds.ParameterGroupParameterArgs{
			Name: pulumi.String(k), Value: pulumi.String(ReplicationParameters(engine)[k]), ApplyMethod: pulumi.String(method),
		})
	}
	return rds.NewParameterGroup(ctx, name, &rds.ParameterGroupArgs{
		Family:      pulumi.String(family),
		Description: pulumi.String(name + ": change-data-capture settings for replication"),
		Parameters:  params,
		Tags:        tags,
	}, parent)
}

// sharedInstanceSettings are what the primary and its read replicas have in
// common.
type sharedInstanceSettings struct {
	a              *DatabaseArgs
	parameterGroup *rds.ParameterGroup
	securityGroup  *ec2.SecurityGroup
	tags           pulumi.StringMap
}

// fill sets the shared settings on args and returns args.
func (s sharedInstanceSettings) fill(args *rds.InstanceArgs) *rds.InstanceArgs {
	args.InstanceClass = pulumi.String(s.a.InstanceClass)
	args.StorageEncrypted = pulumi.Bool(true)
	args.StorageType = pulumi.String("gp3")
	args.ParameterGroupName = s.parameterGroup.Name
	args.VpcSecurityGroupIds = pulumi.StringArray{s.securityGroup.ID()}
	args.PubliclyAccessible = pulumi.Bool(false)
	args.PerformanceInsightsEnabled = pulumi.Bool(true)
	args.PerformanceInsightsRetentionPeriod = pulumi.Int(7) // the free tier of retention
	args.EnabledCloudwatchLogsExports = pulumi.ToStringArray(Engines[s.a.Engine].LogExports)
	args.AutoMinorVersionUpgrade = pulumi.Bool(true)
	args.CopyTagsToSnapshot = pulumi.Bool(true)
	args.DeletionProtection = pulumi.Bool(s.a.Production)
	args.Tags = s.tags
	return args
}

// newPrimary creates the Multi-AZ primary instance with its master
// password: managed by RDS, or generated before the instance and kept with
// its endpoint in a secret after it (GeneratedPassword). It returns the
// primary and the ARN of the master secret.
func newPrimary(ctx *pulumi.Context, name string, a *DatabaseArgs, shared sharedInstanceSettings, subnets *rds.SubnetGroup, stateful []pulumi.ResourceOption) (*rds.Instance, pulumi.StringOutput, error) {
	primaryArgs := shared.fill(&rds.InstanceArgs{
		Engine:                pulumi.String(a.Engine),
		EngineVersion:         pulumi.String(a.EngineVersion),
		AllocatedStorage:      pulumi.Int(a.AllocatedStorageGB),
		MaxAllocatedStorage:   pulumi.Int(4 * a.AllocatedStorageGB),
		DbName:                pulumi.String(a.DBName),
		Username:              pulumi.String(a.Username),
		MultiAz:               pulumi.Bool(true),
		DbSubnetGroupName:     subnets.Name,
		Port:                  pulumi.Int(Engines[a.Engine].Port),
		BackupRetentionPeriod: pulumi.Int(a.BackupRetentionDays),
		SkipFinalSnapshot:     pulumi.Bool(!a.Production),
	})
	if a.Production {
		primaryArgs.FinalSnapshotIdentifier = pulumi.String(FinalSnapshotIdentifier(a.ResourceName))
	}
	var password pulumi.StringOutput
	if a.MasterPassword == GeneratedPassword {
		var err error
		if password, err = datatier.RandomSecret(ctx, name+"-master", PasswordLength, PasswordSpecial, stateful...); err != nil {
			return nil, pulumi.StringOutput{}, err
		}
		primaryArgs.Password = password
	} else {
		primaryArgs.ManageMasterUserPassword = pulumi.Bool(true)
	}
	primary, err := rds.NewInstance(ctx, name, primaryArgs, stateful...)
	if err != nil {
		return nil, pulumi.StringOutput{}, err
	}
	if a.MasterPassword == GeneratedPassword {
		arn, err := masterSecret(ctx, name, a, primary, password, shared.tags, stateful)
		if err != nil {
			return nil, pulumi.StringOutput{}, err
		}
		return primary, arn, nil
	}
	// RDS lists the secret it keeps; an empty list (a provider or mock that
	// returns none) is an error of the run, not an index out of range.
	arn := primary.MasterUserSecrets.ApplyT(func(secrets []rds.InstanceMasterUserSecret) (string, error) {
		if len(secrets) == 0 || secrets[0].SecretArn == nil {
			return "", problem.Errorf(component, name, "RDS returned no master user secret (masterUserSecrets is empty) for the managed password")
		}
		return *secrets[0].SecretArn, nil
	}).(pulumi.StringOutput)
	return primary, arn, nil
}

// newReadReplicas creates count read replicas of primary and returns their
// identifiers and addresses.
func newReadReplicas(ctx *pulumi.Context, name string, count int, shared sharedInstanceSettings, primary *rds.Instance, parent pulumi.ResourceOption) (ids, addresses pulumi.StringArray, err error) {
	for i := 1; i <= count; i++ {
		// Replicas copy the primary; they hold no data of their own, so they
		// skip the final snapshot and stay unprotected (scaling them down is
		// routine). Backups on a replica are off: the primary has them.
		replicaArgs := shared.fill(&rds.InstanceArgs{
			ReplicateSourceDb: primary.Identifier,
			SkipFinalSnapshot: pulumi.Bool(true),
			MultiAz:           pulumi.Bool(false),
		})
		replicaArgs.DeletionProtection = pulumi.Bool(false)
		r, err := rds.NewInstance(ctx, fmt.Sprintf("%s-replica-%d", name, i), replicaArgs, parent)
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, r.Identifier)
		addresses = append(addresses, r.Address)
	}
	return ids, addresses, nil
}

// registerOutputs registers the component's outputs with Pulumi.
func (d *Database) registerOutputs(ctx *pulumi.Context) error {
	return ctx.RegisterResourceOutputs(d, pulumi.Map{
		"endpoint":           d.Endpoint,
		"address":            d.Address,
		"port":               d.Port,
		"masterSecretArn":    d.MasterSecretARN,
		"securityGroupId":    d.SecurityGroupID,
		"instanceIdentifier": d.InstanceIdentifier,
		"replicaIdentifiers": d.ReplicaIdentifiers,
		"parameterGroupName": d.ParameterGroupName,
	})
}

// Admit lets the security group source reach the engine port with a rule
// of its own (<name>-from-<from>): for a tier built after the database,
// such as the WAS tier, which needs the database's endpoint first, or DMS.
// Only for a database built without AllowedSecurityGroupIDs.
func (d *Database) Admit(ctx *pulumi.Context, from string, source pulumi.StringInput) error {
	if _, err := datatier.Admit(ctx, d.name, from, d.Engine, d.port, d.sg, d.inline, source, pulumi.Parent(d)); err != nil {
		return problem.Errorf(component, d.name, "admit %s: %w", from, err)
	}
	return nil
}

// MasterSecretKeys are the keys of a generated master secret: what AWS DMS
// reads from a secret ("Using secrets to access AWS Database Migration
// Service endpoints") and the RDS rotation functions expect.
var MasterSecretKeys = []string{"username", "password", "engine", "host", "port", "dbname"}

// masterSecret keeps a generated master password in a Secrets Manager
// secret with the primary's endpoint, and returns the secret's ARN.
func masterSecret(ctx *pulumi.Context, name string, a *DatabaseArgs, primary *rds.Instance, password pulumi.StringOutput, tags pulumi.StringMap, opts []pulumi.ResourceOption) (pulumi.StringOutput, error) {
	secret, err := secretsmanager.NewSecret(ctx, name+"-master", &secretsmanager.SecretArgs{
		Description: pulumi.String("Master user of the RDS instance " + name + ": " + strings.Join(MasterSecretKeys, ", ")),
		Tags:        tags,
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	value := pulumi.All(password, primary.Address, primary.Port).ApplyT(func(v []any) (string, error) {
		b, err := json.Marshal(map[string]any{
			"username": a.Username, "password": v[0].(string), "engine": a.Engine,
			"host": v[1].(string), "port": v[2].(int), "dbname": a.DBName,
		})
		return string(b), err
	}).(pulumi.StringOutput)
	if _, err := secretsmanager.NewSecretVersion(ctx, name+"-master", &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: pulumi.ToSecret(value).(pulumi.StringOutput),
	}, opts...); err != nil {
		return pulumi.StringOutput{}, err
	}
	return secret.Arn, nil
}

// FinalSnapshotIdentifier is the snapshot RDS takes when the production
// instance is deleted: the component name made a valid identifier (letters,
// digits, single hyphens, starting with a letter) plus "-final".
func FinalSnapshotIdentifier(name string) string {
	return datatier.FinalSnapshotIdentifier("db", name)
}
