package stacks

import "strings"

// MigrationConfig is `hawebtier:aws.migration`: DMS from the legacy
// database. The source password comes from the secret config key
// `hawebtier:legacyDbPassword`.
type MigrationConfig struct {
	Source MigrationSource `json:"source"`
	// TableMappings is the DMS table-mapping JSON document's rules, as
	// "schema.table" patterns to include ("%" is a wildcard).
	Tables []string `json:"tables"`
	// StartTask starts the replication task after creation (default true).
	StartTask *bool `json:"startTask"`
	// CreateAccountRoles creates the account-wide dms-vpc-role and
	// dms-cloudwatch-logs-role; only one stack per account may.
	CreateAccountRoles bool   `json:"createAccountRoles"`
	InstanceClass      string `json:"instanceClass"`
	// IAMPropagationSeconds is how long to wait after creating IAM roles
	// before DMS uses them (default 15).
	IAMPropagationSeconds int `json:"iamPropagationSeconds"`
	// TargetSecretARN is a Secrets Manager secret (username, password, host,
	// port) of a dedicated DMS user on the target; empty: the database's
	// generated master secret (aws.database.masterPassword generated).
	TargetSecretARN string `json:"targetSecretArn"`
}

// MigrationSource is the legacy database reached over the VPN.
type MigrationSource struct {
	Engine       string `json:"engine"` // mysql, postgres, oracle, sqlserver, mariadb
	Host         string `json:"host"`
	Port         int    `json:"port"`
	Username     string `json:"username"`
	DatabaseName string `json:"databaseName"`
	// DNSServers are the on-premises resolvers that answer for Host
	// (required when Host is a name); DNSDomain is the zone forwarded to
	// them, by default Host without its first label.
	DNSServers []string `json:"dnsServers"`
	DNSDomain  string   `json:"dnsDomain"`
}

// validate checks the stack's own keys of the migration object: the
// target secret it may name instead of the database's, and the operator
// secret it needs. Every value aws/migration takes is checked there
// (preflight).
func (m *MigrationConfig) validate(c *Config, ps *problems) {
	if m.TargetSecretARN != "" && !strings.HasPrefix(m.TargetSecretARN, "arn:aws:secretsmanager:") {
		ps.add(key("aws.migration.targetSecretArn"), "expected a Secrets Manager secret ARN (arn:aws:secretsmanager:...), got %q", m.TargetSecretARN)
	}
	if !c.HasLegacyDBPassword {
		ps.add(key("legacyDbPassword"), "required when aws.migration is set: set it with `pulumi config set --secret hawebtier:legacyDbPassword`")
	}
}
