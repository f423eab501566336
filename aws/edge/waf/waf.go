package waf

import (
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "hawebtier:aws:WebACL"

// Defaults and limits of WebACLArgs.
const (
	DefaultRateLimit      = 2000
	MinRateLimit          = 10 // WAF's lower bound for a rate-based rule
	MaxRateLimit          = 2000000000
	DefaultLogRetention   = 90
	LogGroupPrefix        = "aws-waf-logs-" // WAF refuses destinations named otherwise
	RateLimitRuleName     = "rate-limit-per-ip"
	rateLimitRulePriority = 0
)

// ManagedRuleGroups are the AWS managed rule groups the ACL runs, in
// priority order after the rate limit. IP reputation comes first so known
// bad sources are dropped before the costlier inspections.
var ManagedRuleGroups = []string{
	"AWSManagedRulesAmazonIpReputationList",
	"AWSManagedRulesKnownBadInputsRuleSet",
	"AWSManagedRulesCommonRuleSet",
	"AWSManagedRulesSQLiRuleSet",
}

// WebACLArgs describe the web ACL.
type WebACLArgs struct {
	// RateLimit is the number of requests per five minutes one IP may send
	// before the rate-based rule blocks it; default 2000.
	RateLimit int
	// LogRetentionDays of the WAF log group; default 90.
	LogRetentionDays int
	// USEast1 is a provider for us-east-1, where CLOUDFRONT-scoped ACLs and
	// their log destinations must live. Required.
	USEast1 *aws.Provider
	Tags    map[string]string
	// ResourceName names the AWS objects of this component whose names are
	// unique in an account (and region): the web ACL (unique per account and
	// scope, CLOUDFRONT in us-east-1) and its aws-waf-logs- log group.
	// Default: the component's name. Two stacks in one account need different
	// ones; the project's stacks use <project>-<stack>-<component>.
	ResourceName string
}

// WebACL is a CloudFront-scoped WAFv2 web ACL with logging.
type WebACL struct {
	pulumi.ResourceState

	// ARN is what a CloudFront distribution's webAclId takes.
	ARN  pulumi.StringOutput
	ID   pulumi.StringOutput
	Name pulumi.StringOutput
	// LogGroupName is the aws-waf-logs- log group in us-east-1.
	LogGroupName pulumi.StringOutput
	// MetricName is the ACL's CloudWatch metric name: the WebACL dimension
	// of the AWS/WAFV2 metrics in us-east-1.
	MetricName string
}

var (
	nameRe      = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)
	notMetricRe = regexp.MustCompile(`[^A-Za-z0-9_-]`)
)

// Validate reports every problem of args for an ACL called name (the name
// NewWebACL will get), as NewWebACL would, without registering anything.
func (args *WebACLArgs) Validate(name string) error {
	_, err := args.validate(name)
	return err
}

// component is how errors name the component: `waf "<name>": ...`.
const component = "waf"

func (args *WebACLArgs) validate(name string) (WebACLArgs, error) {
	if args == nil {
		return WebACLArgs{}, problem.Errorf(component, name, "args are required")
	}
	a := *args
	probs := problem.List{Component: component, Instance: name}
	bad := probs.Add
	if a.USEast1 == nil {
		bad("USEast1", "required: a provider for us-east-1, where CloudFront web ACLs and their logs live")
	}
	if a.ResourceName == "" {
		a.ResourceName = name
	}
	if !nameRe.MatchString(a.ResourceName) {
		bad("ResourceName", "%q: WAF names take 1-100 letters, digits, - and _", a.ResourceName)
	}
	if a.RateLimit == 0 {
		a.RateLimit = DefaultRateLimit
	}
	if a.RateLimit < MinRateLimit || a.RateLimit > MaxRateLimit {
		bad("RateLimit", "expected %d-%d requests per 5 minutes per IP, got %d", MinRateLimit, MaxRateLimit, a.RateLimit)
	}
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = DefaultLogRetention
	}
	if a.LogRetentionDays < 0 {
		bad("LogRetentionDays", "must be positive, got %d", a.LogRetentionDays)
	}
	return a, probs.Err()
}

