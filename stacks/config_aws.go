package stacks

import (
	"github.com/hawebtier/hawebtier/aws/cache"
	"github.com/hawebtier/hawebtier/aws/database"
	"github.com/hawebtier/hawebtier/aws/network"
	"github.com/hawebtier/hawebtier/aws/webtier"
)

// AWSConfig is `hawebtier:aws`: the cloud target of one environment. Its
// objects are the components' own args where one component takes them
// whole (database, cache, a tier's sizing): the json names on those args
// are the config keys, and each component fills its defaults and checks
// its values (WithDefaults, Validate). The stack adds only its policies:
// the environment picks the NAT layout, web.count and app.count size the
// tiers, a migration picks the database's password mode.
type AWSConfig struct {
	Network  AWSNetworkConfig      `json:"network"`
	Web      webtier.TierArgs      `json:"web"`
	App      webtier.TierArgs      `json:"app"`
	Database database.DatabaseArgs `json:"database"`
	Cache    cache.CacheArgs       `json:"cache"`
	// CertificateARN is an ACM certificate (in the stack's region) for the
	// public ALB's HTTPS listener; empty for HTTP only (e.g. behind CloudFront).
	CertificateARN string           `json:"certificateArn"`
	Edge           *EdgeConfig      `json:"edge"`
	Transit        *TransitConfig   `json:"transit"`
	Migration      *MigrationConfig `json:"migration"`
	Alarms         *AlarmsConfig    `json:"alarms"`
}

// AWSNetworkConfig is the VPC of the environment: network.NetworkArgs,
// but NATGatewayPerAZ may be left unset, and then the environment picks it:
// one NAT gateway per AZ in production, a single shared one elsewhere.
type AWSNetworkConfig struct {
	network.NetworkArgs
	NATGatewayPerAZ *bool `json:"natGatewayPerAz"`
}

// args are the network's args with the environment's NAT layout.
func (n AWSNetworkConfig) args() network.NetworkArgs {
	a := n.NetworkArgs
	if n.NATGatewayPerAZ != nil {
		a.NATGatewayPerAZ = *n.NATGatewayPerAZ
	}
	return a
}

// applyDefaults resolves the stack's policies and then each component's
// own defaults, so the rest of the program reads the values in force.
func (a *AWSConfig) applyDefaults(c *Config) {
	n := &a.Network
	if n.NATGatewayPerAZ == nil {
		perAZ := c.Production()
		n.NATGatewayPerAZ = &perAZ
	}
	n.NetworkArgs = n.args().WithDefaults()
	a.Web.Desired, a.App.Desired = c.Web.Count, c.App.Count
	tiers := webtier.WebTierArgs{Web: a.Web, App: a.App}.WithDefaults()
	a.Web, a.App = tiers.Web, tiers.App
	d := &a.Database
	if d.MasterPassword == "" && a.Migration != nil && a.Migration.TargetSecretARN == "" {
		// DMS logs in with the master secret, which must then hold the
		// endpoint: only a generated one does.
		d.MasterPassword = database.GeneratedPassword
	}
	*d = d.WithDefaults()
	a.Cache = a.Cache.WithDefaults()
}

// validate checks what no single component can: the rules between
// components and the stack's own keys. Every value a component takes is
// checked by the component (preflight).
func (a *AWSConfig) validate(c *Config, ps *problems) {
	if a.Database.MasterPassword == database.ManagedPassword && a.Migration != nil && a.Migration.TargetSecretARN == "" {
		ps.add(key("aws.migration.targetSecretArn"), "required with database.masterPassword %q: the RDS-managed secret holds no host or port, which DMS needs to log in with a secret (AWS DMS User Guide, Using secrets to access AWS Database Migration Service endpoints); or use masterPassword %q", database.ManagedPassword, database.GeneratedPassword)
	}
	if a.Transit != nil {
		a.Transit.validate(c, ps)
	}
	if a.Migration != nil {
		a.Migration.validate(c, ps)
	}
}
