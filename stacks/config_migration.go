package stacks

import (
	"strings"

	"github.com/hawebtier/hawebtier/aws/migration"
)

// MigrationConfig is `hawebtier:aws.migration`: DMS from the legacy
// database. It is the migration component's args by their json names
// (source {engine, host, port, username, databaseName, sslMode,
// dnsServers[], dnsDomain}, tables, startTask, createAccountRoles,
// instanceClass, allocatedStorageGb), and two keys of the stack's own. The
// source password comes from the secret config key
// `hawebtier:legacyDbPassword`; the program wires the target.
type MigrationConfig struct {
	migration.MigrationArgs
	// IAMPropagationSeconds is how long to wait after creating IAM roles
	// before DMS uses them (the args' IAMPropagationDelay, in seconds; 0
	// for its default).
	IAMPropagationSeconds int `json:"iamPropagationSeconds"`
	// TargetSecretARN is a Secrets Manager secret (username, password, host,
	// port) of a dedicated DMS user on the target; empty: the database's
	// generated master secret (aws.database.masterPassword generated).
	TargetSecretARN string `json:"targetSecretArn"`
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
