package webtier

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
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
	a, err := args.validate(name)
	if err != nil {
		return nil, err
	}
	w := &WebTier{}
	if err := ctx.RegisterComponentResource(TypeToken, name, w, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(w)
	tags := nameTags(a.Tags)
	region, err := aws.GetRegion(ctx, nil, parent)
	if err != nil {
		return nil, problem.Errorf(component, name, "region: %w", err)
	}
	partition, err := aws.GetPartition(ctx, nil, parent)
	if err != nil {
		return nil, problem.Errorf(component, name, "partition: %w", err)
	}

	sgs, err := newSecurityGroups(ctx, name, a, tags, parent)
	if err != nil {
		return nil, err
	}
	lbs, err := newLoadBalancers(ctx, name, a, sgs, tags, parent)
	if err != nil {
		return nil, err
	}
	webID, appID, err := newInstanceIdentities(ctx, name, a, partition.Partition, tags, parent)
	if err != nil {
		return nil, err
	}
	web, err := newTier(ctx, tierSpec{
		name: name + "-web", args: a.Web, sg: sgs.web, id: webID, targetGroup: lbs.webTargetGroup,
		subnets: a.AppSubnetIDs, userData: webUserData(name, a, lbs.internal.DnsName), tags: tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	app, err := newTier(ctx, tierSpec{
		name: name + "-app", args: a.App, sg: sgs.was, id: appID, targetGroup: lbs.appTargetGroup,
		subnets: a.AppSubnetIDs, userData: appUserData(name, a, region.Name, lbs.internal.DnsName), tags: tags,
	}, parent)
	if err != nil {
		return nil, err
	}

	w.setOutputs(sgs, lbs, webID, appID, web, app)
	if err := w.registerOutputs(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

// nameTags returns a function that tags one resource: its Name and the
// caller's tags.
func nameTags(extra map[string]string) func(resName string) pulumi.StringMap {
	return func(resName string) pulumi.StringMap {
		m := pulumi.StringMap{"Name": pulumi.String(resName)}
		for k, v := range extra {
			m[k] = pulumi.String(v)
		}
		return m
	}
}

// newInstanceIdentities gives each tier's instances a role and instance
// profile: the web tier reads no secret; the app tier exactly the
// database's and the cache's.
func newInstanceIdentities(ctx *pulumi.Context, name string, a WebTierArgs, partition string, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (web, app *instanceIdentity, err error) {
	web, err = newInstanceIdentity(ctx, name+"-web", partition, nil, tags(name+"-web"), parent)
	if err != nil {
		return nil, nil, err
	}
	var secretARNs []pulumi.StringInput
	for _, s := range []pulumi.StringInput{a.DatabaseSecretARN, a.CacheSecretARN} {
		if s != nil {
			secretARNs = append(secretARNs, s)
		}
	}
	app, err = newInstanceIdentity(ctx, name+"-app", partition, secretARNs, tags(name+"-app"), parent)
	if err != nil {
		return nil, nil, err
	}
	return web, app, nil
}

// setOutputs copies the ids, names and ARNs of the built resources into w.
func (w *WebTier) setOutputs(sgs *securityGroups, lbs *loadBalancers, webID, appID *instanceIdentity, web, app *tier) {
	w.PublicALBDNSName = lbs.public.DnsName
	w.PublicALBZoneID = lbs.public.ZoneId
	w.PublicALBARN = lbs.public.Arn
	w.PublicALBARNSuffix = lbs.public.ArnSuffix
	w.PublicHTTPListenerARN = lbs.publicHTTPListener.Arn
	w.InternalALBDNSName = lbs.internal.DnsName
	w.InternalALBARN = lbs.internal.Arn
	w.InternalALBARNSuffix = lbs.internal.ArnSuffix
	w.WebTargetGroupARN = lbs.webTargetGroup.Arn
	w.WebTargetGroupARNSuffix = lbs.webTargetGroup.ArnSuffix
	w.AppTargetGroupARN = lbs.appTargetGroup.Arn
	w.AppTargetGroupARNSuffix = lbs.appTargetGroup.ArnSuffix
	w.WebASGName = web.group.Name
	w.AppASGName = app.group.Name
	w.PublicALBSecurityGroupID = sgs.publicALB.ID().ToStringOutput()
	w.WebSecurityGroupID = sgs.web.ID().ToStringOutput()
	w.InternalALBSecurityGroupID = sgs.internalALB.ID().ToStringOutput()
	w.WasSecurityGroupID = sgs.was.ID().ToStringOutput()
	w.WebLaunchTemplateID = web.template.ID().ToStringOutput()
	w.AppLaunchTemplateID = app.template.ID().ToStringOutput()
	w.WebInstanceRoleName = webID.role.Name
	w.AppInstanceRoleName = appID.role.Name
}

// registerOutputs completes the component's registration with the outputs
// that stacks export and other components read.
func (w *WebTier) registerOutputs(ctx *pulumi.Context) error {
	return ctx.RegisterResourceOutputs(w, pulumi.Map{
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
	})
}
