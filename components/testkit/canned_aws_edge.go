package testkit

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Canned answers for aws/edge: the attributes AWS computes for CloudFront,
// S3, ACM, WAF, Shield and Route 53 resources, and the lookups the edge makes
// (CloudFront's origin-facing prefix list, canonical user ids).

// Fixed values of the edge lookups.
const (
	// CloudFrontOriginFacingPrefixList is the id the harness returns for
	// com.amazonaws.global.cloudfront.origin-facing.
	CloudFrontOriginFacingPrefixList = "pl-4fa04526"
	// CloudFrontLogDeliveryCanonicalUser is the awslogsdelivery account's
	// canonical user id, which CloudFront standard logging writes as.
	CloudFrontLogDeliveryCanonicalUser = "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0"
	// S3CanonicalUser is the canonical user id of the harness's account.
	S3CanonicalUser = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
	// CloudFrontHostedZoneID is the Route 53 zone of every CloudFront
	// distribution's domain name.
	CloudFrontHostedZoneID = "Z2FDTNDATAQYW2"
)

func init() {
	RegisterInvoke("aws:ec2/getManagedPrefixList:getManagedPrefixList", func(args resource.PropertyMap) (resource.PropertyMap, error) {
		name, _ := PlainMap(args)["name"].(string)
		return Props(map[string]any{
			"id": CloudFrontOriginFacingPrefixList, "name": name, "addressFamily": "IPv4", "maxEntries": 55,
			"ownerId": "AWS", "version": 1,
			"arn": "arn:aws:ec2:" + AWSRegion + ":aws:prefix-list/" + CloudFrontOriginFacingPrefixList,
		}), nil
	})
	RegisterInvoke("aws:cloudfront/getLogDeliveryCanonicalUserId:getLogDeliveryCanonicalUserId", func(args resource.PropertyMap) (resource.PropertyMap, error) {
		return Props(map[string]any{"id": CloudFrontLogDeliveryCanonicalUser}), nil
	})
	RegisterInvoke("aws:s3/getCanonicalUserId:getCanonicalUserId", func(args resource.PropertyMap) (resource.PropertyMap, error) {
		return Props(map[string]any{"id": S3CanonicalUser, "displayName": "ci"}), nil
	})

	RegisterState("aws:s3/bucketV2:BucketV2", func(name string, in resource.PropertyMap) resource.PropertyMap {
		b := inputOr(in, "bucket", strings.ToLower(name)+"-"+shortHash(name)[:7])
		return Props(map[string]any{
			"bucket":                   b,
			"arn":                      "arn:aws:s3:::" + b,
			"bucketDomainName":         b + ".s3.amazonaws.com",
			"bucketRegionalDomainName": b + ".s3." + AWSRegion + ".amazonaws.com",
		})
	})
	RegisterState("aws:cloudfront/distribution:Distribution", func(name string, in resource.PropertyMap) resource.PropertyMap {
		id := "E" + strings.ToUpper(shortHash(name)[:13])
		return Props(map[string]any{
			"arn":          "arn:aws:cloudfront::" + AWSAccountID + ":distribution/" + id,
			"domainName":   "d" + shortHash(name)[:13] + ".cloudfront.net",
			"hostedZoneId": CloudFrontHostedZoneID,
			"status":       "Deployed",
		})
	})
	RegisterState("aws:cloudfront/originAccessIdentity:OriginAccessIdentity", func(name string, in resource.PropertyMap) resource.PropertyMap {
		id := "E" + strings.ToUpper(shortHash(name)[:13])
		return Props(map[string]any{
			"arn":                          "arn:aws:cloudfront::" + AWSAccountID + ":origin-access-identity/" + id,
			"iamArn":                       "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity " + id,
			"cloudfrontAccessIdentityPath": "origin-access-identity/cloudfront/" + id,
			"s3CanonicalUserId":            shortHash(name) + shortHash(id) + shortHash(name+id) + shortHash(id+name),
		})
	})
	RegisterState("aws:acm/certificate:Certificate", func(name string, in resource.PropertyMap) resource.PropertyMap {
		domain, _ := PlainMap(in)["domainName"].(string)
		h := shortHash(domain)
		return Props(map[string]any{
			"arn": "arn:aws:acm:us-east-1:" + AWSAccountID + ":certificate/" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-0000-" + shortHash(name)[:12],
			"domainValidationOptions": []any{map[string]any{
				"domainName":          domain,
				"resourceRecordName":  "_" + h[:12] + "." + domain + ".",
				"resourceRecordType":  "CNAME",
				"resourceRecordValue": "_" + h[4:16] + ".acm-validations.aws.",
			}},
		})
	})
	RegisterState("aws:route53/record:Record", func(name string, in resource.PropertyMap) resource.PropertyMap {
		n, _ := PlainMap(in)["name"].(string)
		return Props(map[string]any{"fqdn": strings.TrimSuffix(n, ".")})
	})
	RegisterState("aws:route53/healthCheck:HealthCheck", func(name string, in resource.PropertyMap) resource.PropertyMap {
		return Props(map[string]any{"arn": "arn:aws:route53:::healthcheck/" + DeterministicID("aws:route53/healthCheck:HealthCheck", name)})
	})
	RegisterState("aws:wafv2/webAcl:WebAcl", func(name string, in resource.PropertyMap) resource.PropertyMap {
		n := inputOr(in, "name", name)
		return Props(map[string]any{
			"arn":      "arn:aws:wafv2:us-east-1:" + AWSAccountID + ":global/webacl/" + n + "/" + DeterministicID("aws:wafv2/webAcl:WebAcl", name),
			"capacity": 1400,
		})
	})
	RegisterState("aws:sns/topic:Topic", func(name string, in resource.PropertyMap) resource.PropertyMap {
		n := inputOr(in, "name", name)
		return Props(map[string]any{"name": n, "arn": "arn:aws:sns:" + AWSRegion + ":" + AWSAccountID + ":" + n})
	})
	RegisterState("aws:kms/key:Key", func(name string, in resource.PropertyMap) resource.PropertyMap {
		h := shortHash(name)
		id := h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + shortHash(h)[:4] + "-" + shortHash(h)[4:16]
		return Props(map[string]any{"keyId": id, "arn": "arn:aws:kms:" + AWSRegion + ":" + AWSAccountID + ":key/" + id})
	})
}
