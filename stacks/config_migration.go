package stacks

import (
	"net/netip"
	"strings"
)

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

// MigrationEngines are the source engines the migration accepts.
var MigrationEngines = []string{"mysql", "mariadb", "postgres", "oracle", "sqlserver"}

func (m *MigrationConfig) validate(c *Config, ps *problems) {
	k := func(s string) string { return key("aws.migration." + s) }
	if !oneOf(m.Source.Engine, MigrationEngines) {
		ps.add(k("source.engine"), "unknown engine %q, expected one of %s", m.Source.Engine, fmtList(MigrationEngines))
	}
	requireName(ps, k("source.host"), m.Source.Host, "the legacy database's host, reached over the VPN")
	requireName(ps, k("source.username"), m.Source.Username, "the user DMS connects as")
	requireName(ps, k("source.databaseName"), m.Source.DatabaseName, "the source database name")
	if m.Source.Port < 1 || m.Source.Port > 65535 {
		ps.add(k("source.port"), "expected 1-65535, got %d", m.Source.Port)
	}
	if _, err := netip.ParseAddr(m.Source.Host); err != nil && m.Source.Host != "" && len(m.Source.DNSServers) == 0 {
		ps.add(k("source.dnsServers"), "required when source.host is a name (%q): DMS resolves through the VPC, which sees no on-premises zone; give the on-premises DNS servers (reached over the VPN), or an IP address as source.host", m.Source.Host)
	}
	if len(m.Tables) == 0 {
		ps.add(k("tables"), "need at least one schema.table pattern to migrate")
	}
	for i, t := range m.Tables {
		if !validTablePattern(t) {
			ps.add(k("tables")+"["+itoa(i)+"]", "expected schema.table (%% as wildcard), got %q", t)
		}
	}
	if m.IAMPropagationSeconds < 0 || m.IAMPropagationSeconds > 300 {
		ps.add(k("iamPropagationSeconds"), "expected 0 (default 15) to 300, got %d", m.IAMPropagationSeconds)
	}
	if m.TargetSecretARN != "" && !strings.HasPrefix(m.TargetSecretARN, "arn:aws:secretsmanager:") {
		ps.add(k("targetSecretArn"), "expected a Secrets Manager secret ARN (arn:aws:secretsmanager:...), got %q", m.TargetSecretARN)
	}
	if !c.HasLegacyDBPassword {
		ps.add(key("legacyDbPassword"), "required when aws.migration is set: set it with `pulumi config set --secret hawebtier:legacyDbPassword`")
	}
}

func validTablePattern(s string) bool {
	dot := -1
	for i, r := range s {
		if r == '.' {
			if dot >= 0 {
				return false
			}
			dot = i
		}
	}
	return dot > 0 && dot < len(s)-1
}
