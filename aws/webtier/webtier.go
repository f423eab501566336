package webtier

import (
	"encoding/base64"
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/components/tomcat"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "hawebtier:aws:WebTier"

// Ports and health checks of the tiers.
const (
	WebPort = 80                     // httpd on the web instances
	AppPort = tomcat.DefaultHTTPPort // Tomcat's HTTP connector on the app instances
	// WebHealthPath is answered by httpd itself; AppHealthPath by the
	// Tomcat webapp (components/tomcat).
	WebHealthPath = roles.DefaultHealthPath
	AppHealthPath = tomcat.HealthPath
	// HealthCheckGracePeriod is how long a new instance may take to boot
	// and run cloud-init before the ASG trusts the ALB's health checks.
	HealthCheckGracePeriod = 300
	// MinHealthyPercentage / MaxHealthyPercentage of an instance refresh:
	// never below the desired capacity, up to half again above it, so a
	// rolling replacement launches new instances before it stops old ones.
	MinHealthyPercentage = 100
	MaxHealthyPercentage = 150
	// IMDSHopLimit 1: the instance metadata token cannot leave the instance
	// (no containers run on these hosts that would need a second hop).
	IMDSHopLimit = 1
	// SSLPolicy is TLS 1.2 and 1.3 only.
	SSLPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
)

// WebTier is a public ALB in front of the WEB Auto Scaling Group and an
// internal ALB in front of the WAS Auto Scaling Group.
type WebTier struct {
	pulumi.ResourceState

	PublicALBDNSName   pulumi.StringOutput
	PublicALBZoneID    pulumi.StringOutput
	PublicALBARN       pulumi.StringOutput
	PublicALBARNSuffix pulumi.StringOutput // CloudWatch LoadBalancer dimension
	// PublicHTTPListenerARN is the port-80 listener (the edge adds its
	// origin-header rule there).
	PublicHTTPListenerARN pulumi.StringOutput
	InternalALBDNSName    pulumi.StringOutput
	InternalALBARN        pulumi.StringOutput
	InternalALBARNSuffix  pulumi.StringOutput

	WebTargetGroupARN       pulumi.StringOutput
	WebTargetGroupARNSuffix pulumi.StringOutput // CloudWatch TargetGroup dimension
	AppTargetGroupARN       pulumi.StringOutput
	AppTargetGroupARNSuffix pulumi.StringOutput

	WebASGName pulumi.StringOutput
	AppASGName pulumi.StringOutput

	PublicALBSecurityGroupID   pulumi.StringOutput
	WebSecurityGroupID         pulumi.StringOutput
	InternalALBSecurityGroupID pulumi.StringOutput
	// WasSecurityGroupID is what the database and cache admit.
	WasSecurityGroupID pulumi.StringOutput

	WebLaunchTemplateID pulumi.StringOutput
	AppLaunchTemplateID pulumi.StringOutput
	WebInstanceRoleName pulumi.StringOutput
	AppInstanceRoleName pulumi.StringOutput
}

// NewWebTier builds both tiers. Invalid args return an error naming every
// bad field and register nothing.
func NewWebTier(ctx *pulumi.Context, name string, args *WebTierArgs, opts ...pulumi.ResourceOption) (*WebTier, error) {
	a, err := args.validate()
	if err != nil {
		return nil, err
	}
	w := &WebTier{}
	if err := ctx.RegisterComponentResource(TypeToken, name, w, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(w)
	tags := func(resName string) pulumi.StringMap {
		m := pulumi.StringMap{"Name": pulumi.String(resName)}
		for k, v := range a.Tags {
			m[k] = pulumi.String(v)
		}
		return m
	}
	region, err := aws.GetRegion(ctx, nil, parent)
	if err != nil {
		return nil, fmt.Errorf("webtier %s: region: %w", name, err)
	}
	partition, err := aws.GetPartition(ctx, nil, parent)
	if err != nil {
		return nil, fmt.Errorf("webtier %s: partition: %w", name, err)
	}

	// Security groups chain: each admits only the tier in front of it.
	// Egress stays open: instances reach SSM, Secrets Manager and package
	// mirrors through NAT, and the ALBs reach their targets.
	publicIngress := func(port int) ec2.SecurityGroupIngressArgs {
		r := ec2.SecurityGroupIngressArgs{
			Description: pulumi.String(fmt.Sprintf("port %d from the internet", port)),
			Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
		}
		if a.PublicIngressPrefixListIDs != nil {
			r.Description = pulumi.String(fmt.Sprintf("port %d from the allowed prefix lists", port))
			r.PrefixListIds = a.PublicIngressPrefixListIDs
		} else {
			r.CidrBlocks = pulumi.StringArray{pulumi.String("0.0.0.0/0")}
		}
		return r
	}
	publicRules := ec2.SecurityGroupIngressArray{publicIngress(80)}
	// CloudFront reaches the ALB over HTTP on one port: a second
	// prefix-list rule would count another ~55 entries against the default
	// 60 rules per security group.
	if a.CertificateARN != "" && !a.OriginFromCloudFront {
		publicRules = append(publicRules, publicIngress(443))
	}
	publicSG, err := newSecurityGroup(ctx, name+"-public-alb", a.VpcID, publicRules, tags, parent)
	if err != nil {
		return nil, err
	}
	webSG, err := newSecurityGroup(ctx, name+"-web", a.VpcID, ec2.SecurityGroupIngressArray{
		fromGroup("httpd from the public ALB", WebPort, publicSG),
	}, tags, parent)
	if err != nil {
		return nil, err
	}
	internalSG, err := newSecurityGroup(ctx, name+"-internal-alb", a.VpcID, ec2.SecurityGroupIngressArray{
		fromGroup("HTTP from the web tier", 80, webSG),
	}, tags, parent)
	if err != nil {
		return nil, err
	}
	wasSG, err := newSecurityGroup(ctx, name+"-was", a.VpcID, ec2.SecurityGroupIngressArray{
		fromGroup("Tomcat from the internal ALB", AppPort, internalSG),
	}, tags, parent)
	if err != nil {
		return nil, err
	}

	// Load balancers and target groups.
	publicALB, err := lb.NewLoadBalancer(ctx, name+"-public", &lb.LoadBalancerArgs{
		LoadBalancerType:        pulumi.String("application"),
		Internal:                pulumi.Bool(false),
		Subnets:                 a.PublicSubnetIDs,
		SecurityGroups:          pulumi.StringArray{publicSG.ID()},
		DropInvalidHeaderFields: pulumi.Bool(true),
		Tags:                    tags(name + "-public"),
	}, parent)
	if err != nil {
		return nil, err
	}
	internalALB, err := lb.NewLoadBalancer(ctx, name+"-internal", &lb.LoadBalancerArgs{
		LoadBalancerType:        pulumi.String("application"),
		Internal:                pulumi.Bool(true),
		Subnets:                 a.AppSubnetIDs,
		SecurityGroups:          pulumi.StringArray{internalSG.ID()},
		DropInvalidHeaderFields: pulumi.Bool(true),
		Tags:                    tags(name + "-internal"),
	}, parent)
	if err != nil {
		return nil, err
	}
	webTG, err := newTargetGroup(ctx, name+"-web", a.VpcID, WebPort, WebHealthPath, tags, parent)
	if err != nil {
		return nil, err
	}
	appTG, err := newTargetGroup(ctx, name+"-app", a.VpcID, AppPort, AppHealthPath, tags, parent)
	if err != nil {
		return nil, err
	}
	httpListener, err := newPublicListeners(ctx, name, a, publicALB, webTG, parent)
	if err != nil {
		return nil, err
	}
	w.PublicHTTPListenerARN = httpListener.Arn
	if _, err := lb.NewListener(ctx, name+"-internal-http", &lb.ListenerArgs{
		LoadBalancerArn: internalALB.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions:  lb.ListenerDefaultActionArray{forward(appTG)},
	}, parent); err != nil {
		return nil, err
	}

	// Instance identities: the web tier reads no secret; the app tier
	// exactly the database's and the cache's.
	webID, err := newInstanceIdentity(ctx, name+"-web", partition.Partition, nil, tags(name+"-web"), parent)
	if err != nil {
		return nil, err
	}
	var secretARNs []pulumi.StringInput
	for _, s := range []pulumi.StringInput{a.DatabaseSecretARN, a.CacheSecretARN} {
		if s != nil {
			secretARNs = append(secretARNs, s)
		}
	}
	appID, err := newInstanceIdentity(ctx, name+"-app", partition.Partition, secretARNs, tags(name+"-app"), parent)
	if err != nil {
		return nil, err
	}

	// User-data: the roles package renders each role's cloud-init from the
	// topology; it needs the internal ALB's DNS name, so it renders once
	// that is known. Only ARNs and endpoints reach it, never secret values.
	webUserData := internalALB.DnsName.ApplyT(func(dns string) (string, error) {
		return renderUserData(roles.Topology{Environment: a.Environment, Connector: a.Connector, AppEndpoint: dns}, roles.Web)
	}).(pulumi.StringOutput)
	appUserData := pulumi.All(internalALB.DnsName, orEmpty(a.DatabaseEndpoint), orEmpty(a.DatabaseSecretARN), orEmpty(a.CacheEndpoint), orEmpty(a.CacheSecretARN)).ApplyT(func(v []any) (string, error) {
		topo := roles.Topology{Environment: a.Environment, Connector: a.Connector, AppEndpoint: v[0].(string)}
		if db := v[1].(string); db != "" {
			topo.AppSecrets = &roles.AppSecrets{
				Region:            region.Name,
				DatabaseEndpoint:  db,
				DatabaseSecretARN: v[2].(string),
				CacheEndpoint:     v[3].(string),
				CacheSecretARN:    v[4].(string),
			}
		}
		return renderUserData(topo, roles.App)
	}).(pulumi.StringOutput)

	web, err := newTier(ctx, tierSpec{
		name: name + "-web", args: a.Web, sg: webSG, id: webID, targetGroup: webTG,
		subnets: a.AppSubnetIDs, userData: webUserData, tags: tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	app, err := newTier(ctx, tierSpec{
		name: name + "-app", args: a.App, sg: wasSG, id: appID, targetGroup: appTG,
		subnets: a.AppSubnetIDs, userData: appUserData, tags: tags,
	}, parent)
	if err != nil {
		return nil, err
	}

	w.PublicALBDNSName = publicALB.DnsName
	w.PublicALBZoneID = publicALB.ZoneId
	w.PublicALBARN = publicALB.Arn
	w.PublicALBARNSuffix = publicALB.ArnSuffix
	w.InternalALBDNSName = internalALB.DnsName
	w.InternalALBARN = internalALB.Arn
	w.InternalALBARNSuffix = internalALB.ArnSuffix
	w.WebTargetGroupARN = webTG.Arn
	w.WebTargetGroupARNSuffix = webTG.ArnSuffix
	w.AppTargetGroupARN = appTG.Arn
	w.AppTargetGroupARNSuffix = appTG.ArnSuffix
	w.WebASGName = web.group.Name
	w.AppASGName = app.group.Name
	w.PublicALBSecurityGroupID = publicSG.ID().ToStringOutput()
	w.WebSecurityGroupID = webSG.ID().ToStringOutput()
	w.InternalALBSecurityGroupID = internalSG.ID().ToStringOutput()
	w.WasSecurityGroupID = wasSG.ID().ToStringOutput()
	w.WebLaunchTemplateID = web.template.ID().ToStringOutput()
	w.AppLaunchTemplateID = app.template.ID().ToStringOutput()
	w.WebInstanceRoleName = webID.role.Name
	w.AppInstanceRoleName = appID.role.Name
	if err := ctx.RegisterResourceOutputs(w, pulumi.Map{
		"publicAlbDnsName":        w.PublicALBDNSName,
		"publicAlbArnSuffix":      w.PublicALBARNSuffix,
		"publicHttpListenerArn":   w.PublicHTTPListenerARN,
		"internalAlbDnsName":      w.InternalALBDNSName,
		"internalAlbArnSuffix":    w.InternalALBARNSuffix,
		"webTargetGroupArnSuffix": w.WebTargetGroupARNSuffix,
		"appTargetGroupArnSuffix": w.AppTargetGroupARNSuffix,
		"webAsgName":              w.WebASGName,
		"appAsgName":              w.AppASGName,
		"wasSecurityGroupId":      w.WasSecurityGroupID,
		"webLaunchTemplateId":     w.WebLaunchTemplateID,
		"appLaunchTemplateId":     w.AppLaunchTemplateID,
	}); err != nil {
		return nil, err
	}
	return w, nil
}

// renderUserData renders a role's cloud-config and base64-encodes it for
// the launch template.
func renderUserData(topo roles.Topology, role string) (string, error) {
	doc, err := roles.UserData(topo, role, 0)
	if err != nil {
		return "", fmt.Errorf("webtier: %s user-data: %w", role, err)
	}
	return base64.StdEncoding.EncodeToString([]byte(doc)), nil
}

func newPublicListeners(ctx *pulumi.Context, name string, a WebTierArgs, alb *lb.LoadBalancer, tg *lb.TargetGroup, parent pulumi.ResourceOption) (*lb.Listener, error) {
	httpAction := forward(tg)
	httpsAction := forward(tg)
	if a.DenyWithoutOriginRule {
		httpAction = denyAction()
		httpsAction = denyAction()
	}
	if a.CertificateARN != "" {
		if _, err := lb.NewListener(ctx, name+"-https", &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn,
			Port:            pulumi.Int(443),
			Protocol:        pulumi.String("HTTPS"),
			CertificateArn:  pulumi.String(a.CertificateARN),
			SslPolicy:       pulumi.String(SSLPolicy),
			DefaultActions:  lb.ListenerDefaultActionArray{httpsAction},
		}, parent); err != nil {
			return nil, err
		}
		// Behind CloudFront over HTTP a redirect would send CloudFront back
		// to port 80 forever; CloudFront itself redirects viewers to HTTPS.
		if !a.OriginFromCloudFront {
			httpAction = lb.ListenerDefaultActionArgs{
				Type: pulumi.String("redirect"),
				Redirect: lb.ListenerDefaultActionRedirectArgs{
					Protocol: pulumi.String("HTTPS"), Port: pulumi.String("443"), StatusCode: pulumi.String("HTTP_301"),
				},
			}
		}
	}
	return lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions:  lb.ListenerDefaultActionArray{httpAction},
	}, parent)
}

// denyAction answers requests that no listener rule admitted.
func denyAction() lb.ListenerDefaultActionArgs {
	return lb.ListenerDefaultActionArgs{
		Type: pulumi.String("fixed-response"),
		FixedResponse: lb.ListenerDefaultActionFixedResponseArgs{
			ContentType: pulumi.String("text/plain"),
			MessageBody: pulumi.String("Forbidden"),
			StatusCode:  pulumi.String("403"),
		},
	}
}

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

func newSecurityGroup(ctx *pulumi.Context, name string, vpc pulumi.StringInput, ingress ec2.SecurityGroupIngressArray, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	return ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
		VpcId:       vpc,
		Description: pulumi.String(name + ": only the tier in front"),
		Ingress:     ingress,
		Egress: ec2.SecurityGroupEgressArray{ec2.SecurityGroupEgressArgs{
			Protocol: pulumi.String("-1"), FromPort: pulumi.Int(0), ToPort: pulumi.Int(0),
			CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}},
		Tags: tags(name),
	}, parent)
}

