package webtier

import (
	"encoding/base64"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
	"github.com/hawebtier/hawebtier/components/roles"
)

type tierSpec struct {
	name        string
	args        TierArgs
	sg          *ec2.SecurityGroup
	id          *instanceIdentity
	targetGroup *lb.TargetGroup
	subnets     pulumi.StringArrayInput
	userData    pulumi.StringOutput
	tags        func(string) pulumi.StringMap
}

type tier struct {
	template *ec2.LaunchTemplate
	group    *autoscaling.Group
}

// newTier is a launch template, an Auto Scaling Group across every app
// subnet, and its target-tracking policy.
func newTier(ctx *pulumi.Context, s tierSpec, parent pulumi.ResourceOrInvokeOption) (*tier, error) {
	image := pulumi.String(s.args.AMI).ToStringOutput()
	if s.args.AMI == "" {
		image = ssm.LookupParameterOutput(ctx, ssm.LookupParameterOutputArgs{
			Name: pulumi.String(DebianAMIParameter(Architecture(s.args.InstanceType))),
		}, parent).Value()
	}
	// The instances must not boot before they may read their secrets.
	ltOpts := []pulumi.ResourceOption{parent}
	if s.id.secrets != nil {
		ltOpts = append(ltOpts, pulumi.DependsOn([]pulumi.Resource{s.id.secrets}))
	}
	lt, err := ec2.NewLaunchTemplate(ctx, s.name, &ec2.LaunchTemplateArgs{
		ImageId:              image,
		InstanceType:         pulumi.String(s.args.InstanceType),
		UserData:             s.userData,
		UpdateDefaultVersion: pulumi.Bool(true),
		VpcSecurityGroupIds:  pulumi.StringArray{s.sg.ID()},
		IamInstanceProfile:   ec2.LaunchTemplateIamInstanceProfileArgs{Arn: s.id.profile.Arn},
		MetadataOptions: ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"), // IMDSv2 only
			HttpPutResponseHopLimit: pulumi.Int(IMDSHopLimit),
		},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{ec2.LaunchTemplateBlockDeviceMappingArgs{
			DeviceName: pulumi.String("/dev/xvda"), // the Debian AMIs' root device
			Ebs: ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
				Encrypted:           pulumi.String("true"),
				VolumeType:          pulumi.String("gp3"),
				VolumeSize:          pulumi.Int(s.args.VolumeSizeGB),
				DeleteOnTermination: pulumi.String("true"),
			},
		}},
		Monitoring: ec2.LaunchTemplateMonitoringArgs{Enabled: pulumi.Bool(true)},
		TagSpecifications: ec2.LaunchTemplateTagSpecificationArray{
			ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("instance"), Tags: s.tags(s.name)},
			ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("volume"), Tags: s.tags(s.name)},
		},
		Tags: s.tags(s.name),
	}, ltOpts...)
	if err != nil {
		return nil, err
	}
	group, err := autoscaling.NewGroup(ctx, s.name, &autoscaling.GroupArgs{
		VpcZoneIdentifiers: s.subnets,
		MinSize:            pulumi.Int(s.args.MinSize),
		MaxSize:            pulumi.Int(s.args.MaxSize),
		DesiredCapacity:    pulumi.Int(s.args.Desired),
		// The template's own latest version, not "$Latest": a template
		// change is then a change of the group, which starts the refresh.
		LaunchTemplate: autoscaling.GroupLaunchTemplateArgs{
			Id:      lt.ID(),
			Version: lt.LatestVersion.ApplyT(strconv.Itoa).(pulumi.StringOutput),
		},
		TargetGroupArns:        pulumi.StringArray{s.targetGroup.Arn},
		HealthCheckType:        pulumi.String("ELB"),
		HealthCheckGracePeriod: pulumi.Int(HealthCheckGracePeriod),
		DefaultInstanceWarmup:  pulumi.Int(HealthCheckGracePeriod),
		InstanceRefresh: autoscaling.GroupInstanceRefreshArgs{
			Strategy: pulumi.String("Rolling"),
			Preferences: autoscaling.GroupInstanceRefreshPreferencesArgs{
				MinHealthyPercentage: pulumi.Int(MinHealthyPercentage),
				MaxHealthyPercentage: pulumi.Int(MaxHealthyPercentage),
				AutoRollback:         pulumi.Bool(true),
			},
		},
		EnabledMetrics: pulumi.ToStringArray([]string{
			"GroupDesiredCapacity", "GroupInServiceInstances", "GroupMinSize", "GroupMaxSize", "GroupPendingInstances", "GroupTerminatingInstances",
		}),
		Tags: autoscaling.GroupTagArray{autoscaling.GroupTagArgs{
			Key: pulumi.String("Name"), Value: pulumi.String(s.name), PropagateAtLaunch: pulumi.Bool(true),
		}},
	}, parent, pulumi.IgnoreChanges([]string{"desiredCapacity"})) // owned by scaling after creation
	if err != nil {
		return nil, err
	}
	if _, err := autoscaling.NewPolicy(ctx, s.name+"-cpu", &autoscaling.PolicyArgs{
		AutoscalingGroupName: group.Name,
		PolicyType:           pulumi.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: autoscaling.PolicyTargetTrackingConfigurationArgs{
			PredefinedMetricSpecification: autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("ASGAverageCPUUtilization"),
			},
			TargetValue: pulumi.Float64(s.args.TargetCPUPercent),
		},
	}, parent); err != nil {
		return nil, err
	}
	return &tier{template: lt, group: group}, nil
}

