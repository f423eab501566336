package migration

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// SourceEngines maps the legacy engines the component accepts to their DMS
// engine names.
var SourceEngines = map[string]string{
	"mysql":     "mysql",
	"mariadb":   "mariadb",
	"postgres":  "postgres",
	"oracle":    "oracle",
	"sqlserver": "sqlserver",
}

// TargetEngines maps the RDS engines (aws/database) to DMS engine names.
var TargetEngines = map[string]string{
	"mysql":    "mysql",
	"postgres": "postgres",
}

// Defaults.
const (
	DefaultInstanceClass       = "dms.t3.medium"
	DefaultAllocatedStorageGB  = 50
	DefaultIAMPropagationDelay = 15 * time.Second
	// DefaultSourceSSLMode is "none": the legacy database is reached through
	// the IPsec VPN, which already encrypts the traffic, and legacy servers
	// rarely have certificates DMS would trust.
	DefaultSourceSSLMode = "none"
	// TargetSSLMode encrypts the connection to RDS, which always has TLS.
	TargetSSLMode = "require"
)

// Source is the legacy database DMS reads from, reached over the VPN.
type Source struct {
	// Engine is one of SourceEngines.
	Engine       string `json:"engine"`
	Host         string `json:"host"`
	Port         int    `json:"port"`
	Username     string `json:"username"`
	DatabaseName string `json:"databaseName"`
	// Password is the DMS user's password. Required; it stays a secret in
	// state and previews.
	Password pulumi.StringInput `json:"-"`
	// SSLMode is none, require, verify-ca or verify-full; default none.
	SSLMode string `json:"sslMode"`
	// DNSServers are on-premises resolvers (reached over the VPN, so
	// inside OnPremCIDRs) that answer for Host. Required when Host is a
	// name: DMS resolves through the VPC's resolver, which sees no
	// on-premises zone, and pulumi-aws v6's ReplicationInstance has no
	// custom DNS setting. The component forwards DNSDomain to them with a
	// Route 53 Resolver outbound endpoint and rule.
	DNSServers []string `json:"dnsServers"`
	// DNSDomain is the zone forwarded to DNSServers; default Host without
	// its first label (legacy-db.lab.example.internal: lab.example.internal).
	DNSDomain string `json:"dnsDomain"`
}

// Target is the RDS database DMS writes to.
type Target struct {
	// Engine is "mysql" or "postgres" (the aws/database engine).
	Engine string
	// Port is the RDS port; the replication security group may reach it on
	// TargetSecurityGroupID.
	Port int
	// DatabaseName is the database to write into; required for postgres
	// (DMS writes MySQL tables into the source's schema names).
	DatabaseName string
	// SecretARN is the Secrets Manager secret DMS logs in with: the
	// RDS-managed master secret (database.Database.MasterSecretARN) or a
	// secret of a dedicated DMS user. Required.
	SecretARN pulumi.StringInput
	// SecretKMSKeyARN is the customer-managed KMS key of the secret, if any;
	// nil when the secret uses the AWS-managed aws/secretsmanager key.
	SecretKMSKeyARN pulumi.StringInput
	// SecurityGroupID is the RDS security group. The replication security
	// group may reach it on Port (the RDS group must also admit
	// SecurityGroupID of this component).
	SecurityGroupID pulumi.StringInput
	// CIDRs, instead of SecurityGroupID, are the RDS subnets' networks the
	// replication instance may reach on Port. Use them when the RDS group
	// admits this component's group: a reference both ways between two
	// security groups would be a cycle.
	CIDRs []string
}

