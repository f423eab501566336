package edge

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge/shield"
	"github.com/hawebtier/hawebtier/aws/edge/waf"
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
	tags := pulumi.ToStringMap(a.Tags)
	parent := []pulumi.ResourceOption{pulumi.Parent(e)}
	east := []pulumi.ResourceOption{pulumi.Parent(e), pulumi.Provider(a.USEast1)}
	replicaOpts := []pulumi.ResourceOption{pulumi.Parent(e), pulumi.Provider(a.Replica)}
	var stateful []pulumi.ResourceOption
	if a.Production {
		stateful = []pulumi.ResourceOption{pulumi.Protect(true), pulumi.RetainOnDelete(true)}
	}

	secret, err := originSecret(ctx, name, parent)
	if err != nil {
		return nil, err
	}

	primary, err := newOriginBucket(ctx, name+"-static", &a, tags, parent, stateful)
	if err != nil {
		return nil, err
	}
	replica, err := newOriginBucket(ctx, name+"-static-replica", &a, tags, replicaOpts, stateful)
	if err != nil {
		return nil, err
	}
	replication, err := replicate(ctx, name+"-static", primary, replica, tags, parent)
	if err != nil {
		return nil, err
	}
	if err := maintenancePage(ctx, name, a.MaintenanceHTML, primary, replication); err != nil {
		return nil, err
	}

	var oai *cloudfront.OriginAccessIdentity
	var oac *cloudfront.OriginAccessControl
	if a.OriginAccess == OriginAccessOAI {
		oai, err = cloudfront.NewOriginAccessIdentity(ctx, name, &cloudfront.OriginAccessIdentityArgs{
			Comment: pulumi.String(name + ": reads the static buckets"),
		}, parent...)
	} else {
		oac, err = cloudfront.NewOriginAccessControl(ctx, name, &cloudfront.OriginAccessControlArgs{
			Name:                          pulumi.String(a.ResourceName),
			Description:                   pulumi.String(name + ": reads the static buckets"),
			OriginAccessControlOriginType: pulumi.String("s3"),
			SigningBehavior:               pulumi.String("always"),
			SigningProtocol:               pulumi.String("sigv4"),
		}, parent...)
	}
	if err != nil {
		return nil, err
	}

	logs, err := logsFor(ctx, name, &a, tags, parent, east, stateful)
	if err != nil {
		return nil, err
	}

	// With an OAI the policies need only the identity, so they exist before
	// the distribution serves its first request; with OAC they name the
	// distribution and follow it.
	distDeps := []pulumi.Resource{logs.acl}
	buckets := []*originBucket{primary, replica}
	if oai != nil {
		for i, ob := range buckets {
			p, err := bucketPolicy(ctx, bucketName(name, i), ob, readPolicy(ob.bucket.Arn, a.OriginAccess, oai, pulumi.StringOutput{}))
			if err != nil {
				return nil, err
			}
			distDeps = append(distDeps, p)
		}
	}

	e.CertificateARN = pulumi.String("").ToStringOutput()
	e.CertificateValidationRecord = pulumi.String("").ToStringOutput()
	viewer := cloudfront.DistributionViewerCertificateArgs{CloudfrontDefaultCertificate: pulumi.Bool(true)}
	var aliases pulumi.StringArray
	if a.Domain != "" {
		certARN, record, err := certificate(ctx, name, &a, tags, east, parent)
		if err != nil {
			return nil, err
		}
		e.CertificateARN, e.CertificateValidationRecord = certARN, record
		viewer = cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      certARN,
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String(MinimumTLS),
		}
		aliases = pulumi.StringArray{pulumi.String(a.Domain)}
	}

	acl, err := waf.NewWebACL(ctx, name, a.wafArgs(), parent...)
	if err != nil {
		return nil, err
	}

	s3Origin := func(id string, ob *originBucket) cloudfront.DistributionOriginArgs {
		o := cloudfront.DistributionOriginArgs{OriginId: pulumi.String(id), DomainName: ob.bucket.BucketRegionalDomainName}
		if oai != nil {
			o.S3OriginConfig = cloudfront.DistributionOriginS3OriginConfigArgs{OriginAccessIdentity: oai.CloudfrontAccessIdentityPath}
		} else {
			o.OriginAccessControlId = oac.ID()
		}
		return o
	}
	httpPort, httpsPort := 80, 443
	if a.OriginProtocolPolicy == HTTPSOnly {
		httpsPort = a.OriginPort
	} else {
		httpPort = a.OriginPort
	}
	var errorPages cloudfront.DistributionCustomErrorResponseArray
	for _, p := range a.ErrorPages {
		r := cloudfront.DistributionCustomErrorResponseArgs{
			ErrorCode:          pulumi.Int(p.ErrorCode),
			ResponsePagePath:   pulumi.String(p.PagePath),
			ErrorCachingMinTtl: pulumi.Int(p.CacheSeconds),
		}
		if p.ResponseCode != 0 {
			r.ResponseCode = pulumi.Int(p.ResponseCode)
		}
		errorPages = append(errorPages, r)
	}
	var ordered cloudfront.DistributionOrderedCacheBehaviorArray
	for _, b := range a.Behaviors {
		cache, request := policiesFor(b.Origin)
		ordered = append(ordered, cloudfront.DistributionOrderedCacheBehaviorArgs{
			PathPattern:           pulumi.String(b.PathPattern),
			TargetOriginId:        pulumi.String(string(b.Origin)),
			AllowedMethods:        pulumi.ToStringArray(b.Methods),
			CachedMethods:         pulumi.ToStringArray(MethodsRead),
			ViewerProtocolPolicy:  pulumi.String(string(b.ViewerProtocolPolicy)),
			CachePolicyId:         pulumi.String(cache),
			OriginRequestPolicyId: request,
			Compress:              pulumi.Bool(true),
		})
	}
	appCache, appRequest := policiesFor(OriginApp)
	dist, err := cloudfront.NewDistribution(ctx, name, &cloudfront.DistributionArgs{
		Enabled:       pulumi.Bool(true),
		Comment:       pulumi.String(name + ": ALB for dynamic paths, replicated S3 origin group for static content"),
		Aliases:       aliases,
		IsIpv6Enabled: pulumi.Bool(true),
		HttpVersion:   pulumi.String("http2and3"),
		PriceClass:    pulumi.String(a.PriceClass),
		WebAclId:      acl.ARN,
		Origins: cloudfront.DistributionOriginArray{
			cloudfront.DistributionOriginArgs{
				OriginId:   pulumi.String(string(OriginApp)),
				DomainName: a.OriginDomain,
				CustomOriginConfig: cloudfront.DistributionOriginCustomOriginConfigArgs{
					OriginProtocolPolicy: pulumi.String(string(a.OriginProtocolPolicy)),
					HttpPort:             pulumi.Int(httpPort),
					HttpsPort:            pulumi.Int(httpsPort),
					OriginSslProtocols:   pulumi.ToStringArray([]string{"TLSv1.2"}),
				},
				CustomHeaders: cloudfront.DistributionOriginCustomHeaderArray{cloudfront.DistributionOriginCustomHeaderArgs{
					Name:  pulumi.String(OriginHeaderName),
					Value: secret,
				}},
			},
			s3Origin(originPrimary, primary),
			s3Origin(originReplica, replica),
		},
		OriginGroups: cloudfront.DistributionOriginGroupArray{cloudfront.DistributionOriginGroupArgs{
			OriginId:         pulumi.String(string(OriginStatic)),
			FailoverCriteria: cloudfront.DistributionOriginGroupFailoverCriteriaArgs{StatusCodes: pulumi.ToIntArray(FailoverStatusCodes)},
			Members: cloudfront.DistributionOriginGroupMemberArray{
				cloudfront.DistributionOriginGroupMemberArgs{OriginId: pulumi.String(originPrimary)},
				cloudfront.DistributionOriginGroupMemberArgs{OriginId: pulumi.String(originReplica)},
			},
		}},
		DefaultCacheBehavior: cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:        pulumi.String(string(OriginApp)),
			AllowedMethods:        pulumi.ToStringArray(MethodsAll),
			CachedMethods:         pulumi.ToStringArray(MethodsRead),
			ViewerProtocolPolicy:  pulumi.String(string(RedirectToHTTPS)),
			CachePolicyId:         pulumi.String(appCache),
			OriginRequestPolicyId: appRequest,
			Compress:              pulumi.Bool(true),
		},
		OrderedCacheBehaviors: ordered,
		CustomErrorResponses:  errorPages,
		LoggingConfig: cloudfront.DistributionLoggingConfigArgs{
			Bucket:         logs.bucket.BucketDomainName,
			Prefix:         pulumi.String("cloudfront/"),
			IncludeCookies: pulumi.Bool(false),
		},
		Restrictions: cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
		},
		ViewerCertificate: viewer,
		Tags:              tags,
	}, append(append([]pulumi.ResourceOption{}, parent...), pulumi.DependsOn(distDeps))...)
	if err != nil {
		return nil, err
	}

	if oac != nil {
		for i, ob := range buckets {
			if _, err := bucketPolicy(ctx, bucketName(name, i), ob, readPolicy(ob.bucket.Arn, a.OriginAccess, nil, dist.Arn)); err != nil {
				return nil, err
			}
		}
		if a.KMS {
			account, err := aws.GetCallerIdentity(ctx, nil, pulumi.Parent(e))
			if err != nil {
				return nil, fmt.Errorf("edge: account id for the key policies: %w", err)
			}
			for i, ob := range buckets {
				if _, err := kms.NewKeyPolicy(ctx, bucketName(name, i), &kms.KeyPolicyArgs{
					KeyId:  ob.key.KeyId,
					Policy: keyPolicy(account.AccountId, dist.Arn),
				}, ob.opts...); err != nil {
					return nil, err
				}
			}
		}
	}
	if a.HostedZoneID != "" {
		if err := aliasRecords(ctx, name, &a, dist, parent); err != nil {
			return nil, err
		}
	}

	if a.OriginSecurityGroupID != nil {
		if _, err := admitCloudFront(ctx, name, a.OriginSecurityGroupID, a.OriginPort, parent); err != nil {
			return nil, err
		}
	}
	e.ListenerRuleARN = pulumi.String("").ToStringOutput()
	if a.ListenerARN != nil {
		rule, err := requireHeader(ctx, name, &a, secret, parent)
		if err != nil {
			return nil, err
		}
		e.ListenerRuleARN = rule.Arn
	}

	e.URL = pulumi.Sprintf("https://%s", dist.DomainName)
	if a.Domain != "" {
		e.URL = pulumi.String("https://" + a.Domain).ToStringOutput()
	}
	if a.Shield != nil {
		fqdn := dist.DomainName
		if a.Domain != "" {
			fqdn = pulumi.String(a.Domain).ToStringOutput()
		}
		e.Shield, err = shield.NewShield(ctx, name, a.shieldArgs(dist.Arn, fqdn), parent...)
		if err != nil {
			return nil, err
		}
	}

	e.WebACL = acl
	e.DistributionID = dist.ID().ToStringOutput()
	e.DistributionARN = dist.Arn
	e.DomainName = dist.DomainName
	e.HostedZoneID = dist.HostedZoneId
	e.StaticBucket = primary.bucket.Bucket
	e.StaticBucketARN = primary.bucket.Arn
	e.ReplicaBucket = replica.bucket.Bucket
	e.ReplicaBucketARN = replica.bucket.Arn
	e.LogsBucket = logs.bucket.Bucket
	e.WebACLARN = acl.ARN
	e.OriginHeaderValue = secret
	if err := ctx.RegisterResourceOutputs(e, pulumi.Map{
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
	}); err != nil {
		return nil, err
	}
	return e, nil
}

