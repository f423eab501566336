package plan

import (
	"strings"
	"time"
)

// createTimes are typical times from the create call to the resource being
// usable, per type: what an operator waits for in `pulumi up`. They are
// rough medians, not guarantees, from the providers' documentation and
// practice:
//   - RDS: AWS documents Multi-AZ instance creation as "several minutes";
//     in practice 10-20 min for a Multi-AZ MySQL instance (15 min here); a
//     read replica takes as long as its own instance.
//   - ElastiCache replication group with Multi-AZ: ~10 min.
//   - CloudFront distribution: deployment to all edge locations, ~5 min
//     since 2020 (it was 15-30 min before).
//   - NAT gateway: ~2 min until "available"; ALB/NLB ~3 min until
//     "active"; Auto Scaling Group ~3 min (the provider waits for the
//     desired capacity to be InService); Transit Gateway ~3 min, its
//     attachments ~1 min, a peering attachment ~3 min until accepted;
//     Site-to-Site VPN connection ~5 min; ACM DNS validation ~5 min;
//     DMS replication instance ~10 min; EC2 instance ~1 min.
//   - vSphere VirtualMachine cloned from a template with guest
//     customization: ~3 min on a lab cluster (linked clones are faster,
//     full clones of big disks slower).
//   - remote.Command (day-2 configuration over SSH): installing, checking
//     and reloading one file measured 0.6-0.9 s against a real sshd
//     (components/day2 tests), so 5 s; the first command on a node waits
//     for cloud-init to finish its first boot (package installs), ~5 min.
//
// Everything else (VPCs, subnets, security groups, IAM, S3, tags,
// folders, random values) takes about defaultCreateTime. Components,
// providers and reads take no time.
var createTimes = map[string]time.Duration{
	"aws:rds/instance:Instance":                                 15 * time.Minute,
	"aws:rds/cluster:Cluster":                                   10 * time.Minute,
	"aws:rds/clusterInstance:ClusterInstance":                   10 * time.Minute,
	"aws:elasticache/replicationGroup:ReplicationGroup":         10 * time.Minute,
	"aws:elasticache/cluster:Cluster":                           8 * time.Minute,
	"aws:cloudfront/distribution:Distribution":                  5 * time.Minute,
	"aws:ec2/natGateway:NatGateway":                             2 * time.Minute,
	"aws:lb/loadBalancer:LoadBalancer":                          3 * time.Minute,
	"aws:autoscaling/group:Group":                               3 * time.Minute,
	"aws:ec2transitgateway/transitGateway:TransitGateway":       3 * time.Minute,
	"aws:ec2transitgateway/vpcAttachment:VpcAttachment":         1 * time.Minute,
	"aws:ec2transitgateway/peeringAttachment:PeeringAttachment": 3 * time.Minute,
	"aws:ec2/vpnConnection:VpnConnection":                       5 * time.Minute,
	"aws:acm/certificateValidation:CertificateValidation":       5 * time.Minute,
	"aws:dms/replicationInstance:ReplicationInstance":           10 * time.Minute,
	"aws:ec2/instance:Instance":                                 1 * time.Minute,
	"vsphere:index/virtualMachine:VirtualMachine":               3 * time.Minute,
	"command:remote:Command":                                    5 * time.Second,
}

// defaultCreateTime is the typical create time of a type not in the table.
const defaultCreateTime = 10 * time.Second

// cloudInitWait is the typical first boot of a node: the day-2 command that
// waits for `cloud-init status --wait` (named <host>-cloud-init).
const cloudInitWait = 5 * time.Minute

// CreateTime is the typical time to create one resource of the plan.
func CreateTime(r *Resource) time.Duration {
	if !r.Custom || r.Read || r.IsProvider() {
		return 0
	}
	if r.Type == "command:remote:Command" && strings.HasSuffix(r.Name, "-cloud-init") {
		return cloudInitWait
	}
	if d, ok := createTimes[r.Type]; ok {
		return d
	}
	return defaultCreateTime
}
