package migration

import (
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "hawebtier:aws:Migration"

// MigrationType is what the task does: copy everything, then replay
// changes until cut-over.
const MigrationType = "full-load-and-cdc"

// Migration is a DMS replication from the legacy database into RDS.
type Migration struct {
	pulumi.ResourceState

	// SecurityGroupID is the replication instance's group: the RDS security
	// group must admit it on the database port.
	SecurityGroupID        pulumi.StringOutput
	ReplicationInstanceARN pulumi.StringOutput
	// ReplicationInstanceID is the ReplicationInstanceIdentifier dimension
	// of the DMS CloudWatch metrics.
	ReplicationInstanceID pulumi.StringOutput
	TaskARN               pulumi.StringOutput
	// TaskResourceID is the last part of the task ARN: the
	// ReplicationTaskIdentifier dimension of the task's CloudWatch metrics
	// (not the task's name).
	TaskResourceID      pulumi.StringOutput
	SourceEndpointARN   pulumi.StringOutput
	TargetEndpointARN   pulumi.StringOutput
	SecretAccessRoleARN pulumi.StringOutput
	// TableMappings is the task's table-mapping document.
	TableMappings string
}

// NewMigration builds the migration. Invalid args return an error naming
// every bad field and register nothing.
func NewMigration(ctx *pulumi.Context, name string, args *MigrationArgs, opts ...pulumi.ResourceOption) (*Migration, error) {
	a, err := args.validate(name)
	if err != nil {
		return nil, err
	}
	if a.ResourceName == "" {
		a.ResourceName = name
	}
	mappings, err := TableMappings(a.Tables)
	if err != nil {
		probs := problem.List{Component: component, Instance: name}
		probs.Include("", err)
		return nil, probs.Err()
	}
	m := &Migration{TableMappings: mappings}
	if err := ctx.RegisterComponentResource(TypeToken, name, m, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(m)
	tags := pulumi.StringMap{}
	for k, v := range a.Tags {
		tags[k] = pulumi.String(v)
	}
	region, partition, err := regionAndPartition(ctx, name, parent)
	if err != nil {
		return nil, err
	}

	r, err := newRoles(ctx, name, partition, region, a, tags, parent)
	if err != nil {
		return nil, err
	}
	afterIAM := pulumi.DependsOn([]pulumi.Resource{r.wait})
	sg, err := newReplicationSecurityGroup(ctx, name, &a, tags, parent)
	if err != nil {
		return nil, err
	}
	secretsEndpoint, err := newSecretsManagerEndpoint(ctx, name, region, &a, tags, parent)
	if err != nil {
		return nil, err
	}
	resolving, err := forwardSourceZone(ctx, name, &a, tags, parent)
	if err != nil {
		return nil, err
	}
	instance, err := newReplicationInstance(ctx, name, &a, sg, tags, parent, afterIAM)
	if err != nil {
		return nil, err
	}
	source, target, err := newEndpoints(ctx, name, &a, r.secretAccess.Arn, tags, parent, afterIAM)
	if err != nil {
		return nil, err
	}
	task, err := newTask(ctx, name, &a, mappings, instance, source, target, tags, parent, pulumi.DependsOn(append(secretsEndpoint, resolving...)))
	if err != nil {
		return nil, err
	}
	if err := m.registerOutputs(ctx, sg, instance, source, target, task, r.secretAccess.Arn); err != nil {
		return nil, err
	}
	return m, nil
}

// regionAndPartition returns the name of the region and the partition the
// component's provider works in.
func regionAndPartition(ctx *pulumi.Context, name string, parent pulumi.ResourceOrInvokeOption) (region, partition string, err error) {
	// Invokes with the component as parent use the provider it was given.
	r, err := aws.GetRegion(ctx, nil, parent)
	if err != nil {
		return "", "", problem.Errorf(component, name, "region: %w", err)
	}
	p, err := aws.GetPartition(ctx, nil, parent)
	if err != nil {
		return "", "", problem.Errorf(component, name, "partition: %w", err)
	}
	return r.Name, p.Partition, nil
}

// newReplicationSecurityGroup is the replication instance's group: it may
// reach only the legacy database, RDS and the AWS APIs.
func newReplicationSecurityGroup(ctx *pulumi.Context, name string, a *MigrationArgs, tags pulumi.StringMap, parent pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	return ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
		VpcId:       a.VpcID,
		Description: pulumi.String(name + " DMS replication: only the legacy database and RDS"),
		// DMS opens every connection; nothing connects to it.
		Egress: ec2.SecurityGroupEgressArray{
			ec2.SecurityGroupEgressArgs{
				Description: pulumi.String("legacy " + a.Source.Engine + " over the VPN"),
				Protocol:    pulumi.String("tcp"),
				FromPort:    pulumi.Int(a.Source.Port),
				ToPort:      pulumi.Int(a.Source.Port),
				CidrBlocks:  pulumi.ToStringArray(a.OnPremCIDRs),
			},
			rdsEgress(a.Target),
			ec2.SecurityGroupEgressArgs{
				// The data subnets have no route out: in practice this
				// reaches only the VPC's interface endpoints (Secrets
				// Manager), whose addresses are not known here.
				Description: pulumi.String("HTTPS to AWS APIs through VPC endpoints"),
				Protocol:    pulumi.String("tcp"),
				FromPort:    pulumi.Int(443),
				ToPort:      pulumi.Int(443),
				CidrBlocks:  pulumi.StringArray{pulumi.String("0.0.0.0/0")},
			},
		},
		Tags: tags,
	}, parent)
}