func bucketName(name string, i int) string {
	return []string{name + "-static", name + "-static-replica"}[i]
}

// bucketPolicy attaches the read policy after the public-access blocks, so
// S3 never evaluates it against an unblocked bucket.
func bucketPolicy(ctx *pulumi.Context, name string, ob *originBucket, policy pulumi.StringOutput) (*s3.BucketPolicy, error) {
	return s3.NewBucketPolicy(ctx, name, &s3.BucketPolicyArgs{
		Bucket: ob.bucket.ID(),
		Policy: policy,
	}, append(append([]pulumi.ResourceOption{}, ob.opts...), pulumi.DependsOn([]pulumi.Resource{ob.blocks}))...)
}

// policiesFor picks the managed cache and origin request policies: the app
// decides nothing is cached and receives every viewer header except Host
// (the ALB's certificate names its own host); S3 content is cached and
// receives nothing extra.
func policiesFor(o Origin) (cache string, request pulumi.StringPtrInput) {
	if o == OriginApp {
		return CachingDisabled, pulumi.String(AllViewerExceptHostHeader)
	}
	return CachingOptimized, nil
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
		return nil, fmt.Errorf("edge: canonical user of the logs bucket owner: %w", err)
	}
	delivery, err := cloudfront.GetLogDeliveryCanonicalUserId(ctx, &cloudfront.GetLogDeliveryCanonicalUserIdArgs{Region: pulumi.StringRef(region)}, invokeOpts(opts)...)
	if err != nil {
		return nil, fmt.Errorf("edge: CloudFront log delivery account: %w", err)
	}
	return newLogsBucket(ctx, name+"-logs", owner.Id, delivery.Id, tags, opts, stateful)
}
