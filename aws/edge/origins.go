package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
)

// staticOrigins are the two buckets of the static origin group and the
// identity CloudFront reads them with: oai with OriginAccessOAI, oac with
// OriginAccessOAC (the other is nil).
type staticOrigins struct {
	primary, replica *originBucket
	oai              *cloudfront.OriginAccessIdentity
	oac              *cloudfront.OriginAccessControl
}

// buckets lists primary and replica in bucketName's order.
func (s *staticOrigins) buckets() []*originBucket {
	return []*originBucket{s.primary, s.replica}
}

// s3Origin is the distribution's origin for one of the buckets, read with
// the OAI or signed with the OAC.
func (s *staticOrigins) s3Origin(id string, ob *originBucket) cloudfront.DistributionOriginArgs {
	o := cloudfront.DistributionOriginArgs{OriginId: pulumi.String(id), DomainName: ob.bucket.BucketRegionalDomainName}
	if s.oai != nil {
		o.S3OriginConfig = cloudfront.DistributionOriginS3OriginConfigArgs{OriginAccessIdentity: s.oai.CloudfrontAccessIdentityPath}
	} else {
		o.OriginAccessControlId = s.oac.ID()
	}
	return o
}

// staticOrigins builds the primary bucket, its replica in the second
// region, the replication between them, the maintenance page and the
// Origin Access Identity or Control.
func (b *edgeBuilder) staticOrigins() (*staticOrigins, error) {
	primary, err := newOriginBucket(b.ctx, b.name+"-static", b.a, b.tags, b.parent, b.stateful)
	if err != nil {
		return nil, err
	}
	replica, err := newOriginBucket(b.ctx, b.name+"-static-replica", b.a, b.tags, b.replicaOpts, b.stateful)
	if err != nil {
		return nil, err
	}
	replication, err := replicate(b.ctx, b.name+"-static", primary, replica, b.tags, b.parent)
	if err != nil {
		return nil, err
	}
	if err := maintenancePage(b.ctx, b.name, b.a.MaintenanceHTML, primary, replication); err != nil {
		return nil, err
	}
	s := &staticOrigins{primary: primary, replica: replica}
	if b.a.OriginAccess == OriginAccessOAI {
		s.oai, err = cloudfront.NewOriginAccessIdentity(b.ctx, b.name, &cloudfront.OriginAccessIdentityArgs{
			Comment: pulumi.String(b.name + ": reads the static buckets"),
		}, b.parent...)
	} else {
		s.oac, err = cloudfront.NewOriginAccessControl(b.ctx, b.name, &cloudfront.OriginAccessControlArgs{
			Name:                          pulumi.String(b.a.ResourceName),
			Description:                   pulumi.String(b.name + ": reads the static buckets"),
			OriginAccessControlOriginType: pulumi.String("s3"),
			SigningBehavior:               pulumi.String("always"),
			SigningProtocol:               pulumi.String("sigv4"),
		}, b.parent...)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// oaiBucketPolicies grants the OAI read access to both buckets and returns
// the policies for the distribution to depend on; with OAC it does nothing
// (see oacPolicies). With an OAI the policies need only the identity, so
// they exist before the distribution serves its first request; with OAC
// they name the distribution and follow it.
func (b *edgeBuilder) oaiBucketPolicies(s *staticOrigins) ([]pulumi.Resource, error) {
	if s.oai == nil {
		return nil, nil
	}
	var policies []pulumi.Resource
	for i, ob := range s.buckets() {
		p, err := bucketPolicy(b.ctx, bucketName(b.name, i), ob, readPolicy(ob.bucket.Arn, b.a.OriginAccess, s.oai, pulumi.StringOutput{}))
		if err != nil {
			return nil, err
		}
		policies = append(policies, p)
	}
	return policies, nil
}

// oacPolicies grants this distribution read access to both buckets and,
// with KMS, use of their keys; with an OAI it does nothing (see
// oaiBucketPolicies).
func (b *edgeBuilder) oacPolicies(s *staticOrigins, distributionARN pulumi.StringOutput) error {
	if s.oac == nil {
		return nil
	}
	for i, ob := range s.buckets() {
		if _, err := bucketPolicy(b.ctx, bucketName(b.name, i), ob, readPolicy(ob.bucket.Arn, b.a.OriginAccess, nil, distributionARN)); err != nil {
			return err
		}
	}
	if !b.a.KMS {
		return nil
	}
	account, err := aws.GetCallerIdentity(b.ctx, nil, pulumi.Parent(b.e))
	if err != nil {
		return problem.Errorf(component, b.name, "account id for the key policies: %w", err)
	}
	for i, ob := range s.buckets() {
		if _, err := kms.NewKeyPolicy(b.ctx, bucketName(b.name, i), &kms.KeyPolicyArgs{
			KeyId:  ob.key.KeyId,
			Policy: keyPolicy(account.AccountId, distributionARN),
		}, ob.opts...); err != nil {
			return err
		}
	}
	return nil
}

// bucketName is the name of the primary (0) or replica (1) bucket and of
// the resources that belong to it.
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