// NewWebACL builds the web ACL and its logging. Invalid args return an
// error naming every bad field and register nothing.
func NewWebACL(ctx *pulumi.Context, name string, args *WebACLArgs, opts ...pulumi.ResourceOption) (*WebACL, error) {
	a, err := args.validate(name)
	if err != nil {
		return nil, err
	}
	w := &WebACL{MetricName: metricName(a.ResourceName)}
	if err := ctx.RegisterComponentResource(TypeToken, name, w, opts...); err != nil {
		return nil, err
	}
	east := []pulumi.ResourceOption{pulumi.Parent(w), pulumi.Provider(a.USEast1)}
	tags := pulumi.ToStringMap(a.Tags)

	rules := wafv2.WebAclRuleArray{wafv2.WebAclRuleArgs{
		Name:     pulumi.String(RateLimitRuleName),
		Priority: pulumi.Int(rateLimitRulePriority),
		Action:   wafv2.WebAclRuleActionArgs{Block: wafv2.WebAclRuleActionBlockArgs{}},
		Statement: wafv2.WebAclRuleStatementArgs{RateBasedStatement: wafv2.WebAclRuleStatementRateBasedStatementArgs{
			Limit:            pulumi.Int(a.RateLimit),
			AggregateKeyType: pulumi.String("IP"),
		}},
		VisibilityConfig: ruleVisibility(RateLimitRuleName),
	}}
	for i, group := range ManagedRuleGroups {
		rules = append(rules, wafv2.WebAclRuleArgs{
			Name:     pulumi.String(group),
			Priority: pulumi.Int(i + 1),
			// none: the group's own actions (block) apply.
			OverrideAction: wafv2.WebAclRuleOverrideActionArgs{None: wafv2.WebAclRuleOverrideActionNoneArgs{}},
			Statement: wafv2.WebAclRuleStatementArgs{ManagedRuleGroupStatement: wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs{
				VendorName: pulumi.String("AWS"),
				Name:       pulumi.String(group),
			}},
			VisibilityConfig: ruleVisibility(group),
		})
	}
	// Shield Advanced's automatic application-layer response adds its own
	// ShieldMitigationRuleGroup_* rule to this ACL; the provider keeps it on
	// update (terraform-provider-aws #33216, in pulumi-aws v6).
	acl, err := wafv2.NewWebAcl(ctx, name, &wafv2.WebAclArgs{
		Name:          pulumi.String(a.ResourceName),
		Description:   pulumi.String(a.ResourceName + ": AWS managed rules and a per-IP rate limit in front of CloudFront"),
		Scope:         pulumi.String("CLOUDFRONT"),
		DefaultAction: wafv2.WebAclDefaultActionArgs{Allow: wafv2.WebAclDefaultActionAllowArgs{}},
		Rules:         rules,
		VisibilityConfig: wafv2.WebAclVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true),
			SampledRequestsEnabled:   pulumi.Bool(true),
			MetricName:               pulumi.String(w.MetricName),
		},
		Tags: tags,
	}, east...)
	if err != nil {
		return nil, err
	}

	logs, err := cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(LogGroupName(a.ResourceName)),
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
		Tags:            tags,
	}, east...)
	if err != nil {
		return nil, err
	}
	if _, err := wafv2.NewWebAclLoggingConfiguration(ctx, name, &wafv2.WebAclLoggingConfigurationArgs{
		ResourceArn:           acl.Arn,
		LogDestinationConfigs: pulumi.StringArray{logs.Arn},
		// Viewers' credentials stay out of the logs.
		RedactedFields: wafv2.WebAclLoggingConfigurationRedactedFieldArray{
			wafv2.WebAclLoggingConfigurationRedactedFieldArgs{SingleHeader: wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs{Name: pulumi.String("authorization")}},
			wafv2.WebAclLoggingConfigurationRedactedFieldArgs{SingleHeader: wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs{Name: pulumi.String("cookie")}},
		},
	}, east...); err != nil {
		return nil, err
	}

	w.ARN = acl.Arn
	w.ID = acl.ID().ToStringOutput()
	w.Name = acl.Name
	w.LogGroupName = logs.Name
	if err := ctx.RegisterResourceOutputs(w, pulumi.Map{
		"arn":          w.ARN,
		"id":           w.ID,
		"name":         w.Name,
		"logGroupName": w.LogGroupName,
	}); err != nil {
		return nil, err
	}
	return w, nil
}

// LogGroupName is the WAF log group of an ACL: WAF accepts only
// destinations whose name starts with aws-waf-logs-.
func LogGroupName(acl string) string { return LogGroupPrefix + acl }

func metricName(s string) string { return notMetricRe.ReplaceAllString(s, "-") }

func ruleVisibility(name string) wafv2.WebAclRuleVisibilityConfigArgs {
	return wafv2.WebAclRuleVisibilityConfigArgs{
		CloudwatchMetricsEnabled: pulumi.Bool(true),
		SampledRequestsEnabled:   pulumi.Bool(true),
		MetricName:               pulumi.String(metricName(name)),
	}
}
