package edge

import (
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge/shield"
	"github.com/hawebtier/hawebtier/aws/edge/waf"
	"github.com/hawebtier/hawebtier/components/problem"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "hawebtier:aws:Edge"

// Origin ids inside the distribution. The origin group's id is
// OriginStatic, so behaviours name their target by Origin.
const (
	originPrimary = "static-primary"
	originReplica = "static-replica"
)

// AWS managed CloudFront policies (ids are the same in every account).
const (
	CachingOptimized          = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	CachingDisabled           = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	AllViewerExceptHostHeader = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
)

// FailoverStatusCodes make the static group try the replica: S3 answers
// 403 for a missing object when the reader may not list the bucket.
var FailoverStatusCodes = []int{403, 404, 500, 502, 503, 504}

// Edge is the CloudFront distribution with its origins, WAF and, when
// asked, Shield Advanced.
type Edge struct {
	pulumi.ResourceState

	DistributionID  pulumi.StringOutput
	DistributionARN pulumi.StringOutput
	// DomainName is the distribution's *.cloudfront.net name and
	// HostedZoneID its Route 53 zone (for alias records).
	DomainName   pulumi.StringOutput
	HostedZoneID pulumi.StringOutput
	// URL is https:// plus Domain, or plus DomainName without one.
	URL pulumi.StringOutput
	// StaticBucket is where static content and the maintenance page are
	// uploaded; ReplicaBucket receives them by replication.
	StaticBucket     pulumi.StringOutput
	StaticBucketARN  pulumi.StringOutput
	ReplicaBucket    pulumi.StringOutput
	ReplicaBucketARN pulumi.StringOutput
	LogsBucket       pulumi.StringOutput
	WebACLARN        pulumi.StringOutput
	// CertificateARN is empty without a Domain.
	CertificateARN pulumi.StringOutput
	// CertificateValidationRecord is the DNS record ACM checks, as
	// "name CNAME value"; without HostedZoneID the operator creates it
	// while the update waits. Empty without a Domain.
	CertificateValidationRecord pulumi.StringOutput
	// OriginHeaderValue is the secret CloudFront sends as
	// OriginHeaderName; for callers that check it elsewhere.
	OriginHeaderValue pulumi.StringOutput
	// ListenerRuleARN is the header rule (empty without ListenerARN).
	ListenerRuleARN pulumi.StringOutput

	WebACL *waf.WebACL
	// Shield is nil unless EdgeArgs.Shield was set.
	Shield *shield.Shield
}

// NewEdge builds the edge. Invalid args return an error naming every bad
// field and register nothing.
func NewEdge(ctx *pulumi.Context, name string, args *EdgeArgs, opts ...pulumi.ResourceOption) (*Edge, error) {
	a, err := args.validate(name)
	if err != nil {
		return nil, err
	}
	e := &Edge{}
	if err := ctx.RegisterComponentResource(TypeToken, name, e, opts...); err != nil {
		return nil, err
	}
	b := newEdgeBuilder(ctx, name, &a, e)

	secret, err := originSecret(ctx, name, b.parent)
	if err != nil {
		return nil, err
	}
	origins, err := b.staticOrigins()
	if err != nil {
		return nil, err
	}
	logs, err := logsFor(ctx, name, &a, b.tags, b.parent, b.east, b.stateful)
	if err != nil {
		return nil, err
	}
	oaiPolicies, err := b.oaiBucketPolicies(origins)
	if err != nil {
		return nil, err
	}
	viewer, err := b.viewer()
	if err != nil {
		return nil, err
	}
	acl, err := waf.NewWebACL(ctx, name, a.wafArgs(), b.parent...)
	if err != nil {
		return nil, err
	}
	dist, err := b.distribution(origins, secret, logs, acl, viewer, append([]pulumi.Resource{logs.acl}, oaiPolicies...))
	if err != nil {
		return nil, err
	}
	if err := b.oacPolicies(origins, dist.Arn); err != nil {
		return nil, err
	}
	if a.HostedZoneID != "" {
		if err := aliasRecords(ctx, name, &a, dist, b.parent); err != nil {
			return nil, err
		}
	}
	ruleARN, err := b.restrictALB(secret)
	if err != nil {
		return nil, err
	}
	if e.Shield, err = b.shieldAdvanced(dist); err != nil {
		return nil, err
	}

	e.setOutputs(&a, dist, origins, logs, acl, viewer, secret, ruleARN)
	if err := e.registerOutputs(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// edgeBuilder is what the parts of NewEdge share: the validated args and
// the resource options every part places its resources with.
type edgeBuilder struct {
	ctx  *pulumi.Context
	name string
	a    *EdgeArgs
	e    *Edge
	tags pulumi.StringMap
	// parent is the primary region, east us-east-1, replicaOpts the
	// replica's region; all below the component. stateful protects and
	// retains buckets and keys in production.
	parent, east, replicaOpts, stateful []pulumi.ResourceOption
}

func newEdgeBuilder(ctx *pulumi.Context, name string, a *EdgeArgs, e *Edge) *edgeBuilder {
	b := &edgeBuilder{
		ctx:         ctx,
		name:        name,
		a:           a,
		e:           e,
		tags:        pulumi.ToStringMap(a.Tags),
		parent:      []pulumi.ResourceOption{pulumi.Parent(e)},
		east:        []pulumi.ResourceOption{pulumi.Parent(e), pulumi.Provider(a.USEast1)},
		replicaOpts: []pulumi.ResourceOption{pulumi.Parent(e), pulumi.Provider(a.Replica)},
	}
	if a.Production {
		b.stateful = []pulumi.ResourceOption{pulumi.Protect(true), pulumi.RetainOnDelete(true)}
	}
	return b
}

// restrictALB makes the ALB answer only CloudFront: its security group
// admits CloudFront's prefix list, and its listener forwards only requests
// carrying the secret header. It returns the listener rule's ARN, empty
// without ListenerARN.
func (b *edgeBuilder) restrictALB(secret pulumi.StringOutput) (pulumi.StringOutput, error) {
	if b.a.OriginSecurityGroupID != nil {
		if _, err := admitCloudFront(b.ctx, b.name, b.a.OriginSecurityGroupID, b.a.OriginPort, b.parent); err != nil {
			return pulumi.StringOutput{}, err
		}
	}
	if b.a.ListenerARN == nil {
		return pulumi.String("").ToStringOutput(), nil
	}
	rule, err := requireHeader(b.ctx, b.name, b.a, secret, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return rule.Arn, nil
}

// shieldAdvanced protects the distribution (and the ALB) with Shield Advanced when
// EdgeArgs.Shield is set; nil otherwise. The health check uses the custom
// domain when there is one.
func (b *edgeBuilder) shieldAdvanced(dist *cloudfront.Distribution) (*shield.Shield, error) {
	if b.a.Shield == nil {
		return nil, nil
	}
	fqdn := dist.DomainName
	if b.a.Domain != "" {
		fqdn = pulumi.String(b.a.Domain).ToStringOutput()
	}
	return shield.NewShield(b.ctx, b.name, b.a.shieldArgs(dist.Arn, fqdn), b.parent...)
}

// setOutputs fills the component's outputs from its parts.
func (e *Edge) setOutputs(a *EdgeArgs, dist *cloudfront.Distribution, origins *staticOrigins, logs *logsBucket, acl *waf.WebACL, v *viewer, secret, ruleARN pulumi.StringOutput) {
	e.URL = pulumi.Sprintf("https://%s", dist.DomainName)
	if a.Domain != "" {
		e.URL = pulumi.String("https://" + a.Domain).ToStringOutput()
	}
	e.WebACL = acl
	e.DistributionID = dist.ID().ToStringOutput()
	e.DistributionARN = dist.Arn
	e.DomainName = dist.DomainName
	e.HostedZoneID = dist.HostedZoneId
	e.StaticBucket = origins.primary.bucket.Bucket
	e.StaticBucketARN = origins.primary.bucket.Arn
	e.ReplicaBucket = origins.replica.bucket.Bucket
	e.ReplicaBucketARN = origins.replica.bucket.Arn
	e.LogsBucket = logs.bucket.Bucket
	e.WebACLARN = acl.ARN
	e.CertificateARN = v.certificateARN
	e.CertificateValidationRecord = v.validationRecord
	e.OriginHeaderValue = secret
	e.ListenerRuleARN = ruleARN
}

func (e *Edge) registerOutputs(ctx *pulumi.Context) error {
	return ctx.RegisterResourceOutputs(e, pulumi.Map{
		"distributionId":              e.DistributionID,
		"distributionArn":             e.DistributionARN,
		"domainName":                  e.DomainName,
		"hostedZoneId":                e.HostedZoneID,
		"url":                         e.URL,
		"staticBucket":                e.StaticBucket,
		"replicaBucket":               e.ReplicaBucket,
		"logsBucket":                  e.LogsBucket,
		"webAclArn":                   e.WebACLARN,
		"certificateArn":              e.CertificateARN,
		"certificateValidationRecord": e.CertificateValidationRecord,
		"originHeaderValue":           e.OriginHeaderValue,
		"listenerRuleArn":             e.ListenerRuleARN,
	})
}

// logsFor builds the access-log bucket in the primary region, or in
// us-east-1 when CloudFront does not deliver logs to the primary region.
func logsFor(ctx *pulumi.Context, name string, a *EdgeArgs, tags pulumi.StringMap, parent, east, stateful []pulumi.ResourceOption) (*logsBucket, error) {
	opts, region := parent, a.Region
	if slices.Contains(noLogDeliveryRegions, a.Region) {
		opts, region = east, "us-east-1"
	}
	owner, err := s3.GetCanonicalUserId(ctx, invokeOpts(opts)...)
	if err != nil {
		return nil, problem.Errorf(component, name, "canonical user of the logs bucket owner: %w", err)
	}
	delivery, err := cloudfront.GetLogDeliveryCanonicalUserId(ctx, &cloudfront.GetLogDeliveryCanonicalUserIdArgs{Region: pulumi.StringRef(region)}, invokeOpts(opts)...)
	if err != nil {
		return nil, problem.Errorf(component, name, "CloudFront log delivery account: %w", err)
	}
	return newLogsBucket(ctx, name+"-logs", owner.Id, delivery.Id, tags, opts, stateful)
}
