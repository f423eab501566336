package alarms

import (
	"fmt"
	"net/mail"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// LoadBalancer is one ALB and its target group.
type LoadBalancer struct {
	// Label names the alarms ("public", "internal").
	Label string
	// ARNSuffix is the LoadBalancer dimension ("app/NAME/ID"),
	// TargetGroupARNSuffix the TargetGroup dimension ("targetgroup/NAME/ID").
	ARNSuffix            pulumi.StringInput
	TargetGroupARNSuffix pulumi.StringInput
}

// AutoScalingGroup is one group whose in-service count must not drop below
// MinInService. The group must collect GroupInServiceInstances (webtier
// turns group metrics on).
type AutoScalingGroup struct {
	Label        string
	Name         pulumi.StringInput
	MinInService int
}

// Database is an RDS primary and its read replicas.
type Database struct {
	InstanceIdentifier pulumi.StringInput
	ReplicaIdentifiers []pulumi.StringInput
}

// Cache is an ElastiCache replication group's member clusters (nodes).
type Cache struct {
	MemberClusterIDs []pulumi.StringInput
}

// Migration is a DMS task: ReplicationInstanceID is the instance's
// identifier, TaskResourceID the last part of the task ARN (the metric
// dimension), TaskARN the task for the state-change rule.
type Migration struct {
	ReplicationInstanceID pulumi.StringInput
	TaskResourceID        pulumi.StringInput
	TaskARN               pulumi.StringInput
}

// ProtectedResource is a Shield Advanced protected resource. Global is true
// for CloudFront distributions, whose metrics are in us-east-1.
type ProtectedResource struct {
	Label  string
	ARN    pulumi.StringInput
	Global bool
}

// Thresholds tune the alarms; zero values take the defaults of
// DefaultThresholds.
type Thresholds struct {
	ELB5xxPerMinute            float64
	Target5xxPerMinute         float64
	DBCPUPercent               float64
	DBFreeStorageBytes         float64
	DBReplicaLagSeconds        float64
	CacheCPUPercent            float64
	CacheEngineCPUPercent      float64
	CacheEvictionsPer5Min      float64
	CacheReplicationLagSeconds float64
	// CDCLatencySeconds applies to both CDCLatencySource and
	// CDCLatencyTarget.
	CDCLatencySeconds float64
}

// DefaultThresholds are the thresholds used for zero fields.
var DefaultThresholds = Thresholds{
	ELB5xxPerMinute:            10,
	Target5xxPerMinute:         10,
	DBCPUPercent:               80,
	DBFreeStorageBytes:         10 << 30,
	DBReplicaLagSeconds:        60,
	CacheCPUPercent:            90,
	CacheEngineCPUPercent:      80,
	CacheEvictionsPer5Min:      100,
	CacheReplicationLagSeconds: 30,
	CDCLatencySeconds:          300,
}

func (t Thresholds) withDefaults() Thresholds {
	d := DefaultThresholds
	for _, f := range []struct{ v, def *float64 }{
		{&t.ELB5xxPerMinute, &d.ELB5xxPerMinute}, {&t.Target5xxPerMinute, &d.Target5xxPerMinute},
		{&t.DBCPUPercent, &d.DBCPUPercent}, {&t.DBFreeStorageBytes, &d.DBFreeStorageBytes},
		{&t.DBReplicaLagSeconds, &d.DBReplicaLagSeconds}, {&t.CacheCPUPercent, &d.CacheCPUPercent},
		{&t.CacheEngineCPUPercent, &d.CacheEngineCPUPercent}, {&t.CacheEvictionsPer5Min, &d.CacheEvictionsPer5Min},
		{&t.CacheReplicationLagSeconds, &d.CacheReplicationLagSeconds}, {&t.CDCLatencySeconds, &d.CDCLatencySeconds},
	} {
		if *f.v == 0 {
			*f.v = *f.def
		}
	}
	return t
}

// AlarmsArgs describe what to watch. Every part is optional: the topic
// alone is a valid component.
type AlarmsArgs struct {
	// Email subscribes an address to the topic(s); the subscription stays
	// pending until the address confirms it.
	Email             string
	LoadBalancers     []LoadBalancer
	AutoScalingGroups []AutoScalingGroup
	Database          *Database
	Cache             *Cache
	Migration         *Migration
	// Protected are Shield Advanced resources; leave empty without Shield.
	Protected []ProtectedResource
	// USEast1 is a us-east-1 provider, required for Global protected
	// resources; USEast1TopicARN a topic there, created when nil.
	USEast1         *aws.Provider
	USEast1TopicARN pulumi.StringInput
	Thresholds      Thresholds
	Tags            map[string]string
}

var labelRe = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)

