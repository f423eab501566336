package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge/waf"
)

// viewer is how viewers reach the distribution: the CloudFront default
// certificate, or with a Domain that name as alias and its ACM
// certificate. certificateARN and validationRecord are empty without a
// Domain.
type viewer struct {
	certificate                      cloudfront.DistributionViewerCertificateArgs
	aliases                          pulumi.StringArray
	certificateARN, validationRecord pulumi.StringOutput
}

// viewer requests the Domain's certificate, if any.
func (b *edgeBuilder) viewer() (*viewer, error) {
	v := &viewer{
		certificate:      cloudfront.DistributionViewerCertificateArgs{CloudfrontDefaultCertificate: pulumi.Bool(true)},
		certificateARN:   pulumi.String("").ToStringOutput(),
		validationRecord: pulumi.String("").ToStringOutput(),
	}
	if b.a.Domain == "" {
		return v, nil
	}
	certARN, record, err := certificate(b.ctx, b.name, b.a, b.tags, b.east, b.parent)
	if err != nil {
		return nil, err
	}
	v.certificateARN, v.validationRecord = certARN, record
	v.certificate = cloudfront.DistributionViewerCertificateArgs{
		AcmCertificateArn:      certARN,
		SslSupportMethod:       pulumi.String("sni-only"),
		MinimumProtocolVersion: pulumi.String(MinimumTLS),
	}
	v.aliases = pulumi.StringArray{pulumi.String(b.a.Domain)}
	return v, nil
}

// distribution builds the distribution: the ALB as default origin, the S3
// origin group for static paths, the web ACL attached and standard logs on.
// dependsOn are resources it must wait for beyond its inputs.
func (b *edgeBuilder) distribution(origins *staticOrigins, secret pulumi.StringOutput, logs *logsBucket, acl *waf.WebACL, v *viewer, dependsOn []pulumi.Resource) (*cloudfront.Distribution, error) {
	appCache, appRequest := policiesFor(OriginApp)
	return cloudfront.NewDistribution(b.ctx, b.name, &cloudfront.DistributionArgs{
		Enabled:       pulumi.Bool(true),
		Comment:       pulumi.String(b.name + ": ALB for dynamic paths, replicated S3 origin group for static content"),
		Aliases:       v.aliases,
		IsIpv6Enabled: pulumi.Bool(true),
		HttpVersion:   pulumi.String("http2and3"),
		PriceClass:    pulumi.String(b.a.PriceClass),
		WebAclId:      acl.ARN,
		Origins: cloudfront.DistributionOriginArray{
			appOrigin(b.a, secret),
			origins.s3Origin(originPrimary, origins.primary),
			origins.s3Origin(originReplica, origins.replica),
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
		OrderedCacheBehaviors: orderedBehaviors(b.a.Behaviors),
		CustomErrorResponses:  errorResponses(b.a.ErrorPages),
		LoggingConfig: cloudfront.DistributionLoggingConfigArgs{
			Bucket:         logs.bucket.BucketDomainName,
			Prefix:         pulumi.String("cloudfront/"),
			IncludeCookies: pulumi.Bool(false),
		},
		Restrictions: cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
		},
		ViewerCertificate: v.certificate,
		Tags:              b.tags,
	}, append(append([]pulumi.ResourceOption{}, b.parent...), pulumi.DependsOn(dependsOn))...)
}

// appOrigin is the ALB origin. It carries the secret header the listener
// rule checks and is reached on OriginPort with the origin protocol.
func appOrigin(a *EdgeArgs, secret pulumi.StringOutput) cloudfront.DistributionOriginArgs {
	httpPort, httpsPort := 80, 443
	if a.OriginProtocolPolicy == HTTPSOnly {
		httpsPort = a.OriginPort
	} else {
		httpPort = a.OriginPort
	}
	return cloudfront.DistributionOriginArgs{
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
	}
}

// orderedBehaviors are the distribution's cache behaviours, in order.
func orderedBehaviors(behaviors []Behavior) cloudfront.DistributionOrderedCacheBehaviorArray {
	var ordered cloudfront.DistributionOrderedCacheBehaviorArray
	for _, b := range behaviors {
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
	return ordered
}

// errorResponses are the distribution's custom error responses, one per
// error page.
func errorResponses(pages []ErrorPage) cloudfront.DistributionCustomErrorResponseArray {
	var responses cloudfront.DistributionCustomErrorResponseArray
	for _, p := range pages {
		r := cloudfront.DistributionCustomErrorResponseArgs{
			ErrorCode:          pulumi.Int(p.ErrorCode),
			ResponsePagePath:   pulumi.String(p.PagePath),
			ErrorCachingMinTtl: pulumi.Int(p.CacheSeconds),
		}
		if p.ResponseCode != 0 {
			r.ResponseCode = pulumi.Int(p.ResponseCode)
		}
		responses = append(responses, r)
	}
	return responses
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
