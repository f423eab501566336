package edge_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/edge"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

const (
	tDist        = "aws:cloudfront/distribution:Distribution"
	tOAI         = "aws:cloudfront/originAccessIdentity:OriginAccessIdentity"
	tOAC         = "aws:cloudfront/originAccessControl:OriginAccessControl"
	tBucket      = "aws:s3/bucketV2:BucketV2"
	tPolicy      = "aws:s3/bucketPolicy:BucketPolicy"
	tPAB         = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tVersioning  = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	tReplication = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
	tSSE         = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tOwnership   = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	tACL         = "aws:s3/bucketAclV2:BucketAclV2"
	tPassword    = "random:index/randomPassword:RandomPassword"
	tIngress     = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tRule        = "aws:lb/listenerRule:ListenerRule"
	tWebACL      = "aws:wafv2/webAcl:WebAcl"
	tCert        = "aws:acm/certificate:Certificate"
	tCertValid   = "aws:acm/certificateValidation:CertificateValidation"
	tRecord      = "aws:route53/record:Record"
	tAlarm       = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tProvider    = "pulumi:providers:aws"
	tKey         = "aws:kms/key:Key"
	tKeyPolicy   = "aws:kms/keyPolicy:KeyPolicy"

	albSG       = "sg-0alb000000000001"
	listenerARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/0123/4567"
	tgARN       = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/89ab"
	albARN      = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123"
)

// validArgs are the args of a complete edge in front of an ALB; the
// providers are made in the program because they are resources.
func validArgs(ctx *pulumi.Context) (*edge.EdgeArgs, error) {
	east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
	if err != nil {
		return nil, err
	}
	replica, err := aws.NewProvider(ctx, "replica", &aws.ProviderArgs{Region: pulumi.String("eu-central-1")})
	if err != nil {
		return nil, err
	}
	return &edge.EdgeArgs{
		OriginDomain:          pulumi.String("web-0123.eu-west-1.elb.amazonaws.com"),
		OriginSecurityGroupID: pulumi.String(albSG),
		ListenerARN:           pulumi.String(listenerARN),
		TargetGroupARN:        pulumi.String(tgARN),
		LoadBalancerARN:       pulumi.String(albARN),
		Region:                "eu-west-1",
		ReplicaRegion:         "eu-central-1",
		USEast1:               east,
		Replica:               replica,
	}, nil
}

type outputs struct {
	mu                                    sync.Mutex
	distARN, webACLARN, header, staticARN string
	replicaARN, domainName, url, certARN  string
	validation                            string
}

// run builds an edge from validArgs changed by mutate.
func run(t *testing.T, mutate func(*edge.EdgeArgs)) (*mocktest.Result, *outputs, error) {
	t.Helper()
	o := &outputs{}
	res, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
		args, err := validArgs(ctx)
		if err != nil {
			return err
		}
		if mutate != nil {
			mutate(args)
		}
		e, err := edge.NewEdge(ctx, "edge", args)
		if err != nil {
			return err
		}
		pulumi.All(e.DistributionARN, e.WebACLARN, e.OriginHeaderValue, e.StaticBucketARN, e.ReplicaBucketARN, e.DomainName, e.URL, e.CertificateARN, e.CertificateValidationRecord).ApplyT(func(v []any) error {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.distARN, o.webACLARN, o.header, o.staticARN = v[0].(string), v[1].(string), v[2].(string), v[3].(string)
			o.replicaARN, o.domainName, o.url, o.certARN = v[4].(string), v[5].(string), v[6].(string), v[7].(string)
			o.validation = v[8].(string)
			return nil
		})
		return nil
	}, mocktest.Options{})
	return res, o, err
}

func mustRun(t *testing.T, mutate func(*edge.EdgeArgs)) (*mocktest.Result, *outputs) {
	t.Helper()
	res, o, err := run(t, mutate)
	if err != nil {
		t.Fatal(err)
	}
	return res, o
}

func providerURN(res *mocktest.Result, name string) string {
	return res.Find(tProvider, name).URN
}

type policyDoc struct {
	Statement []struct {
		Effect    string
		Principal any
		Action    any
		Resource  any
		Condition map[string]map[string]string
	}
}

func parsePolicy(t *testing.T, s string) policyDoc {
	t.Helper()
	var p policyDoc
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		t.Fatalf("policy %q: %v", s, err)
	}
	return p
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