// Validate reports every problem of args for alarms called name (the name
// NewAlarms will get), as NewAlarms would, without registering anything.
func (args *AlarmsArgs) Validate(name string) error {
	_, err := args.validate(name)
	return err
}

// component is how errors name the component: `alarms "<name>": ...`.
const component = "alarms"

func (args *AlarmsArgs) validate(name string) (AlarmsArgs, error) {
	if args == nil {
		return AlarmsArgs{}, problem.Errorf(component, name, "args are required")
	}
	a := *args
	probs := problem.List{Component: component, Instance: name}
	bad := probs.Add
	if a.Email != "" {
		if addr, err := mail.ParseAddress(a.Email); err != nil || addr.Address != a.Email {
			bad("Email", "not an email address: %q", a.Email)
		}
	}
	// Labels are unique within each list: they name the alarms.
	label := func(labels map[string]string, field, l string) {
		if !labelRe.MatchString(l) {
			bad(field, "expected a short lower-case name (letters, digits, -), got %q", l)
		} else if prev, dup := labels[l]; dup {
			bad(field, "%q is already the label of %s", l, prev)
		} else {
			labels[l] = field
		}
	}
	lbLabels, asgLabels, protLabels := map[string]string{}, map[string]string{}, map[string]string{}
	for i, lb := range a.LoadBalancers {
		f := fmt.Sprintf("LoadBalancers[%d]", i)
		label(lbLabels, f+".Label", lb.Label)
		if lb.ARNSuffix == nil {
			bad(f+".ARNSuffix", "required: the LoadBalancer dimension (app/NAME/ID)")
		}
		if lb.TargetGroupARNSuffix == nil {
			bad(f+".TargetGroupARNSuffix", "required: the TargetGroup dimension (targetgroup/NAME/ID)")
		}
	}
	for i, g := range a.AutoScalingGroups {
		f := fmt.Sprintf("AutoScalingGroups[%d]", i)
		label(asgLabels, f+".Label", g.Label)
		if g.Name == nil {
			bad(f+".Name", "required")
		}
		if g.MinInService < 1 {
			bad(f+".MinInService", "expected at least 1, got %d", g.MinInService)
		}
	}
	if d := a.Database; d != nil {
		if d.InstanceIdentifier == nil {
			bad("Database.InstanceIdentifier", "required")
		}
		for i, r := range d.ReplicaIdentifiers {
			if r == nil {
				bad(fmt.Sprintf("Database.ReplicaIdentifiers[%d]", i), "is nil")
			}
		}
	}
	if c := a.Cache; c != nil {
		if len(c.MemberClusterIDs) == 0 {
			bad("Cache.MemberClusterIDs", "required: the replication group's member clusters")
		}
		for i, id := range c.MemberClusterIDs {
			if id == nil {
				bad(fmt.Sprintf("Cache.MemberClusterIDs[%d]", i), "is nil")
			}
		}
	}
	if m := a.Migration; m != nil {
		if m.ReplicationInstanceID == nil {
			bad("Migration.ReplicationInstanceID", "required")
		}
		if m.TaskResourceID == nil {
			bad("Migration.TaskResourceID", "required: the last part of the task ARN")
		}
		if m.TaskARN == nil {
			bad("Migration.TaskARN", "required")
		}
	}
	global := false
	for i, p := range a.Protected {
		f := fmt.Sprintf("Protected[%d]", i)
		label(protLabels, f+".Label", p.Label)
		if p.ARN == nil {
			bad(f+".ARN", "required")
		}
		global = global || p.Global
	}
	if global && a.USEast1 == nil {
		bad("USEast1", "required: CloudFront's DDoSDetected metric is in us-east-1, and so must its alarm be")
	}
	a.Thresholds = a.Thresholds.withDefaults()
	return a, probs.Err()
}
