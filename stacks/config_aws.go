package stacks

import (
	"net/netip"

	"github.com/hawebtier/hawebtier/aws/database"
)

// AWSConfig is `hawebtier:aws`: the cloud target of one environment.
type AWSConfig struct {
	Network  AWSNetworkConfig `json:"network"`
	Web      AWSTierConfig    `json:"web"`
	App      AWSTierConfig    `json:"app"`
	Database DatabaseConfig   `json:"database"`
	Cache    CacheConfig      `json:"cache"`
	// CertificateARN is an ACM certificate (in the stack's region) for the
	// public ALB's HTTPS listener; empty for HTTP only (e.g. behind CloudFront).
	CertificateARN string           `json:"certificateArn"`
	Edge           *EdgeConfig      `json:"edge"`
	Transit        *TransitConfig   `json:"transit"`
	Migration      *MigrationConfig `json:"migration"`
	Alarms         *AlarmsConfig    `json:"alarms"`
}

// AWSNetworkConfig is the VPC of the environment.
type AWSNetworkConfig struct {
	CIDR    string `json:"cidr"`
	AZCount int    `json:"azCount"`
	// NATGatewayPerAZ: one NAT gateway per AZ (default in production) or a
	// single shared one (default elsewhere).
	NATGatewayPerAZ      *bool `json:"natGatewayPerAz"`
	FlowLogRetentionDays int   `json:"flowLogRetentionDays"`
}

// AWSTierConfig sizes an Auto Scaling Group. Desired capacity is the
// top-level web.count / app.count.
type AWSTierConfig struct {
	InstanceType     string  `json:"instanceType"`
	AMI              string  `json:"ami"` // empty: latest Debian 12 from the SSM public parameter
	MinSize          int     `json:"minSize"`
	MaxSize          int     `json:"maxSize"`
	TargetCPUPercent float64 `json:"targetCpuPercent"`
}

// DatabaseConfig is the Multi-AZ RDS database.
type DatabaseConfig struct {
	Engine              string `json:"engine"` // mysql or postgres
	EngineVersion       string `json:"engineVersion"`
	InstanceClass       string `json:"instanceClass"`
	AllocatedStorage    int    `json:"allocatedStorageGb"`
	Name                string `json:"name"`
	Username            string `json:"username"`
	ReadReplicas        int    `json:"readReplicas"`
	BackupRetentionDays int    `json:"backupRetentionDays"`
	// MasterPassword is "managed" (RDS keeps and rotates it) or
	// "generated" (pulumi-random, in a secret with the endpoint). Empty
	// picks generated where managed cannot work: with read replicas (RDS
	// refuses them), or with a migration whose DMS logs in with the master
	// secret (the managed one holds no host or port).
	MasterPassword string `json:"masterPassword"`
}

// CacheConfig is the ElastiCache Redis replication group.
type CacheConfig struct {
	NodeType      string `json:"nodeType"`
	Nodes         int    `json:"nodes"`
	EngineVersion string `json:"engineVersion"`
}

// DatabaseEngines the database accepts.
var DatabaseEngines = []string{"mysql", "postgres"}

func (a *AWSConfig) applyDefaults(c *Config) {
	n := &a.Network
	if n.AZCount == 0 {
		n.AZCount = 3
	}
	if n.NATGatewayPerAZ == nil {
		perAZ := c.Production()
		n.NATGatewayPerAZ = &perAZ
	}
	if n.FlowLogRetentionDays == 0 {
		n.FlowLogRetentionDays = 90
	}
	tier := func(t *AWSTierConfig, count int, itype string) {
		if t.InstanceType == "" {
			t.InstanceType = itype
		}
		if t.MinSize == 0 {
			t.MinSize = count
		}
		if t.MaxSize == 0 {
			t.MaxSize = 2 * count
		}
		if t.TargetCPUPercent == 0 {
			t.TargetCPUPercent = 60
		}
	}
	tier(&a.Web, c.Web.Count, "t3.small")
	tier(&a.App, c.App.Count, "t3.medium")
	d := &a.Database
	if d.Engine == "" {
		d.Engine = "mysql"
	}
	if d.InstanceClass == "" {
		d.InstanceClass = "db.t3.medium"
	}
	if d.AllocatedStorage == 0 {
		d.AllocatedStorage = 50
	}
	if d.Name == "" {
		d.Name = "app"
	}
	if d.Username == "" {
		d.Username = "appadmin"
	}
	if d.MasterPassword == "" {
		d.MasterPassword = database.ManagedPassword
		if d.ReadReplicas > 0 || a.Migration != nil && a.Migration.TargetSecretARN == "" {
			d.MasterPassword = database.GeneratedPassword
		}
	}
	if d.BackupRetentionDays == 0 {
		d.BackupRetentionDays = 7
	}
	if a.Cache.NodeType == "" {
		a.Cache.NodeType = "cache.t3.small"
	}
	if a.Cache.Nodes == 0 {
		a.Cache.Nodes = 2
	}
	if a.Cache.EngineVersion == "" {
		a.Cache.EngineVersion = "7.1"
	}
}