// MigrationArgs describe the migration. Plain values shape the graph;
// pulumi inputs wire it to the network and database built elsewhere.
// The json names of MigrationArgs and Source are the keys of a config
// object that holds them (the project's hawebtier:aws.migration); fields
// tagged "-" are wired by the program (the password is secret config of
// its own).
type MigrationArgs struct {
	Source Source `json:"source"`
	Target Target `json:"-"`
	// Tables are "schema.table" patterns to migrate; % is a wildcard
	// ("shop.%" is every table of shop). At least one.
	Tables []string `json:"tables"`
	// StartTask starts the replication task once it is created; nil means
	// true.
	StartTask *bool `json:"startTask"`
	// CreateAccountRoles creates dms-vpc-role and dms-cloudwatch-logs-role.
	// Only one stack per account may: the names are fixed by DMS.
	CreateAccountRoles bool `json:"createAccountRoles"`
	// IAMPropagationDelay is how long to wait after creating roles before
	// DMS uses them; default 15 s.
	IAMPropagationDelay time.Duration `json:"-"`
	// InstanceClass such as dms.t3.medium (the default).
	InstanceClass string `json:"instanceClass"`
	// AllocatedStorageGB holds the instance's logs and cached changes;
	// default 50.
	AllocatedStorageGB int `json:"allocatedStorageGb"`
	// KMSKeyARN encrypts the replication instance's storage; nil uses the
	// AWS-managed aws/dms key (DMS always encrypts storage).
	KMSKeyARN pulumi.StringInput `json:"-"`

	// SubnetIDs are the data subnets, in at least two AZs.
	SubnetIDs pulumi.StringArrayInput `json:"-"`
	VpcID     pulumi.StringInput      `json:"-"`
	// VpcCIDR is the VPC's network. The Secrets Manager endpoint's private
	// DNS name answers for every client in the VPC (the app servers fetch
	// their secrets with it too), so the endpoint admits HTTPS from all of
	// it. Required unless SkipSecretsManagerEndpoint.
	VpcCIDR string `json:"-"`
	// OnPremCIDRs are the legacy networks behind the VPN; the replication
	// instance may reach Source.Port there and nowhere else on premises.
	OnPremCIDRs []string `json:"-"`
	// SkipSecretsManagerEndpoint leaves out the Secrets Manager interface
	// endpoint the isolated data subnets need for DMS to read the target's
	// secret. Set it when the VPC already has one with private DNS (a second
	// one fails).
	SkipSecretsManagerEndpoint bool              `json:"-"`
	Tags                       map[string]string `json:"-"`
	// ResourceName names the DMS objects, whose identifiers are unique in
	// an account and region (Identifier(ResourceName, "instance"), ...).
	// Default: the component's name. Two stacks in one account need
	// different ones; the project's stacks use <project>-<stack>-<component>.
	ResourceName string `json:"-"`
}

var (
	tablePartRe = regexp.MustCompile(`^[A-Za-z0-9_$%]+$`)
	classRe     = regexp.MustCompile(`^dms\.[a-z0-9]+\.[a-z0-9]+$`)
	hostRe      = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$`)
	userRe      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_@.$-]{0,127}$`)
	sslModes    = map[string]bool{"none": true, "require": true, "verify-ca": true, "verify-full": true}
)

// Validate reports every problem of args for a migration called name (the
// name NewMigration will get), as NewMigration would, without registering
// anything.
func (args *MigrationArgs) Validate(name string) error {
	_, err := args.validate(name)
	return err
}

// component is how errors name the component: `migration "<name>": ...`.
const component = "migration"

