package edge

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// Origin protection constants.
const (
	// OriginHeaderName is the header CloudFront adds to every request to
	// the ALB; the listener rule forwards only when it carries the secret.
	OriginHeaderName = "X-Origin-Verify"
	// OriginHeaderLength: 48 letters and digits, ~285 bits. No special
	// characters: ALB header conditions treat * and ? as wildcards.
	OriginHeaderLength = 48
	// CloudFrontPrefixList is the AWS-managed prefix list of CloudFront's
	// origin-facing addresses.
	CloudFrontPrefixList = "com.amazonaws.global.cloudfront.origin-facing"
)

// originSecret is the header value: generated, never in stack files,
// secret wherever it goes (distribution origins, listener rule).
func originSecret(ctx *pulumi.Context, name string, opts []pulumi.ResourceOption) (pulumi.StringOutput, error) {
	pw, err := random.NewRandomPassword(ctx, name+"-origin-header", &random.RandomPasswordArgs{
		Length:  pulumi.Int(OriginHeaderLength),
		Special: pulumi.Bool(false),
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return pulumi.ToSecret(pw.Result).(pulumi.StringOutput), nil
}

// admitCloudFront opens the ALB's security group to CloudFront's
// origin-facing prefix list on the origin port only. A prefix list counts
// as its max entries against the rules-per-group quota: the CloudFront list
// weighs about 55 of the default 60 inbound rules, so a second port (or
// IPv6) would exceed the quota; hence one rule, one port.
func admitCloudFront(ctx *pulumi.Context, name string, sg pulumi.StringInput, port int, opts []pulumi.ResourceOption) (*vpc.SecurityGroupIngressRule, error) {
	pl, err := ec2.LookupManagedPrefixList(ctx, &ec2.LookupManagedPrefixListArgs{Name: pulumi.StringRef(CloudFrontPrefixList)}, invokeOpts(opts)...)
	if err != nil {
		return nil, problem.Errorf(component, name, "look up prefix list %s: %w", CloudFrontPrefixList, err)
	}
	return vpc.NewSecurityGroupIngressRule(ctx, name+"-cloudfront", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: sg,
		Description:     pulumi.String(fmt.Sprintf("CloudFront origin-facing addresses on %d only", port)),
		IpProtocol:      pulumi.String("tcp"),
		FromPort:        pulumi.Int(port),
		ToPort:          pulumi.Int(port),
		PrefixListId:    pulumi.String(pl.Id),
	}, opts...)
}

// requireHeader forwards to the target group only the requests that carry
// the secret header. The listener's default action (the caller's) must be
// a fixed 403 so everything else is refused.
func requireHeader(ctx *pulumi.Context, name string, a *EdgeArgs, secret pulumi.StringOutput, opts []pulumi.ResourceOption) (*lb.ListenerRule, error) {
	return lb.NewListenerRule(ctx, name+"-origin-header", &lb.ListenerRuleArgs{
		ListenerArn: a.ListenerARN,
		Priority:    pulumi.Int(a.ListenerRulePriority),
		Conditions: lb.ListenerRuleConditionArray{lb.ListenerRuleConditionArgs{
			HttpHeader: lb.ListenerRuleConditionHttpHeaderArgs{
				HttpHeaderName: pulumi.String(OriginHeaderName),
				Values:         pulumi.StringArray{secret},
			},
		}},
		Actions: lb.ListenerRuleActionArray{lb.ListenerRuleActionArgs{
			Type:           pulumi.String("forward"),
			TargetGroupArn: a.TargetGroupARN,
		}},
	}, opts...)
}

// invokeOpts keeps the parent (and so its provider) for lookups.
func invokeOpts(opts []pulumi.ResourceOption) []pulumi.InvokeOption {
	var out []pulumi.InvokeOption
	for _, o := range opts {
		if io, ok := o.(pulumi.InvokeOption); ok {
			out = append(out, io)
		}
	}
	return out
}
