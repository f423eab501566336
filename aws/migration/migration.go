package migration

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
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
	a, err := args.validate()
	if err != nil {
		return nil, err
	}
	if a.ResourceName == "" {
		a.ResourceName = name
	}
	mappings, err := TableMappings(a.Tables)
	if err != nil {
		return nil, err
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
	// Invokes with the component as parent use the provider it was given.
	region, err := aws.GetRegion(ctx, nil, parent)
	if err != nil {
		return nil, fmt.Errorf("migration: region: %w", err)
	}
	partition, err := aws.GetPartition(ctx, nil, parent)
	if err != nil {
		return nil, fmt.Errorf("migration: partition: %w", err)
	}

	r, err := newRoles(ctx, name, partition.Partition, region.Name, a, tags, parent)
	if err != nil {
		return nil, err
	}
	afterIAM := pulumi.DependsOn([]pulumi.Resource{r.wait})

	sg, err := ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
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
	if err != nil {
		return nil, err
	}

	var secretsEndpoint []pulumi.Resource
	if !a.SkipSecretsManagerEndpoint {
		epSG, err := ec2.NewSecurityGroup(ctx, name+"-secretsmanager", &ec2.SecurityGroupArgs{
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
		ep, err := ec2.NewVpcEndpoint(ctx, name+"-secretsmanager", &ec2.VpcEndpointArgs{
			VpcId:             a.VpcID,
			ServiceName:       pulumi.String("com.amazonaws." + region.Name + ".secretsmanager"),
			VpcEndpointType:   pulumi.String("Interface"),
			SubnetIds:         a.SubnetIDs,
			SecurityGroupIds:  pulumi.StringArray{epSG.ID()},
			PrivateDnsEnabled: pulumi.Bool(true),
			Tags:              tags,
		}, parent)
		if err != nil {
			return nil, err
		}
		secretsEndpoint = append(secretsEndpoint, ep)
	}

	resolving, err := forwardSourceZone(ctx, name, &a, tags, parent)
	if err != nil {
		return nil, err
	}

	subnets, err := dms.NewReplicationSubnetGroup(ctx, name, &dms.ReplicationSubnetGroupArgs{
		ReplicationSubnetGroupId:          pulumi.String(Identifier(a.ResourceName, "subnets")),
		ReplicationSubnetGroupDescription: pulumi.String(name + " data subnets"),
		SubnetIds:                         a.SubnetIDs,
		Tags:                              tags,
	}, parent, afterIAM)
	if err != nil {
		return nil, err
	}
	instance, err := dms.NewReplicationInstance(ctx, name, &dms.ReplicationInstanceArgs{
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
	if err != nil {
		return nil, err
	}

	source, err := dms.NewEndpoint(ctx, name+"-source", &dms.EndpointArgs{
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
		return nil, err
	}
	targetArgs := &dms.EndpointArgs{
		EndpointId:   pulumi.String(Identifier(a.ResourceName, "target")),
		EndpointType: pulumi.String("target"),
		EngineName:   pulumi.String(TargetEngines[a.Target.Engine]),
		// With a secret, DMS takes user and password from it; server name,
		// port, user and password must then be left out.
		SecretsManagerArn:           a.Target.SecretARN,
		SecretsManagerAccessRoleArn: r.secretAccess.Arn,
		SslMode:                     pulumi.String(TargetSSLMode),
		Tags:                        tags,
	}
	if a.Target.DatabaseName != "" {
		targetArgs.DatabaseName = pulumi.String(a.Target.DatabaseName)
	}
	target, err := dms.NewEndpoint(ctx, name+"-target", targetArgs, parent, afterIAM)
	if err != nil {
		return nil, err
	}

	start := a.StartTask == nil || *a.StartTask
	task, err := dms.NewReplicationTask(ctx, name, &dms.ReplicationTaskArgs{
		ReplicationTaskId:       pulumi.String(Identifier(a.ResourceName, "task")),
		MigrationType:           pulumi.String(MigrationType),
		ReplicationInstanceArn:  instance.ReplicationInstanceArn,
		SourceEndpointArn:       source.EndpointArn,
		TargetEndpointArn:       target.EndpointArn,
		TableMappings:           pulumi.String(mappings),
		ReplicationTaskSettings: pulumi.String(TaskSettings()),
		StartReplicationTask:    pulumi.Bool(start),
		Tags:                    tags,
	}, parent, pulumi.DependsOn(append(secretsEndpoint, resolving...)))
	if err != nil {
		return nil, err
	}

	m.SecurityGroupID = sg.ID().ToStringOutput()
	m.ReplicationInstanceARN = instance.ReplicationInstanceArn
	m.ReplicationInstanceID = instance.ReplicationInstanceId
	m.TaskARN = task.ReplicationTaskArn
	m.TaskResourceID = task.ReplicationTaskArn.ApplyT(TaskResourceID).(pulumi.StringOutput)
	m.SourceEndpointARN = source.EndpointArn
	m.TargetEndpointARN = target.EndpointArn
	m.SecretAccessRoleARN = r.secretAccess.Arn
	if err := ctx.RegisterResourceOutputs(m, pulumi.Map{
		"securityGroupId":        m.SecurityGroupID,
		"replicationInstanceArn": m.ReplicationInstanceARN,
		"replicationInstanceId":  m.ReplicationInstanceID,
		"taskArn":                m.TaskARN,
		"taskResourceId":         m.TaskResourceID,
		"sourceEndpointArn":      m.SourceEndpointARN,
		"targetEndpointArn":      m.TargetEndpointARN,
		"secretAccessRoleArn":    m.SecretAccessRoleARN,
	}); err != nil {
		return nil, err
	}
	return m, nil
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
