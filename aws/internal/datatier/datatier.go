package datatier

import (
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Placement is where a data tier runs and who may reach it.
type Placement struct {
	// SubnetIDs are the data subnets, in at least two AZs.
	SubnetIDs pulumi.StringArrayInput
	VpcID     pulumi.StringInput
	// AllowedSecurityGroupIDs may reach the tier's port; nothing else may.
	AllowedSecurityGroupIDs pulumi.StringArrayInput
}

// Check reports every missing field through bad, in field order. user
// names the tier for the message on AllowedSecurityGroupIDs, e.g. "the
// cache".
func (p Placement) Check(user string, bad func(field, format string, args ...any)) {
	if p.SubnetIDs == nil {
		bad("SubnetIDs", "required: the data subnets, in at least two AZs")
	}
	if p.VpcID == nil {
		bad("VpcID", "required")
	}
	if p.AllowedSecurityGroupIDs == nil {
		bad("AllowedSecurityGroupIDs", "required: the security groups of the tier that uses %s (the WAS tier)", user)
	}
}

// NewSecurityGroup registers the tier's security group, named name: TCP
// port from p.AllowedSecurityGroupIDs only, described as service (e.g.
// "redis", "mysql"), and no egress rules, since a data tier never opens
// connections.
func NewSecurityGroup(ctx *pulumi.Context, name, service string, port int, p Placement, tags pulumi.StringMap, opts ...pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	return ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
		VpcId:       p.VpcID,
		Description: pulumi.String(name + " " + service + ": only from the allowed tiers"),
		Ingress: ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
			Description:    pulumi.String(service + " from the allowed tiers"),
			Protocol:       pulumi.String("tcp"),
			FromPort:       pulumi.Int(port),
			ToPort:         pulumi.Int(port),
			SecurityGroups: p.AllowedSecurityGroupIDs,
		}},
		Tags: tags,
	}, opts...)
}

// Tags turns plain tags into resource inputs.
func Tags(tags map[string]string) pulumi.StringMap {
	m := pulumi.StringMap{}
	for k, v := range tags {
		m[k] = pulumi.String(v)
	}
	return m
}

// StatefulOptions are the options of resources that hold data: parented,
// and in production protected and retained, so the data outlives a typo
// (Pulumi refuses to delete them and keeps them in AWS if they are removed
// from the program).
func StatefulOptions(parent pulumi.ResourceOption, production bool) []pulumi.ResourceOption {
	opts := []pulumi.ResourceOption{parent}
	if production {
		opts = append(opts, pulumi.Protect(true), pulumi.RetainOnDelete(true))
	}
	return opts
}

var nonAlnum = regexp.MustCompile(`[^a-z0-9]+`)

// FinalSnapshotIdentifier is the snapshot taken when a production tier is
// deleted: name made a valid RDS/ElastiCache identifier (lowercase letters,
// digits and single hyphens, starting with a letter) plus "-final". prefix
// stands in for an empty name and goes before one that does not start with
// a letter.
func FinalSnapshotIdentifier(prefix, name string) string {
	id := strings.Trim(nonAlnum.ReplaceAllString(strings.ToLower(name), "-"), "-")
	switch {
	case id == "":
		id = prefix
	case id[0] < 'a' || id[0] > 'z':
		id = prefix + "-" + id
	}
	return id + "-final"
}
