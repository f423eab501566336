package account

import (
	"fmt"
	"strings"

	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// Scope says where AWS keeps a name unique.
type Scope string

// Scopes of uniqueness.
const (
	Global        Scope = "global"         // every account (S3 bucket names)
	Account       Scope = "account"        // one account, every region (IAM)
	AccountRegion Scope = "account+region" // one account and region
)

// Rule is one kind of object that AWS keys by name or deduplicates, and how
// to read its identity from a resource's inputs.
type Rule struct {
	Type   string // the Pulumi resource type
	Object string // what AWS calls it
	Scope  Scope
	// Identity returns the object's key from the resource's plain inputs,
	// or "" when the resource claims none (an autonamed resource: the engine
	// adds a random suffix).
	Identity func(in map[string]any) string
	Source   string // where the rule comes from
}

func input(name string) func(map[string]any) string {
	return func(in map[string]any) string {
		s, _ := in[name].(string)
		return s
	}
}

func singleton(map[string]any) string { return "the account's" }

// Rules are the objects the account view checks. A resource type may
// claim several (an RDS instance its identifier and its final snapshot).
var Rules = []Rule{
	{"aws:wafv2/webAcl:WebAcl", "WAFv2 web ACL", AccountRegion, func(in map[string]any) string {
		if n := input("name")(in); n != "" {
			return fmt.Sprint(in["scope"]) + "/" + n
		}
		return ""
	}, "WAFv2 API CreateWebACL: WAFDuplicateItemException for a name already used in the scope (CLOUDFRONT lives in us-east-1)"},
	{"aws:cloudwatch/logGroup:LogGroup", "CloudWatch Logs log group", AccountRegion, input("name"), "CloudWatch Logs API CreateLogGroup: ResourceAlreadyExistsException"},
	{"aws:iam/role:Role", "IAM role", Account, input("name"), "IAM API CreateRole: EntityAlreadyExists (role names are unique in the account)"},
	{"aws:iam/instanceProfile:InstanceProfile", "IAM instance profile", Account, input("name"), "IAM API CreateInstanceProfile: EntityAlreadyExists"},
	{"aws:dms/replicationInstance:ReplicationInstance", "DMS replication instance", AccountRegion, input("replicationInstanceId"), "DMS API CreateReplicationInstance: identifier unique per account and region (ResourceAlreadyExistsFault)"},
	{"aws:dms/replicationSubnetGroup:ReplicationSubnetGroup", "DMS replication subnet group", AccountRegion, input("replicationSubnetGroupId"), "DMS API CreateReplicationSubnetGroup: ResourceAlreadyExistsFault"},
	{"aws:dms/endpoint:Endpoint", "DMS endpoint", AccountRegion, input("endpointId"), "DMS API CreateEndpoint: ResourceAlreadyExistsFault"},
	{"aws:dms/replicationTask:ReplicationTask", "DMS replication task", AccountRegion, input("replicationTaskId"), "DMS API CreateReplicationTask: ResourceAlreadyExistsFault"},
	{"aws:rds/instance:Instance", "RDS DB instance", AccountRegion, input("identifier"), "RDS API CreateDBInstance: DBInstanceAlreadyExists"},
	{"aws:rds/instance:Instance", "RDS DB snapshot (final)", AccountRegion, input("finalSnapshotIdentifier"), "RDS API DeleteDBInstance FinalDBSnapshotIdentifier: DBSnapshotAlreadyExists"},
	{"aws:elasticache/replicationGroup:ReplicationGroup", "ElastiCache replication group", AccountRegion, input("replicationGroupId"), "ElastiCache API CreateReplicationGroup: ReplicationGroupAlreadyExists"},
	{"aws:elasticache/replicationGroup:ReplicationGroup", "ElastiCache snapshot (final)", AccountRegion, input("finalSnapshotIdentifier"), "ElastiCache API DeleteReplicationGroup FinalSnapshotIdentifier: SnapshotAlreadyExistsFault"},
	{"aws:shield/protectionGroup:ProtectionGroup", "Shield protection group", Account, input("protectionGroupId"), "Shield API CreateProtectionGroup: ResourceAlreadyExistsException"},
	{"aws:shield/subscription:Subscription", "Shield Advanced subscription", Account, singleton, "Shield API CreateSubscription: one subscription per account"},
	{"aws:shield/proactiveEngagement:ProactiveEngagement", "Shield proactive engagement", Account, singleton, "Shield API EnableProactiveEngagement / AssociateProactiveEngagementDetails: one setting and contact list per account"},
	{"aws:cloudfront/originAccessControl:OriginAccessControl", "CloudFront origin access control", Account, input("name"), "CloudFront API CreateOriginAccessControl: OriginAccessControlAlreadyExists"},
	{"aws:s3/bucketV2:BucketV2", "S3 bucket", Global, input("bucket"), "S3 API CreateBucket: BucketAlreadyExists (names are global)"},
	{"aws:lb/loadBalancer:LoadBalancer", "Elastic Load Balancer", AccountRegion, input("name"), "ELBv2 API CreateLoadBalancer: DuplicateLoadBalancerName"},
	{"aws:lb/targetGroup:TargetGroup", "ELB target group", AccountRegion, input("name"), "ELBv2 API CreateTargetGroup: DuplicateTargetGroupName"},
	{"aws:sns/topic:Topic", "SNS topic", AccountRegion, input("name"), "SNS API CreateTopic: returns the existing topic of that name (both stacks would own it)"},
	{"aws:secretsmanager/secret:Secret", "Secrets Manager secret", AccountRegion, input("name"), "Secrets Manager API CreateSecret: ResourceExistsException"},
	{"aws:cloudwatch/metricAlarm:MetricAlarm", "CloudWatch alarm", AccountRegion, input("name"), "CloudWatch API PutMetricAlarm: overwrites the alarm of that name (both stacks would own it)"},
	{"aws:cloudwatch/eventRule:EventRule", "EventBridge rule", AccountRegion, input("name"), "EventBridge API PutRule: overwrites the rule of that name on the bus"},
	{"aws:autoscaling/group:Group", "Auto Scaling group", AccountRegion, input("name"), "Auto Scaling API CreateAutoScalingGroup: AlreadyExists"},
	{"aws:ec2/launchTemplate:LaunchTemplate", "EC2 launch template", AccountRegion, input("name"), "EC2 API CreateLaunchTemplate: InvalidLaunchTemplateName.AlreadyExistsException"},
	{"aws:ec2/customerGateway:CustomerGateway", "VPN customer gateway", AccountRegion, func(in map[string]any) string {
		ip, _ := in["ipAddress"].(string)
		if ip == "" {
			return ""
		}
		return fmt.Sprintf("%v %s ASN %v", in["type"], ip, in["bgpAsn"])
	}, "EC2 API CreateCustomerGateway: with the same type, IP address and ASN AWS returns the existing gateway, so both stacks would own one object"},
	{"aws:route53/record:Record", "Route 53 record", Global, func(in map[string]any) string {
		z, _ := in["zoneId"].(string)
		n, _ := in["name"].(string)
		if z == "" || n == "" {
			return ""
		}
		return fmt.Sprintf("%s %s %v", z, strings.TrimSuffix(n, "."), in["type"])
	}, "Route 53 API ChangeResourceRecordSets: one record set per zone, name and type"},
}

// rulesByType indexes Rules.
func rulesByType() map[string][]Rule {
	out := map[string][]Rule{}
	for _, r := range Rules {
		out[r.Type] = append(out[r.Type], r)
	}
	return out
}

// identity is the key of one resource under one rule, "" for none.
func (r Rule) identity(res *mocktest.Resource) string {
	if res.Read || !res.Custom {
		return ""
	}
	return r.Identity(mocktest.PlainMap(res.Inputs))
}
