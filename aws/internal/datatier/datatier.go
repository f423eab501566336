package datatier

import (
	"errors"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Placement is where a data tier runs and who may reach it.
type Placement struct {
	// SubnetIDs are the data subnets, in at least two AZs.
	SubnetIDs pulumi.StringArrayInput
	VpcID     pulumi.StringInput
	// AllowedSecurityGroupIDs may reach the tier's port, as rules inside
	// the tier's security group; nothing else may. Leave it nil to admit
	// tiers with Admit instead, one standalone rule each, when they are
	// built after the data tier (the WAS tier needs the data tiers'
	// endpoints first). AWS refuses neither, but the provider cannot mix
	// the two on one group: inline rules would delete the standalone ones.
	AllowedSecurityGroupIDs pulumi.StringArrayInput
}

// Check reports every missing field through bad, in field order.
func (p Placement) Check(bad func(field, format string, args ...any)) {
	if p.SubnetIDs == nil {
		bad("SubnetIDs", "required: the data subnets, in at least two AZs")
	}
	if p.VpcID == nil {
		bad("VpcID", "required")
	}
}

// NewSecurityGroup registers the tier's security group, named name: TCP
// port from p.AllowedSecurityGroupIDs only, described as service (e.g.
// "redis", "mysql"), and no egress rules, since a data tier never opens
// connections.
func NewSecurityGroup(ctx *pulumi.Context, name, service string, port int, p Placement, tags pulumi.StringMap, opts ...pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	args := &ec2.SecurityGroupArgs{
		VpcId:       p.VpcID,
		Description: pulumi.String(name + " " + service + ": only from the allowed tiers"),
		Tags:        tags,
	}
	if p.AllowedSecurityGroupIDs != nil {
		args.Ingress = ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
			Description:    pulumi.String(service + " from the allowed tiers"),
			Protocol:       pulumi.String("tcp"),
			FromPort:       pulumi.Int(port),
			ToPort:         pulumi.Int(port),
			SecurityGroups: p.AllowedSecurityGroupIDs,
		}}
	}
	return ec2.NewSecurityGroup(ctx, name, args, opts...)
}

// RandomSecret generates a secret the stack keeps and nobody types: length
// characters from letters, digits and special (the characters its
// consumer accepts), at least one upper-case letter, lower-case letter and
// digit; marked secret.
func RandomSecret(ctx *pulumi.Context, name string, length int, special string, opts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	pw, err := random.NewRandomPassword(ctx, name, &random.RandomPasswordArgs{
		Length:          pulumi.Int(length),
		Special:         pulumi.Bool(true),
		OverrideSpecial: pulumi.String(special),
		MinUpper:        pulumi.Int(1),
		MinLower:        pulumi.Int(1),
		MinNumeric:      pulumi.Int(1),
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return pulumi.ToSecret(pw.Result).(pulumi.StringOutput), nil
}

// ErrInlineRules is Admit's error for a tier built with
// AllowedSecurityGroupIDs: the provider would delete a standalone rule on
// a group that has inline rules.
var ErrInlineRules = errors.New("the tier was built with AllowedSecurityGroupIDs (inline rules, which would delete a standalone one); pass every group there, or none and Admit each")

// Admit lets the security group source reach the tier's port: one
// standalone rule (aws:vpc/securityGroupIngressRule), named
// <tier>-from-<from>, so tiers built after the data tier compose with it in
// any order.
func Admit(ctx *pulumi.Context, tier, from, service string, port int, sg *ec2.SecurityGroup, inline bool, source pulumi.StringInput, opts ...pulumi.ResourceOption) (*vpc.SecurityGroupIngressRule, error) {
	if inline {
		return nil, ErrInlineRules
	}
	return vpc.NewSecurityGroupIngressRule(ctx, tier+"-from-"+from, &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           sg.ID(),
		Description:               pulumi.String(service + " from " + from),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(port),
		ToPort:                    pulumi.Int(port),
		ReferencedSecurityGroupId: source,
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
