package shield

import (
	"fmt"
	"net/mail"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/shield"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "hawebtier:aws:Shield"

// Automatic application-layer response actions.
const (
	ActionCount = "COUNT"
	ActionBlock = "BLOCK"
)

// Alarm settings: DDoSDetected is 1 while Shield sees an attack on the
// resource, 0 otherwise.
const (
	MetricNamespace = "AWS/DDoSProtection"
	MetricName      = "DDoSDetected"
	MetricDimension = "ResourceArn"
)

// Contact is one proactive engagement contact of the Shield Response Team.
type Contact struct {
	Email string `json:"email"`
	// Phone starts with + and has up to 15 digits.
	Phone string `json:"phone"`
	Notes string `json:"notes"`
}

// ShieldArgs describe the protections.
type ShieldArgs struct {
	// DistributionARN is the CloudFront distribution to protect. Required.
	// Its web ACL is where automatic mitigation adds its rules.
	DistributionARN pulumi.StringInput
	// LoadBalancerARN is the ALB origin; nil protects the distribution only.
	LoadBalancerARN pulumi.StringInput
	// HealthCheckFQDN is checked over HTTPS on HealthCheckPath by Route 53;
	// Shield uses its health for faster, more accurate detection.
	// Required.
	HealthCheckFQDN pulumi.StringInput
	// HealthCheckPath defaults to "/".
	HealthCheckPath string
	// AutomaticResponseAction is COUNT or BLOCK; default COUNT, so new
	// mitigations are watched before they drop traffic.
	AutomaticResponseAction string
	// Subscribe creates the Shield Advanced subscription: a one-year
	// commitment billed monthly. Never on by default. Without it the account
	// must already be subscribed: the component reads the subscription
	// before any protection, so a preview of an account without one fails
	// there (ExistingSubscriptionName).
	Subscribe bool
	// Contacts turn on proactive engagement: the Shield Response Team calls
	// them when the health check fails during an attack.
	Contacts []Contact
	// AlarmEmail subscribes an address to the alarm topics; empty leaves
	// the topics for the caller to subscribe.
	AlarmEmail string
	// USEast1 is a provider for us-east-1, where Shield's API and
	// CloudFront's metrics are. Required.
	USEast1 *aws.Provider
	Tags    map[string]string
	// ResourceName names the AWS objects of this component whose names are
	// unique in an account (and region): the protection group id (1-36
	// letters, digits and -) and the protections' names. Default: the
	// component's name. Two stacks in one account need different ones; the
	// project's stacks use <project>-<stack>-<component>.
	ResourceName string
}

// Shield is Shield Advanced protection for a distribution and its ALB.
type Shield struct {
	pulumi.ResourceState

	DistributionProtectionID pulumi.StringOutput
	// LoadBalancerProtectionID is empty when no ALB was given.
	LoadBalancerProtectionID pulumi.StringOutput
	ProtectionGroupID        pulumi.StringOutput
	HealthCheckID            pulumi.StringOutput
	// AlarmTopicARN receives the distribution's alarm (us-east-1);
	// RegionalAlarmTopicARN the ALB's (the ALB's region), empty without ALB.
	AlarmTopicARN         pulumi.StringOutput
	RegionalAlarmTopicARN pulumi.StringOutput
}

var (
	phoneRe = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	idRe    = regexp.MustCompile(`^[A-Za-z0-9-]{1,36}$`)
)

// Validate reports every problem of args for a component called name, as
// NewShield would, without registering anything. A caller that builds the
// protections late (after the distribution exists) checks its args first.
func (args *ShieldArgs) Validate(name string) error {
	_, err := args.validate(name)
	return err
}

// component is how errors name the component: `shield "<name>": ...`.
const component = "shield"

func (args *ShieldArgs) validate(name string) (ShieldArgs, error) {
	if args == nil {
		return ShieldArgs{}, problem.Errorf(component, name, "args are required")
	}
	a := *args
	probs := problem.List{Component: component, Instance: name}
	bad := probs.Add
	if a.USEast1 == nil {
		bad("USEast1", "required: a provider for us-east-1, where the Shield API and CloudFront metrics are")
	}
	if a.DistributionARN == nil {
		bad("DistributionARN", "required")
	}
	if a.HealthCheckFQDN == nil {
		bad("HealthCheckFQDN", "required: the name Route 53 checks for health-based detection")
	}
	if a.HealthCheckPath == "" {
		a.HealthCheckPath = "/"
	}
	if a.HealthCheckPath[0] != '/' {
		bad("HealthCheckPath", "must start with /, got %q", a.HealthCheckPath)
	}
	switch a.AutomaticResponseAction {
	case "":
		a.AutomaticResponseAction = ActionCount
	case ActionCount, ActionBlock:
	default:
		bad("AutomaticResponseAction", "expected COUNT or BLOCK, got %q", a.AutomaticResponseAction)
	}
	for i, c := range a.Contacts {
		if _, err := mail.ParseAddress(c.Email); err != nil || c.Email == "" {
			bad(fmt.Sprintf("Contacts[%d].Email", i), "not an email address: %q", c.Email)
		}
		if c.Phone != "" && !phoneRe.MatchString(c.Phone) {
			bad(fmt.Sprintf("Contacts[%d].Phone", i), "expected + and up to 15 digits, got %q", c.Phone)
		}
	}
	if len(a.Contacts) > 10 {
		bad("Contacts", "Shield takes at most 10 emergency contacts, got %d", len(a.Contacts))
	}
	if a.AlarmEmail != "" {
		if _, err := mail.ParseAddress(a.AlarmEmail); err != nil {
			bad("AlarmEmail", "not an email address: %q", a.AlarmEmail)
		}
	}
	if a.ResourceName == "" {
		a.ResourceName = name
	}
	if !idRe.MatchString(a.ResourceName) {
		bad("ResourceName", "%q: a protection group id takes 1-36 letters, digits and -", a.ResourceName)
	}
	return a, probs.Err()
}

// NewShield builds the protections. Invalid args return an error naming
// every bad field and register nothing.
func NewShield(ctx *pulumi.Context, name string, args *ShieldArgs, opts ...pulumi.ResourceOption) (*Shield, error) {
	a, err := args.validate(name)
	if err != nil {
		return nil, err
	}
	s := &Shield{}
	if err := ctx.RegisterComponentResource(TypeToken, name, s, opts...); err != nil {
		return nil, err
	}
	b := newShieldBuilder(ctx, name, &a, s)

	protectOpts, err := b.subscription()
	if err != nil {
		return nil, err
	}
	dist, lb, err := b.protections(protectOpts)
	if err != nil {
		return nil, err
	}
	group, err := b.protectionGroup(dist, lb)
	if err != nil {
		return nil, err
	}
	if err := b.automaticResponse(dist); err != nil {
		return nil, err
	}
	hc, err := b.healthCheck(dist)
	if err != nil {
		return nil, err
	}
	if err := b.proactiveEngagement(dist, protectOpts); err != nil {
		return nil, err
	}
	topic, regionalTopic, err := b.alarms()
	if err != nil {
		return nil, err
	}

	s.DistributionProtectionID = dist.ID().ToStringOutput()
	s.LoadBalancerProtectionID = pulumi.String("").ToStringOutput()
	if lb != nil {
		s.LoadBalancerProtectionID = lb.ID().ToStringOutput()
	}
	s.ProtectionGroupID = group.ProtectionGroupId
	s.HealthCheckID = hc.ID().ToStringOutput()
	s.AlarmTopicARN = topic
	s.RegionalAlarmTopicARN = regionalTopic
	if err := s.registerOutputs(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// shieldBuilder is what the parts of NewShield share: the validated args
// and the resource options every part places its resources with.
type shieldBuilder struct {
	ctx  *pulumi.Context
	name string
	a    *ShieldArgs
	tags pulumi.StringMap
	// parent keeps the caller's region (the ALB's); east adds the
	// us-east-1 provider, where Shield's API and CloudFront's metrics are.
	parent pulumi.ResourceOption
	east   []pulumi.ResourceOption
}

func newShieldBuilder(ctx *pulumi.Context, name string, a *ShieldArgs, s *Shield) *shieldBuilder {
	parent := pulumi.Parent(s)
	return &shieldBuilder{
		ctx:    ctx,
		name:   name,
		a:      a,
		tags:   pulumi.ToStringMap(a.Tags),
		parent: parent,
		east:   []pulumi.ResourceOption{parent, pulumi.Provider(a.USEast1)},
	}
}

// subscription creates the Shield Advanced subscription (Subscribe) or
// reads the existing one, and returns the options of the resources that
// need it. Protections fail without a subscription ("The subscription does
// not exist"); when this component creates it, they wait for it.
func (b *shieldBuilder) subscription() ([]pulumi.ResourceOption, error) {
	if !b.a.Subscribe {
		sub, err := existingSubscription(b.ctx, b.name, b.a.USEast1, b.east)
		if err != nil {
			return nil, err
		}
		return append(append([]pulumi.ResourceOption{}, b.east...), pulumi.DependsOn([]pulumi.Resource{sub})), nil
	}
	sub, err := shield.NewSubscription(b.ctx, b.name, &shield.SubscriptionArgs{
		AutoRenew: pulumi.String("ENABLED"),
		// Cancelling is not possible through the API during the
		// commitment: leave the subscription when the stack goes.
		SkipDestroy: pulumi.Bool(true),
	}, append(b.east, pulumi.Protect(true), pulumi.RetainOnDelete(true))...)
	if err != nil {
		return nil, err
	}
	return append(append([]pulumi.ResourceOption{}, b.east...), pulumi.DependsOn([]pulumi.Resource{sub})), nil
}

// protections protect the distribution and, with a LoadBalancerARN, the
// ALB; lb is nil without one.
func (b *shieldBuilder) protections(protectOpts []pulumi.ResourceOption) (dist, lb *shield.Protection, err error) {
	dist, err = shield.NewProtection(b.ctx, b.name+"-distribution", &shield.ProtectionArgs{
		Name:        pulumi.String(b.a.ResourceName + "-distribution"),
		ResourceArn: b.a.DistributionARN,
		Tags:        b.tags,
	}, protectOpts...)
	if err != nil {
		return nil, nil, err
	}
	if b.a.LoadBalancerARN == nil {
		return dist, nil, nil
	}
	lb, err = shield.NewProtection(b.ctx, b.name+"-alb", &shield.ProtectionArgs{
		Name:        pulumi.String(b.a.ResourceName + "-alb"),
		ResourceArn: b.a.LoadBalancerARN,
		Tags:        b.tags,
	}, protectOpts...)
	if err != nil {
		return nil, nil, err
	}
	return dist, lb, nil
}

// protectionGroup groups the protected resources (lb may be nil) once
// their protections exist.
func (b *shieldBuilder) protectionGroup(dist, lb *shield.Protection) (*shield.ProtectionGroup, error) {
	members := pulumi.StringArray{b.a.DistributionARN}
	if b.a.LoadBalancerARN != nil {
		members = append(members, b.a.LoadBalancerARN)
	}
	return shield.NewProtectionGroup(b.ctx, b.name, &shield.ProtectionGroupArgs{
		ProtectionGroupId: pulumi.String(b.a.ResourceName),
		// MAX: the group is under attack when any member is; the right
		// aggregation for resources that front the same application.
		Aggregation: pulumi.String("MAX"),
		Pattern:     pulumi.String("ARBITRARY"),
		Members:     members,
		Tags:        b.tags,
	}, append(append([]pulumi.ResourceOption{}, b.east...), pulumi.DependsOn(protections(dist, lb)))...)
}

// automaticResponse turns on application-layer automatic mitigation for
// the distribution. It works through the web ACL attached to the
// distribution; the distribution's ARN carries that dependency.
func (b *shieldBuilder) automaticResponse(dist *shield.Protection) error {
	_, err := shield.NewApplicationLayerAutomaticResponse(b.ctx, b.name, &shield.ApplicationLayerAutomaticResponseArgs{
		ResourceArn: b.a.DistributionARN,
		Action:      pulumi.String(b.a.AutomaticResponseAction),
	}, append(append([]pulumi.ResourceOption{}, b.east...), pulumi.DependsOn([]pulumi.Resource{dist}))...)
	return err
}

// healthCheck checks HealthCheckFQDN over HTTPS and associates the check
// with the distribution's protection, for health-based detection.
func (b *shieldBuilder) healthCheck(dist *shield.Protection) (*route53.HealthCheck, error) {
	hc, err := route53.NewHealthCheck(b.ctx, b.name, &route53.HealthCheckArgs{
		Type:             pulumi.String("HTTPS"),
		Fqdn:             b.a.HealthCheckFQDN,
		Port:             pulumi.Int(443),
		ResourcePath:     pulumi.String(b.a.HealthCheckPath),
		EnableSni:        pulumi.Bool(true),
		FailureThreshold: pulumi.Int(3),
		RequestInterval:  pulumi.Int(30),
		Tags:             b.tags,
	}, b.parent)
	if err != nil {
		return nil, err
	}
	if _, err := shield.NewProtectionHealthCheckAssociation(b.ctx, b.name+"-distribution", &shield.ProtectionHealthCheckAssociationArgs{
		ShieldProtectionId: dist.ID(),
		HealthCheckArn:     hc.Arn,
	}, b.east...); err != nil {
		return nil, err
	}
	return hc, nil
}

// proactiveEngagement gives the Shield Response Team the Contacts to call;
// without Contacts it does nothing.
func (b *shieldBuilder) proactiveEngagement(dist *shield.Protection, protectOpts []pulumi.ResourceOption) error {
	if len(b.a.Contacts) == 0 {
		return nil
	}
	contacts := shield.ProactiveEngagementEmergencyContactArray{}
	for _, c := range b.a.Contacts {
		ec := shield.ProactiveEngagementEmergencyContactArgs{EmailAddress: pulumi.String(c.Email)}
		if c.Phone != "" {
			ec.PhoneNumber = pulumi.String(c.Phone)
		}
		if c.Notes != "" {
			ec.ContactNotes = pulumi.String(c.Notes)
		}
		contacts = append(contacts, ec)
	}
	// Proactive engagement needs a protected resource with a health
	// check, so it follows the association.
	_, err := shield.NewProactiveEngagement(b.ctx, b.name, &shield.ProactiveEngagementArgs{
		Enabled:           pulumi.Bool(true),
		EmergencyContacts: contacts,
	}, append(append([]pulumi.ResourceOption{}, protectOpts...), pulumi.DependsOn([]pulumi.Resource{dist}))...)
	return err
}

// alarms raise the DDoSDetected alarms: the distribution's in us-east-1,
// where CloudFront's metrics are, and the ALB's in its own region. The
// regional topic is empty without a LoadBalancerARN.
func (b *shieldBuilder) alarms() (topic, regionalTopic pulumi.StringOutput, err error) {
	topic, err = alarm(b.ctx, b.name+"-distribution", b.a.DistributionARN, b.a.AlarmEmail, b.tags, b.east)
	if err != nil {
		return pulumi.StringOutput{}, pulumi.StringOutput{}, err
	}
	if b.a.LoadBalancerARN == nil {
		return topic, pulumi.String("").ToStringOutput(), nil
	}
	regionalTopic, err = alarm(b.ctx, b.name+"-alb", b.a.LoadBalancerARN, b.a.AlarmEmail, b.tags, []pulumi.ResourceOption{b.parent})
	if err != nil {
		return pulumi.StringOutput{}, pulumi.StringOutput{}, err
	}
	return topic, regionalTopic, nil
}

func (s *Shield) registerOutputs(ctx *pulumi.Context) error {
	return ctx.RegisterResourceOutputs(s, pulumi.Map{
		"distributionProtectionId": s.DistributionProtectionID,
		"loadBalancerProtectionId": s.LoadBalancerProtectionID,
		"protectionGroupId":        s.ProtectionGroupID,
		"healthCheckId":            s.HealthCheckID,
		"alarmTopicArn":            s.AlarmTopicARN,
		"regionalAlarmTopicArn":    s.RegionalAlarmTopicARN,
	})
}

func protections(ps ...*shield.Protection) []pulumi.Resource {
	var out []pulumi.Resource
	for _, p := range ps {
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}

// ExistingSubscriptionName is the suffix of the read that checks the
// account's Shield Advanced subscription when the component does not
// create one: a preview or update of an account without one fails on it,
// before any protection, with "resource '<name>-existing-subscription'
// does not exist".
const ExistingSubscriptionName = "-existing-subscription"

// existingSubscription reads the account's Shield Advanced subscription
// (its id is the account id). The provider's read of
// aws:shield/subscription calls DescribeSubscription and drops the
// resource when Shield answers ResourceNotFoundException
// (terraform-provider-aws internal/service/shield/subscription.go), so the
// read fails in `pulumi preview` already: the precondition is checked, not
// assumed.
func existingSubscription(ctx *pulumi.Context, name string, usEast1 *aws.Provider, east []pulumi.ResourceOption) (*shield.Subscription, error) {
	caller, err := aws.GetCallerIdentity(ctx, nil, pulumi.Provider(usEast1))
	if err != nil {
		return nil, problem.Errorf(component, name, "account of the subscription: %w", err)
	}
	return shield.GetSubscription(ctx, name+ExistingSubscriptionName, pulumi.ID(caller.AccountId), nil, east...)
}

// alarm creates a topic, its optional email subscription and an alarm on
// DDoSDetected for one resource, all with the given options (provider).
func alarm(ctx *pulumi.Context, name string, arn pulumi.StringInput, email string, tags pulumi.StringMap, opts []pulumi.ResourceOption) (pulumi.StringOutput, error) {
	topic, err := sns.NewTopic(ctx, name+"-ddos", &sns.TopicArgs{Tags: tags}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	if email != "" {
		if _, err := sns.NewTopicSubscription(ctx, name+"-ddos-email", &sns.TopicSubscriptionArgs{
			Topic:    topic.Arn,
			Protocol: pulumi.String("email"),
			Endpoint: pulumi.String(email),
		}, opts...); err != nil {
			return pulumi.StringOutput{}, err
		}
	}
	if _, err := cloudwatch.NewMetricAlarm(ctx, name+"-ddos", &cloudwatch.MetricAlarmArgs{
		AlarmDescription:   pulumi.Sprintf("Shield Advanced detected a DDoS attack on %s", arn),
		Namespace:          pulumi.String(MetricNamespace),
		MetricName:         pulumi.String(MetricName),
		Dimensions:         pulumi.StringMap{MetricDimension: arn},
		Statistic:          pulumi.String("Maximum"),
		Period:             pulumi.Int(60),
		EvaluationPeriods:  pulumi.Int(1),
		Threshold:          pulumi.Float64(1),
		ComparisonOperator: pulumi.String("GreaterThanOrEqualToThreshold"),
		// The metric is only published while Shield has something to say.
		TreatMissingData: pulumi.String("notBreaching"),
		AlarmActions:     pulumi.Array{topic.Arn},
		OkActions:        pulumi.Array{topic.Arn},
		Tags:             tags,
	}, opts...); err != nil {
		return pulumi.StringOutput{}, err
	}
	return topic.Arn, nil
}
