package edge

import (
	"encoding/json"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// originBucket is one S3 origin: private, versioned, encrypted.
type originBucket struct {
	bucket     *s3.BucketV2
	versioning *s3.BucketVersioningV2
	blocks     *s3.BucketPublicAccessBlock
	encryption *s3.BucketServerSideEncryptionConfigurationV2
	key        *kms.Key // nil without KMS
	opts       []pulumi.ResourceOption
}

// newOriginBucket builds a bucket CloudFront reads. opts carry the parent
// and the region's provider; stateful adds protection in production.
func newOriginBucket(ctx *pulumi.Context, name string, a *EdgeArgs, tags pulumi.StringMap, opts, stateful []pulumi.ResourceOption) (*originBucket, error) {
	ob := &originBucket{opts: opts}
	var err error
	ob.bucket, err = s3.NewBucketV2(ctx, name, &s3.BucketV2Args{
		ForceDestroy: pulumi.Bool(!a.Production),
		Tags:         tags,
	}, append(stateful, opts...)...)
	if err != nil {
		return nil, err
	}
	on := append([]pulumi.ResourceOption{}, opts...)
	ob.blocks, err = blockPublicAccess(ctx, name, ob.bucket, on)
	if err != nil {
		return nil, err
	}
	// ACLs off: OAC requires "bucket owner enforced", and nothing here
	// needs object ACLs.
	if _, err := s3.NewBucketOwnershipControls(ctx, name, &s3.BucketOwnershipControlsArgs{
		Bucket: ob.bucket.ID(),
		Rule:   s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, on...); err != nil {
		return nil, err
	}
	ob.versioning, err = s3.NewBucketVersioningV2(ctx, name, &s3.BucketVersioningV2Args{
		Bucket:                  ob.bucket.ID(),
		VersioningConfiguration: s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, on...)
	if err != nil {
		return nil, err
	}
	sse := s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{SseAlgorithm: pulumi.String("AES256")}
	if a.KMS {
		ob.key, err = kms.NewKey(ctx, name, &kms.KeyArgs{
			Description:          pulumi.String(name + ": static content read by CloudFront through OAC"),
			EnableKeyRotation:    pulumi.Bool(true),
			DeletionWindowInDays: pulumi.Int(30),
			Tags:                 tags,
		}, append(stateful, opts...)...)
		if err != nil {
			return nil, err
		}
		sse = s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
			SseAlgorithm:   pulumi.String("aws:kms"),
			KmsMasterKeyId: ob.key.Arn,
		}
	}
	ob.encryption, err = s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name, &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: ob.bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: sse,
			// Bucket keys cut KMS requests (and cost) for busy buckets.
			BucketKeyEnabled: pulumi.Bool(a.KMS),
		}},
	}, on...)
	if err != nil {
		return nil, err
	}
	return ob, nil
}

// readPolicy grants s3:GetObject to CloudFront alone: the OAI's IAM ARN,
// or for OAC the CloudFront service principal acting for this
// distribution. No statement names "*".
func readPolicy(bucketARN pulumi.StringOutput, access OriginAccess, oai *cloudfront.OriginAccessIdentity, distributionARN pulumi.StringOutput) pulumi.StringOutput {
	if access == OriginAccessOAI {
		return pulumi.All(bucketARN, oai.IamArn).ApplyT(func(v []any) (string, error) {
			return policyJSON([]map[string]any{{
				"Sid":       "CloudFrontOAIRead",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": v[1].(string)},
				"Action":    "s3:GetObject",
				"Resource":  v[0].(string) + "/*",
			}})
		}).(pulumi.StringOutput)
	}
	return pulumi.All(bucketARN, distributionARN).ApplyT(func(v []any) (string, error) {
		return policyJSON([]map[string]any{{
			"Sid":       "CloudFrontOACRead",
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "cloudfront.amazonaws.com"},
			"Action":    "s3:GetObject",
			"Resource":  v[0].(string) + "/*",
			"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": v[1].(string)}},
		}})
	}).(pulumi.StringOutput)
}

// keyPolicy keeps the account in charge of the key (so IAM policies, such
// as the replication role's, apply) and lets CloudFront decrypt for this
// distribution only.
func keyPolicy(accountID string, distributionARN pulumi.StringOutput) pulumi.StringOutput {
	return distributionARN.ApplyT(func(dist string) (string, error) {
		return policyJSON([]map[string]any{
			{
				"Sid":       "AccountAdministers",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": "arn:aws:iam::" + accountID + ":root"},
				"Action":    "kms:*",
				"Resource":  "*",
			},
			{
				"Sid":       "CloudFrontOACDecrypt",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "cloudfront.amazonaws.com"},
				"Action":    "kms:Decrypt",
				"Resource":  "*",
				"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": dist}},
			},
		})
	}).(pulumi.StringOutput)
}