func fromGroup(desc string, port int, from *ec2.SecurityGroup) ec2.SecurityGroupIngressArgs {
	return ec2.SecurityGroupIngressArgs{
		Description: pulumi.String(desc),
		Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
		SecurityGroups: pulumi.StringArray{from.ID()},
	}
}

func newTargetGroup(ctx *pulumi.Context, name string, vpc pulumi.StringInput, port int, healthPath string, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*lb.TargetGroup, error) {
	return lb.NewTargetGroup(ctx, name, &lb.TargetGroupArgs{
		VpcId:               vpc,
		Port:                pulumi.Int(port),
		Protocol:            pulumi.String("HTTP"),
		TargetType:          pulumi.String("instance"),
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Path:               pulumi.String(healthPath),
			Protocol:           pulumi.String("HTTP"),
			Matcher:            pulumi.String("200"),
			Interval:           pulumi.Int(10),
			Timeout:            pulumi.Int(5),
			HealthyThreshold:   pulumi.Int(2),
			UnhealthyThreshold: pulumi.Int(2),
		},
		Tags: tags(name),
	}, parent)
}

func forward(tg *lb.TargetGroup) lb.ListenerDefaultActionArgs {
	return lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: tg.Arn}
}

func orEmpty(in pulumi.StringInput) pulumi.StringInput {
	if in == nil {
		return pulumi.String("")
	}
	return in
}
