package shield

import (
	"errors"
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
func Validate(name string, args *ShieldArgs) error {
	_, err := args.validate(name)
	return err
}

func (args *ShieldArgs) validate(name string) (ShieldArgs, error) {
	if args == nil {
		return ShieldArgs{}, errors.New("shield: args are required")
	}
	a := *args
	probs := problem.List{Component: "shield"}
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
	parent := pulumi.Parent(s)
	east := []pulumi.ResourceOption{parent, pulumi.Provider(a.USEast1)}
	tags := pulumi.ToStringMap(a.Tags)

	// Protections fail without a subscription ("The subscription does not
	// exist"); when this component creates it, they wait for it.
	protectOpts := east
	if !a.Subscribe {
		sub, err := existingSubscription(ctx, name, a.USEast1, east)
		if err != nil {
			return nil, err
		}
		protectOpts = append(append([]pulumi.ResourceOption{}, east...), pulumi.DependsOn([]pulumi.Resource{sub}))
	}
	if a.Subscribe {
		sub, err := shield.NewSubscription(ctx, name, &shield.SubscriptionArgs{
			AutoRenew: pulumi.String("ENABLED"),
			// Cancelling is not possible through the API during the
			// commitment: leave the subscription when the stack goes.
			SkipDestroy: pulumi.Bool(true),
		}, append(east, pulumi.Protect(true), pulumi.RetainOnDelete(true))...)
		if err != nil {
			return nil, err
		}
		protectOpts = append(append([]pulumi.ResourceOption{}, east...), pulumi.DependsOn([]pulumi.Resource{sub}))
	}

	dist, err := shield.NewProtection(ctx, name+"-distribution", &shield.ProtectionArgs{
		Name:        pulumi.String(a.ResourceName + "-distribution"),
		ResourceArn: a.DistributionARN,
		Tags:        tags,
	}, protectOpts...)
	if err != nil {
		return nil, err
	}
	members := pulumi.StringArray{a.DistributionARN}
	s.LoadBalancerProtectionID = pulumi.String("").ToStringOutput()
	s.RegionalAlarmTopicARN = pulumi.String("").ToStringOutput()
	var lb *shield.Protection
	if a.LoadBalancerARN != nil {
		lb, err = shield.NewProtection(ctx, name+"-alb", &shield.ProtectionArgs{
			Name:        pulumi.String(a.ResourceName + "-alb"),
			ResourceArn: a.LoadBalancerARN,
			Tags:        tags,
		}, protectOpts...)
		if err != nil {
			return nil, err
		}
		members = append(members, a.LoadBalancerARN)
		s.LoadBalancerProtectionID = lb.ID().ToStringOutput()
	}
	group, err := shield.NewProtectionGroup(ctx, name, &shield.ProtectionGroupArgs{
		ProtectionGroupId: pulumi.String(a.ResourceName),
		// MAX: the group is under attack when any member is; the right
		// aggregation for resources that front the same application.
		Aggregation: pulumi.String("MAX"),
		Pattern:     pulumi.String("ARBITRARY"),
		Members:     members,
		Tags:        tags,
	}, append(append([]pulumi.ResourceOption{}, east...), pulumi.DependsOn(protections(dist, lb)))...)
	if err != nil {
		return nil, err
	}

	// Automatic mitigation works through the web ACL attached to the
	// distribution; the distribution's ARN carries that dependency.
	if _, err := shield.NewApplicationLayerAutomaticResponse(ctx, name, &shield.ApplicationLayerAutomaticResponseArgs{
		ResourceArn: a.DistributionARN,
		Action:      pulumi.String(a.AutomaticResponseAction),
	}, append(append([]pulumi.ResourceOption{}, east...), pulumi.DependsOn([]pulumi.Resource{dist}))...); err != nil {
		return nil, err
	}

	hc, err := route53.NewHealthCheck(ctx, name, &route53.HealthCheckArgs{
		Type:             pulumi.String("HTTPS"),
		Fqdn:             a.HealthCheckFQDN,
		Port:             pulumi.Int(443),
		ResourcePath:     pulumi.String(a.HealthCheckPath),
		EnableSni:        pulumi.Bool(true),
		FailureThreshold: pulumi.Int(3),
		RequestInterval:  pulumi.Int(30),
		Tags:             tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := shield.NewProtectionHealthCheckAssociation(ctx, name+"-distribution", &shield.ProtectionHealthCheckAssociationArgs{
		ShieldProtectionId: dist.ID(),
		HealthCheckArn:     hc.Arn,
	}, east...); err != nil {
		return nil, err
	}

	if len(a.Contacts) > 0 {
		contacts := shield.ProactiveEngagementEmergencyContactArray{}
		for _, c := range a.Contacts {
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
		if _, err := shield.NewProactiveEngagement(ctx, name, &shield.ProactiveEngagementArgs{
			Enabled:           pulumi.Bool(true),
			EmergencyContacts: contacts,
		}, append(append([]pulumi.ResourceOption{}, protectOpts...), pulumi.DependsOn([]pulumi.Resource{dist}))...); err != nil {
			return nil, err
		}
	}

	topic, err := alarm(ctx, name+"-distribution", a.DistributionARN, a.AlarmEmail, tags, east)
	if err != nil {
		return nil, err
	}
	s.AlarmTopicARN = topic
	if a.LoadBalancerARN != nil {
		regional, err := alarm(ctx, name+"-alb", a.LoadBalancerARN, a.AlarmEmail, tags, []pulumi.ResourceOption{parent})
		if err != nil {
			return nil, err
		}
		s.RegionalAlarmTopicARN = regional
	}

	s.DistributionProtectionID = dist.ID().ToStringOutput()
	s.ProtectionGroupID = group.ProtectionGroupId
	s.HealthCheckID = hc.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(s, pulumi.Map{
		"distributionProtectionId": s.DistributionProtectionID,
		"loadBalancerProtectionId": s.LoadBalancerProtectionID,
		"protectionGroupId":        s.ProtectionGroupID,
		"healthCheckId":            s.HealthCheckID,
		"alarmTopicArn":            s.AlarmTopicARN,
		"regionalAlarmTopicArn":    s.RegionalAlarmTopicARN,
	}); err != nil {
		return nil, err
	}
	return s, nil
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
		return nil, fmt.Errorf("shield: account of the subscription: %w", err)
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