func policyJSON(statements []map[string]any) (string, error) {
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	return string(b), err
}

// replicate copies every object of primary to replica. S3 refuses a
// replication configuration until both buckets are versioned, so it
// depends on both versioning resources, not just the buckets.
func replicate(ctx *pulumi.Context, name string, primary, replica *originBucket, tags pulumi.StringMap, opts []pulumi.ResourceOption) (*s3.BucketReplicationConfig, error) {
	assume, _ := policyJSON([]map[string]any{{
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": "s3.amazonaws.com"},
		"Action":    "sts:AssumeRole",
	}})
	role, err := iam.NewRole(ctx, name+"-replication", &iam.RoleArgs{
		Description:      pulumi.String(name + ": S3 replication of the static bucket to its failover copy"),
		AssumeRolePolicy: pulumi.String(assume),
		Tags:             tags,
	}, opts...)
	if err != nil {
		return nil, err
	}
	keyARN := func(ob *originBucket) pulumi.StringInput {
		if ob.key == nil {
			return pulumi.String("")
		}
		return ob.key.Arn
	}
	policy := pulumi.All(primary.bucket.Arn, replica.bucket.Arn, keyARN(primary), keyARN(replica)).ApplyT(func(v []any) (string, error) {
		src, dst, srcKey, dstKey := v[0].(string), v[1].(string), v[2].(string), v[3].(string)
		st := []map[string]any{
			{"Effect": "Allow", "Action": []string{"s3:GetReplicationConfiguration", "s3:ListBucket"}, "Resource": src},
			{"Effect": "Allow", "Action": []string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"}, "Resource": src + "/*"},
			{"Effect": "Allow", "Action": []string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"}, "Resource": dst + "/*"},
		}
		if srcKey != "" {
			st = append(st,
				map[string]any{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": srcKey},
				map[string]any{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": dstKey})
		}
		return policyJSON(st)
	}).(pulumi.StringOutput)
	rp, err := iam.NewRolePolicy(ctx, name+"-replication", &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, opts...)
	if err != nil {
		return nil, err
	}
	rule := s3.BucketReplicationConfigRuleArgs{
		Id:                      pulumi.String("failover-copy"),
		Status:                  pulumi.String("Enabled"),
		Filter:                  s3.BucketReplicationConfigRuleFilterArgs{Prefix: pulumi.String("")},
		DeleteMarkerReplication: s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs{Status: pulumi.String("Enabled")},
		Destination:             s3.BucketReplicationConfigRuleDestinationArgs{Bucket: replica.bucket.Arn, StorageClass: pulumi.String("STANDARD")},
	}
	if primary.key != nil {
		rule.SourceSelectionCriteria = s3.BucketReplicationConfigRuleSourceSelectionCriteriaArgs{
			SseKmsEncryptedObjects: s3.BucketReplicationConfigRuleSourceSelectionCriteriaSseKmsEncryptedObjectsArgs{Status: pulumi.String("Enabled")},
		}
		rule.Destination = s3.BucketReplicationConfigRuleDestinationArgs{
			Bucket:                  replica.bucket.Arn,
			StorageClass:            pulumi.String("STANDARD"),
			EncryptionConfiguration: s3.BucketReplicationConfigRuleDestinationEncryptionConfigurationArgs{ReplicaKmsKeyId: replica.key.Arn},
		}
	}
	return s3.NewBucketReplicationConfig(ctx, name, &s3.BucketReplicationConfigArgs{
		Bucket: primary.bucket.ID(),
		Role:   role.Arn,
		Rules:  s3.BucketReplicationConfigRuleArray{rule},
	}, append(append([]pulumi.ResourceOption{}, opts...), pulumi.DependsOn([]pulumi.Resource{primary.versioning, replica.versioning, rp}))...)
}

// logsBucket receives CloudFront standard logs. CloudFront writes them
// through the bucket ACL as the awslogsdelivery account, so unlike the
// origin buckets this one keeps ACLs enabled (BucketOwnerPreferred) and
// grants that account FULL_CONTROL next to the owner. Public access stays
// blocked: neither grant is public.
type logsBucket struct {
	bucket *s3.BucketV2
	acl    *s3.BucketAclV2
}

// LogRetentionDays is how long the access logs are kept.
const LogRetentionDays = 90

func newLogsBucket(ctx *pulumi.Context, name, ownerCanonicalID, logDeliveryCanonicalID string, tags pulumi.StringMap, opts, stateful []pulumi.ResourceOption) (*logsBucket, error) {
	out := &logsBucket{}
	var err error
	out.bucket, err = s3.NewBucketV2(ctx, name, &s3.BucketV2Args{Tags: tags}, append(stateful, opts...)...)
	if err != nil {
		return nil, err
	}
	if _, err := blockPublicAccess(ctx, name, out.bucket, opts); err != nil {
		return nil, err
	}
	owner, err := s3.NewBucketOwnershipControls(ctx, name, &s3.BucketOwnershipControlsArgs{
		Bucket: out.bucket.ID(),
		Rule:   s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerPreferred")},
	}, opts...)
	if err != nil {
		return nil, err
	}
	canonical := func(id string) s3.BucketAclV2AccessControlPolicyGrantGranteeArgs {
		return s3.BucketAclV2AccessControlPolicyGrantGranteeArgs{Type: pulumi.String("CanonicalUser"), Id: pulumi.String(id)}
	}
	out.acl, err = s3.NewBucketAclV2(ctx, name, &s3.BucketAclV2Args{
		Bucket: out.bucket.ID(),
		AccessControlPolicy: s3.BucketAclV2AccessControlPolicyArgs{
			Owner: s3.BucketAclV2AccessControlPolicyOwnerArgs{Id: pulumi.String(ownerCanonicalID)},
			Grants: s3.BucketAclV2AccessControlPolicyGrantArray{
				s3.BucketAclV2AccessControlPolicyGrantArgs{Grantee: canonical(ownerCanonicalID), Permission: pulumi.String("FULL_CONTROL")},
				s3.BucketAclV2AccessControlPolicyGrantArgs{Grantee: canonical(logDeliveryCanonicalID), Permission: pulumi.String("FULL_CONTROL")},
			},
		},
	}, append(append([]pulumi.ResourceOption{}, opts...), pulumi.DependsOn([]pulumi.Resource{owner}))...)
	if err != nil {
		return nil, err
	}
	// SSE-S3: CloudFront cannot write to SSE-KMS log buckets without a
	// key policy for the log delivery service.
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name, &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: out.bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{SseAlgorithm: pulumi.String("AES256")},
		}},
	}, opts...); err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, name, &s3.BucketLifecycleConfigurationV2Args{
		Bucket: out.bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:         pulumi.String("expire-access-logs"),
			Status:     pulumi.String("Enabled"),
			Filter:     s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
			Expiration: s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(LogRetentionDays)},
		}},
	}, opts...); err != nil {
		return nil, err
	}
	return out, nil
}

// blockPublicAccess turns on all four public-access blocks of a bucket.
func blockPublicAccess(ctx *pulumi.Context, name string, b *s3.BucketV2, opts []pulumi.ResourceOption) (*s3.BucketPublicAccessBlock, error) {
	return s3.NewBucketPublicAccessBlock(ctx, name, &s3.BucketPublicAccessBlockArgs{
		Bucket:                b.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, opts...)
}

// DefaultMaintenanceHTML is the page uploaded to MaintenancePage unless
// EdgeArgs.MaintenanceHTML replaces it.
const DefaultMaintenanceHTML = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"/><title>Down for maintenance</title></head>
<body><h1>We'll be back soon</h1><p>The service is down for maintenance. Please try again in a few minutes.</p></body>
</html>
`

// maintenancePage uploads the page after replication is configured, so
// S3 copies it to the replica (replication only covers new writes).
func maintenancePage(ctx *pulumi.Context, name, html string, primary *originBucket, replication *s3.BucketReplicationConfig) error {
	_, err := s3.NewBucketObjectv2(ctx, name+"-maintenance", &s3.BucketObjectv2Args{
		Bucket:       primary.bucket.ID(),
		Key:          pulumi.String(strings.TrimPrefix(MaintenancePage, "/")),
		Content:      pulumi.String(html),
		ContentType:  pulumi.String("text/html; charset=utf-8"),
		CacheControl: pulumi.String("max-age=60"),
	}, append(append([]pulumi.ResourceOption{}, primary.opts...), pulumi.DependsOn([]pulumi.Resource{replication, primary.encryption}))...)
	return err
}