// newSecretsManagerEndpoint creates the Secrets Manager interface endpoint
// and its security group, unless SkipSecretsManagerEndpoint. It returns the
// resources the task must wait for; none when skipped.
func newSecretsManagerEndpoint(ctx *pulumi.Context, name, region string, a *MigrationArgs, tags pulumi.StringMap, parent pulumi.ResourceOption) ([]pulumi.Resource, error) {
	if a.SkipSecretsManagerEndpoint {
		return nil, nil
	}
	sg, err := ec2.NewSecurityGroup(ctx, name+"-secretsmanager", &ec2.SecurityGroupArgs{
		VpcId: a.VpcID,
		// With private DNS on, secretsmanager.<region>.amazonaws.com
		// resolves to this endpoint for every client in the VPC
		// (CreateVpcEndpoint, PrivateDnsEnabled): the app servers fetch
		// their secrets through it too, so it admits the whole VPC.
		Description: pulumi.String(name + " Secrets Manager endpoint: HTTPS from the VPC"),
		Ingress: ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
			Description: pulumi.String("HTTPS from every client in the VPC (private DNS)"),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(443),
			ToPort:      pulumi.Int(443),
			CidrBlocks:  pulumi.StringArray{pulumi.String(a.VpcCIDR)},
		}},
		Tags: tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	endpoint, err := ec2.NewVpcEndpoint(ctx, name+"-secretsmanager", &ec2.VpcEndpointArgs{
		VpcId:             a.VpcID,
		ServiceName:       pulumi.String("com.amazonaws." + region + ".secretsmanager"),
		VpcEndpointType:   pulumi.String("Interface"),
		SubnetIds:         a.SubnetIDs,
		SecurityGroupIds:  pulumi.StringArray{sg.ID()},
		PrivateDnsEnabled: pulumi.Bool(true),
		Tags:              tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	return []pulumi.Resource{endpoint}, nil
}

// newReplicationInstance creates the replication subnet group in the data
// subnets and the Multi-AZ replication instance in it, behind sg.
func newReplicationInstance(ctx *pulumi.Context, name string, a *MigrationArgs, sg *ec2.SecurityGroup, tags pulumi.StringMap, parent, afterIAM pulumi.ResourceOption) (*dms.ReplicationInstance, error) {
	subnets, err := dms.NewReplicationSubnetGroup(ctx, name, &dms.ReplicationSubnetGroupArgs{
		ReplicationSubnetGroupId:          pulumi.String(Identifier(a.ResourceName, "subnets")),
		ReplicationSubnetGroupDescription: pulumi.String(name + " data subnets"),
		SubnetIds:                         a.SubnetIDs,
		Tags:                              tags,
	}, parent, afterIAM)
	if err != nil {
		return nil, err
	}
	return dms.NewReplicationInstance(ctx, name, &dms.ReplicationInstanceArgs{
		ReplicationInstanceId:    pulumi.String(Identifier(a.ResourceName, "instance")),
		ReplicationInstanceClass: pulumi.String(a.InstanceClass),
		AllocatedStorage:         pulumi.Int(a.AllocatedStorageGB),
		MultiAz:                  pulumi.Bool(true),
		PubliclyAccessible:       pulumi.Bool(false),
		KmsKeyArn:                a.KMSKeyARN,
		ReplicationSubnetGroupId: subnets.ReplicationSubnetGroupId,
		VpcSecurityGroupIds:      pulumi.StringArray{sg.ID()},
		AutoMinorVersionUpgrade:  pulumi.Bool(true),
		ApplyImmediately:         pulumi.Bool(true),
		Tags:                     tags,
	}, parent, afterIAM)
}

// newEndpoints creates the source endpoint for the legacy database and the
// target endpoint, which reads the RDS master secret through the role
// secretAccessRoleARN.
func newEndpoints(ctx *pulumi.Context, name string, a *MigrationArgs, secretAccessRoleARN pulumi.StringOutput, tags pulumi.StringMap, parent, afterIAM pulumi.ResourceOption) (source, target *dms.Endpoint, err error) {
	source, err = dms.NewEndpoint(ctx, name+"-source", &dms.EndpointArgs{
		EndpointId:   pulumi.String(Identifier(a.ResourceName, "source")),
		EndpointType: pulumi.String("source"),
		EngineName:   pulumi.String(SourceEngines[a.Source.Engine]),
		ServerName:   pulumi.String(a.Source.Host),
		Port:         pulumi.Int(a.Source.Port),
		Username:     pulumi.String(a.Source.Username),
		DatabaseName: pulumi.String(a.Source.DatabaseName),
		// Secret even when the caller passed a plain string.
		Password: pulumi.ToSecret(a.Source.Password.ToStringOutput()).(pulumi.StringOutput),
		SslMode:  pulumi.String(a.Source.SSLMode),
		Tags:     tags,
	}, parent)
	if err != nil {
		return nil, nil, err
	}
	targetArgs := &dms.EndpointArgs{
		EndpointId:   pulumi.String(Identifier(a.ResourceName, "target")),
		EndpointType: pulumi.String("target"),
		EngineName:   pulumi.String(TargetEngines[a.Target.Engine]),
		// With a secret, DMS takes user and password from it; server name,
		// port, user and password must then be left out.
		SecretsManagerArn:           a.Target.SecretARN,
		SecretsManagerAccessRoleArn: secretAccessRoleARN,
		SslMode:                     pulumi.String(TargetSSLMode),
		Tags:                        tags,
	}
	if a.Target.DatabaseName != "" {
		targetArgs.DatabaseName = pulumi.String(a.Target.DatabaseName)
	}
	target, err = dms.NewEndpoint(ctx, name+"-target", targetArgs, parent, afterIAM)
	if err != nil {
		return nil, nil, err
	}
	return source, target, nil
}

// newTask creates the full-load-and-CDC replication task with the table
// mappings; it starts unless StartTask is false.
func newTask(ctx *pulumi.Context, name string, a *MigrationArgs, mappings string, instance *dms.ReplicationInstance, source, target *dms.Endpoint, tags pulumi.StringMap, parent, waitFor pulumi.ResourceOption) (*dms.ReplicationTask, error) {
	start := a.StartTask == nil || *a.StartTask
	return dms.NewReplicationTask(ctx, name, &dms.ReplicationTaskArgs{
		ReplicationTaskId:       pulumi.String(Identifier(a.ResourceName, "task")),
		MigrationType:           pulumi.String(MigrationType),
		ReplicationInstanceArn:  instance.ReplicationInstanceArn,
		SourceEndpointArn:       source.EndpointArn,
		TargetEndpointArn:       target.EndpointArn,
		TableMappings:           pulumi.String(mappings),
		ReplicationTaskSettings: pulumi.String(TaskSettings()),
		StartReplicationTask:    pulumi.Bool(start),
		Tags:                    tags,
	}, parent, waitFor)
}

// registerOutputs sets the component's outputs from its resources and
// registers them.
func (m *Migration) registerOutputs(ctx *pulumi.Context, sg *ec2.SecurityGroup, instance *dms.ReplicationInstance, source, target *dms.Endpoint, task *dms.ReplicationTask, secretAccessRoleARN pulumi.StringOutput) error {
	m.SecurityGroupID = sg.ID().ToStringOutput()
	m.ReplicationInstanceARN = instance.ReplicationInstanceArn
	m.ReplicationInstanceID = instance.ReplicationInstanceId
	m.TaskARN = task.ReplicationTaskArn
	m.TaskResourceID = task.ReplicationTaskArn.ApplyT(TaskResourceID).(pulumi.StringOutput)
	m.SourceEndpointARN = source.EndpointArn
	m.TargetEndpointARN = target.EndpointArn
	m.SecretAccessRoleARN = secretAccessRoleARN
	return ctx.RegisterResourceOutputs(m, pulumi.Map{
		"securityGroupId":        m.SecurityGroupID,
		"replicationInstanceArn": m.ReplicationInstanceARN,
		"replicationInstanceId":  m.ReplicationInstanceID,
		"taskArn":                m.TaskARN,
		"taskResourceId":         m.TaskResourceID,
		"sourceEndpointArn":      m.SourceEndpointARN,
		"targetEndpointArn":      m.TargetEndpointARN,
		"secretAccessRoleArn":    m.SecretAccessRoleARN,
	})
}

// TaskResourceID returns the resource id at the end of a DMS task ARN
// (arn:aws:dms:REGION:ACCOUNT:task:ID).
func TaskResourceID(arn string) string {
	return arn[strings.LastIndex(arn, ":")+1:]
}

// rdsEgress lets the replication instance reach RDS: its security group,
// or its subnets when the RDS group refers to ours.
func rdsEgress(t Target) ec2.SecurityGroupEgressArgs {
	r := ec2.SecurityGroupEgressArgs{
		Description: pulumi.String("RDS " + t.Engine),
		Protocol:    pulumi.String("tcp"),
		FromPort:    pulumi.Int(t.Port),
		ToPort:      pulumi.Int(t.Port),
	}
	if t.SecurityGroupID != nil {
		r.SecurityGroups = pulumi.StringArray{t.SecurityGroupID}
	} else {
		r.CidrBlocks = pulumi.ToStringArray(t.CIDRs)
	}
	return r
}