// webUserData is the web role's cloud-init. The roles package renders each
// role's cloud-init from the topology; it needs the internal ALB's DNS
// name, so it renders once that is known. Only ARNs and endpoints reach it,
// never secret values.
func webUserData(name string, a WebTierArgs, internalDNS pulumi.StringOutput) pulumi.StringOutput {
	return internalDNS.ApplyT(func(dns string) (string, error) {
		endpoint, err := appEndpoint(name, dns)
		if err != nil {
			return "", err
		}
		return renderUserData(name, roles.Topology{Environment: a.Environment, Connector: a.Connector, AppEndpoint: endpoint}, roles.Web)
	}).(pulumi.StringOutput)
}

// appUserData is the app role's cloud-init, rendered as webUserData's is;
// with a database it also carries the database's and the cache's endpoints
// and secret ARNs.
func appUserData(name string, a WebTierArgs, region string, internalDNS pulumi.StringOutput) pulumi.StringOutput {
	return pulumi.All(internalDNS, orEmpty(a.DatabaseEndpoint), orEmpty(a.DatabaseSecretARN), orEmpty(a.CacheEndpoint), orEmpty(a.CacheSecretARN)).ApplyT(func(v []any) (string, error) {
		endpoint, err := appEndpoint(name, v[0].(string))
		if err != nil {
			return "", err
		}
		topo := roles.Topology{Environment: a.Environment, Connector: a.Connector, AppEndpoint: endpoint}
		if db := v[1].(string); db != "" {
			topo.AppSecrets = &roles.AppSecrets{
				Region:            region,
				DatabaseEndpoint:  db,
				DatabaseSecretARN: v[2].(string),
				CacheEndpoint:     v[3].(string),
				CacheSecretARN:    v[4].(string),
			}
		}
		return renderUserData(name, topo, roles.App)
	}).(pulumi.StringOutput)
}

// appEndpoint is the internal ALB's DNS name, which both roles' user-data
// name as the app endpoint. AWS always answers one once the ALB exists; an
// empty one comes from a provider or a hand-written mock that did not
// answer it, and naming the output beats the renderer's `domain: ... got ""`.
func appEndpoint(name, dns string) (string, error) {
	if dns == "" {
		return "", problem.Errorf(component, name, "the internal ALB's dnsName output is empty: the web and app user-data name it as the app endpoint (a mock must answer aws:lb/loadBalancer:LoadBalancer with dnsName)")
	}
	return dns, nil
}

// renderUserData renders a role's cloud-config and base64-encodes it for
// the launch template; name is the tier's, for errors.
func renderUserData(name string, topo roles.Topology, role string) (string, error) {
	doc, err := roles.UserData(topo, role, 0)
	if err != nil {
		return "", problem.Errorf(component, name, "%s user-data: %w", role, err)
	}
	return base64.StdEncoding.EncodeToString([]byte(doc)), nil
}

func orEmpty(in pulumi.StringInput) pulumi.StringInput {
	if in == nil {
		return pulumi.String("")
	}
	return in
}