func (a *AWSConfig) validate(c *Config, ps *problems) {
	k := func(s string) string { return key("aws." + s) }
	vpc, ok := parseCIDR(ps, k("network.cidr"), a.Network.CIDR)
	if ok && (vpc.Bits() < 16 || vpc.Bits() > 23) {
		ps.add(k("network.cidr"), "expected a /16 to /23 VPC CIDR (each subnet is 1/32 of the VPC and AWS needs at least a /28), got /%d", vpc.Bits())
	}
	if a.Network.AZCount < 2 {
		ps.add(k("network.azCount"), "need at least 2 availability zones for HA, got %d", a.Network.AZCount)
	}
	if a.Network.AZCount > 6 {
		ps.add(k("network.azCount"), "at most 6 availability zones, got %d", a.Network.AZCount)
	}
	if a.Network.FlowLogRetentionDays < 1 {
		ps.add(k("network.flowLogRetentionDays"), "expected a positive number of days, got %d", a.Network.FlowLogRetentionDays)
	}
	for name, t := range map[string]AWSTierConfig{"web": a.Web, "app": a.App} {
		requireName(ps, k(name+".instanceType"), t.InstanceType, "an EC2 instance type")
		if t.MinSize < 2 {
			ps.add(k(name+".minSize"), "need at least 2 instances for HA (one per AZ), got %d", t.MinSize)
		}
		if t.MaxSize < t.MinSize {
			ps.add(k(name+".maxSize"), "must be at least minSize (%d), got %d", t.MinSize, t.MaxSize)
		}
		if t.TargetCPUPercent <= 0 || t.TargetCPUPercent > 100 {
			ps.add(k(name+".targetCpuPercent"), "expected 1-100, got %v", t.TargetCPUPercent)
		}
	}
	if !oneOf(a.Database.Engine, DatabaseEngines) {
		ps.add(k("database.engine"), "unknown engine %q, expected one of %s", a.Database.Engine, fmtList(DatabaseEngines))
	}
	requireName(ps, k("database.instanceClass"), a.Database.InstanceClass, "an RDS instance class")
	requireName(ps, k("database.name"), a.Database.Name, "the database name")
	requireName(ps, k("database.username"), a.Database.Username, "the master user name")
	if a.Database.AllocatedStorage < 20 {
		ps.add(k("database.allocatedStorageGb"), "need at least 20 GiB, got %d", a.Database.AllocatedStorage)
	}
	if a.Database.ReadReplicas < 0 || a.Database.ReadReplicas > 5 {
		ps.add(k("database.readReplicas"), "expected 0-5, got %d", a.Database.ReadReplicas)
	}
	switch a.Database.MasterPassword {
	case database.ManagedPassword:
		if a.Database.ReadReplicas > 0 {
			ps.add(k("database.masterPassword"), "%q cannot have read replicas: RDS creates no read replica of an instance whose master password it manages (RDS User Guide, Limitations for Secrets Manager integration with Amazon RDS); use %q", database.ManagedPassword, database.GeneratedPassword)
		}
		if a.Migration != nil && a.Migration.TargetSecretARN == "" {
			ps.add(k("migration.targetSecretArn"), "required with database.masterPassword %q: the RDS-managed secret holds no host or port, which DMS needs to log in with a secret (AWS DMS User Guide, Using secrets to access AWS Database Migration Service endpoints); or use masterPassword %q", database.ManagedPassword, database.GeneratedPassword)
		}
	case database.GeneratedPassword:
	default:
		ps.add(k("database.masterPassword"), "expected %q or %q, got %q", database.ManagedPassword, database.GeneratedPassword, a.Database.MasterPassword)
	}
	if a.Database.BackupRetentionDays < 1 || a.Database.BackupRetentionDays > 35 {
		ps.add(k("database.backupRetentionDays"), "expected 1-35 days, got %d", a.Database.BackupRetentionDays)
	}
	if a.Cache.Nodes < 2 {
		ps.add(k("cache.nodes"), "need at least 2 cache nodes for automatic failover, got %d", a.Cache.Nodes)
	}
	requireName(ps, k("cache.nodeType"), a.Cache.NodeType, "an ElastiCache node type")
	if a.Edge != nil {
		a.Edge.validate(c, ps)
	}
	if a.Transit != nil {
		a.Transit.validate(c, vpc, ok, ps)
	}
	if a.Migration != nil {
		a.Migration.validate(c, ps)
	}
	if a.Alarms != nil {
		a.Alarms.validate(c, ps)
	}
}

// parseCIDR parses an IPv4 CIDR in canonical form, reporting problems
// under k.
func parseCIDR(ps *problems, k, v string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(v)
	if err != nil || !p.Addr().Is4() {
		ps.add(k, "expected an IPv4 CIDR such as 10.1.0.0/16, got %q", v)
		return netip.Prefix{}, false
	}
	if p.Masked() != p {
		ps.add(k, "expected the network address %s, got %q", p.Masked(), v)
		return netip.Prefix{}, false
	}
	return p, true
}