func (args *MigrationArgs) validate(name string) (MigrationArgs, error) {
	if args == nil {
		return MigrationArgs{}, problem.Errorf(component, name, "args are required")
	}
	a := *args
	probs := problem.List{Component: component, Instance: name}
	bad := probs.Add

	s := &a.Source
	if _, ok := SourceEngines[s.Engine]; !ok {
		bad("Source.Engine", "unknown engine %q, expected one of %s", s.Engine, keys(SourceEngines))
	}
	if !hostRe.MatchString(s.Host) {
		bad("Source.Host", "expected a host name or IP address of the legacy database, got %q", s.Host)
	}
	if s.Port < 1 || s.Port > 65535 {
		bad("Source.Port", "expected 1-65535, got %d", s.Port)
	}
	if !userRe.MatchString(s.Username) {
		bad("Source.Username", "expected the user DMS connects as, got %q", s.Username)
	}
	if s.DatabaseName == "" {
		bad("Source.DatabaseName", "required: the legacy database to read")
	}
	if s.Password == nil {
		bad("Source.Password", "required: the DMS user's password, as a secret (hawebtier:legacyDbPassword)")
	}
	if s.SSLMode == "" {
		s.SSLMode = DefaultSourceSSLMode
	}
	if !sslModes[s.SSLMode] {
		bad("Source.SSLMode", "expected none, require, verify-ca or verify-full, got %q", s.SSLMode)
	}
	checkDNS(&a, bad)

	t := &a.Target
	if _, ok := TargetEngines[t.Engine]; !ok {
		bad("Target.Engine", "unknown engine %q, expected mysql or postgres", t.Engine)
	}
	if t.Port < 1 || t.Port > 65535 {
		bad("Target.Port", "expected 1-65535, got %d", t.Port)
	}
	if t.Engine == "postgres" && t.DatabaseName == "" {
		bad("Target.DatabaseName", "required for a postgres target")
	}
	if t.SecretARN == nil {
		bad("Target.SecretARN", "required: the secret DMS logs in to RDS with (the RDS-managed master secret)")
	}
	if t.SecurityGroupID == nil && len(t.CIDRs) == 0 {
		bad("Target.SecurityGroupID", "required (or Target.CIDRs): the RDS security group the replication instance may reach")
	}

	if len(a.Tables) == 0 {
		bad("Tables", "need at least one schema.table pattern to migrate")
	}
	for i, p := range a.Tables {
		if _, _, err := splitPattern(p); err != nil {
			bad(fmt.Sprintf("Tables[%d]", i), "%v", err)
		}
	}
	if a.IAMPropagationDelay == 0 {
		a.IAMPropagationDelay = DefaultIAMPropagationDelay
	}
	if a.IAMPropagationDelay < time.Second || a.IAMPropagationDelay > 5*time.Minute {
		bad("IAMPropagationDelay", "expected 1s to 5m, got %s", a.IAMPropagationDelay)
	}
	if a.InstanceClass == "" {
		a.InstanceClass = DefaultInstanceClass
	}
	if !classRe.MatchString(a.InstanceClass) {
		bad("InstanceClass", "expected a DMS instance class such as %s, got %q", DefaultInstanceClass, a.InstanceClass)
	}
	if a.AllocatedStorageGB == 0 {
		a.AllocatedStorageGB = DefaultAllocatedStorageGB
	}
	if a.AllocatedStorageGB < 5 || a.AllocatedStorageGB > 6144 {
		bad("AllocatedStorageGB", "expected 5 to 6144 GiB, got %d", a.AllocatedStorageGB)
	}
	if a.SubnetIDs == nil {
		bad("SubnetIDs", "required: the data subnets, in at least two AZs")
	}
	if a.VpcID == nil {
		bad("VpcID", "required")
	}
	if !a.SkipSecretsManagerEndpoint {
		if p, err := netip.ParsePrefix(a.VpcCIDR); err != nil || p.Masked() != p {
			bad("VpcCIDR", "expected the VPC's network such as 10.120.0.0/16 (the Secrets Manager endpoint admits HTTPS from all of it), got %q", a.VpcCIDR)
		}
	}
	if len(a.OnPremCIDRs) == 0 {
		bad("OnPremCIDRs", "required: the networks behind the VPN where the legacy database is")
	}
	for i, c := range a.OnPremCIDRs {
		if p, err := netip.ParsePrefix(c); err != nil || p.Masked() != p {
			bad(fmt.Sprintf("OnPremCIDRs[%d]", i), "expected a network such as 10.20.0.0/16, got %q", c)
		}
	}
	return a, probs.Err()
}

// checkDNS: a source named by host name needs on-premises resolvers the
// VPC can forward its zone to, inside the networks behind the VPN.
func checkDNS(a *MigrationArgs, bad func(field, format string, v ...any)) {
	s := &a.Source
	if _, err := netip.ParseAddr(s.Host); err == nil {
		return
	}
	if len(s.DNSServers) == 0 {
		bad("Source.DNSServers", "required when Source.Host is a name (%q): DMS resolves through the VPC's resolver, which sees no on-premises zone; give the on-premises DNS servers, or an IP address as Host", s.Host)
		return
	}
	if s.DNSDomain == "" {
		if i := strings.IndexByte(s.Host, '.'); i > 0 {
			s.DNSDomain = s.Host[i+1:]
		}
	}
	if !strings.Contains(s.DNSDomain, ".") || !strings.HasSuffix("."+s.Host, "."+s.DNSDomain) {
		bad("Source.DNSDomain", "expected a zone of at least two labels that holds Source.Host %q, got %q", s.Host, s.DNSDomain)
	}
	for i, d := range s.DNSServers {
		ip, err := netip.ParseAddr(d)
		if err != nil || !ip.Is4() {
			bad(fmt.Sprintf("Source.DNSServers[%d]", i), "expected an IPv4 address, got %q", d)
			continue
		}
		reachable := false
		for _, c := range a.OnPremCIDRs {
			if p, err := netip.ParsePrefix(c); err == nil && p.Contains(ip) {
				reachable = true
			}
		}
		if !reachable {
			bad(fmt.Sprintf("Source.DNSServers[%d]", i), "%s is outside OnPremCIDRs %v: the resolver endpoint reaches on-premises servers over the VPN only", d, a.OnPremCIDRs)
		}
	}
	if len(s.DNSServers) > MaxDNSServers {
		bad("Source.DNSServers", "a Route 53 Resolver rule forwards to at most %d addresses, got %d", MaxDNSServers, len(s.DNSServers))
	}
}

// MaxDNSServers is how many target addresses a Route 53 Resolver rule
// takes (Route 53 Developer Guide, Quotas on Route 53 Resolver: target IP
// addresses per rule).
const MaxDNSServers = 6

func keys(m map[string]string) string {
	return fmt.Sprint(slices.Sorted(maps.Keys(m)))
}
