package plan

// replacements lists, per resource type, the inputs whose change forces
// the provider to replace the resource (delete and create, or create and
// delete) instead of updating it in place. Reviewers must see these: a
// replaced database or subnet is an outage, not a tweak.
//
// Sources, for the pinned SDK versions (DESIGN.md):
//   - pulumi-aws v6.83.4 bridges terraform-provider-aws: the entries are the
//     arguments its resource schemas mark `ForceNew: true`; where the Go SDK
//     doc comment says so itself it is noted (rds "This can't be changed",
//     elasticache "forces a new resource", ec2.SecurityGroup "forces new").
//   - pulumi-vsphere v4.15.0: the Go SDK doc comments ("Forces a new
//     resource if changed"; VirtualMachine: "further changes to `clone`
//     will force the creation of a new resource"). Most VirtualMachine
//     inputs (CPU, memory, disks, datastore, resource pool) update in place
//     by reconfigure or vMotion, so they are deliberately absent.
//   - pulumi-command v1.1.3: remote.Command registers ReplaceOnChanges
//     "triggers[*]".
//   - pulumi-random v4.18.0: every argument of RandomPassword/RandomString
//     requires replacement (terraform-provider-random RequiresReplace).
//
// Deliberately absent: aws rds Instance dbSubnetGroupName (ModifyDBInstance
// moves an instance between subnet groups in place), conditional cases
// (elasticache transitEncryptionEnabled forces replacement only below
// engine 7.0.5). TestReplacementTableNamesRealInputs checks that each name
// is an input of its type in the SDK.
var replacements = map[string][]string{
	"aws:ec2/vpc:Vpc":                       {"cidrBlock", "ipv4IpamPoolId"},
	"aws:ec2/subnet:Subnet":                 {"availabilityZone", "availabilityZoneId", "cidrBlock", "outpostArn", "vpcId"},
	"aws:ec2/securityGroup:SecurityGroup":   {"description", "name", "namePrefix", "vpcId"},
	"aws:ec2/natGateway:NatGateway":         {"allocationId", "connectivityType", "privateIp", "subnetId"},
	"aws:ec2/routeTable:RouteTable":         {"vpcId"},
	"aws:ec2/launchTemplate:LaunchTemplate": {"name", "namePrefix"},
	"aws:ec2/customerGateway:CustomerGateway": {
		"bgpAsn", "certificateArn", "deviceName", "ipAddress", "type",
	},
	"aws:ec2/vpnConnection:VpnConnection":                 {"staticRoutesOnly", "tunnel1InsideCidr", "tunnel2InsideCidr"},
	"aws:ec2transitgateway/transitGateway:TransitGateway": {"amazonSideAsn"},
	"aws:ec2transitgateway/vpcAttachment:VpcAttachment":   {"transitGatewayId", "vpcId"},
	"aws:ec2transitgateway/peeringAttachment:PeeringAttachment": {
		"peerAccountId", "peerRegion", "peerTransitGatewayId", "transitGatewayId",
	},
	"aws:autoscaling/group:Group":             {"name", "namePrefix"},
	"aws:lb/loadBalancer:LoadBalancer":        {"internal", "loadBalancerType", "name", "namePrefix"},
	"aws:lb/targetGroup:TargetGroup":          {"name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId"},
	"aws:rds/subnetGroup:SubnetGroup":         {"name", "namePrefix"},
	"aws:rds/parameterGroup:ParameterGroup":   {"family", "name", "namePrefix"},
	"aws:elasticache/subnetGroup:SubnetGroup": {"name"},
	"aws:rds/instance:Instance": {
		"availabilityZone", "characterSetName", "dbName", "engine", "identifier", "identifierPrefix",
		"kmsKeyId", "ncharCharacterSetName", "storageEncrypted", "timezone", "username",
	},
	"aws:elasticache/replicationGroup:ReplicationGroup": {
		"atRestEncryptionEnabled", "kmsKeyId", "port", "replicationGroupId", "snapshotName", "subnetGroupName",
	},
	"aws:s3/bucketV2:BucketV2":                                  {"bucket", "bucketPrefix", "objectLockEnabled"},
	"aws:wafv2/webAcl:WebAcl":                                   {"name", "scope"},
	"aws:acm/certificate:Certificate":                           {"domainName", "keyAlgorithm"},
	"aws:iam/role:Role":                                         {"name", "namePrefix", "path"},
	"aws:dms/replicationInstance:ReplicationInstance":           {"kmsKeyArn", "replicationInstanceId", "replicationSubnetGroupId"},
	"aws:dms/endpoint:Endpoint":                                 {"endpointId"},
	"vsphere:index/virtualMachine:VirtualMachine":               {"clone"},
	"vsphere:index/folder:Folder":                               {"datacenterId", "type"},
	"vsphere:index/tagCategory:TagCategory":                     {"cardinality"},
	"vsphere:index/tag:Tag":                                     {"categoryId"},
	"vsphere:index/computeClusterVmGroup:ComputeClusterVmGroup": {"computeClusterId", "name"},
	"vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule": {"computeClusterId"},
	"command:remote:Command": {"triggers"},
	"random:index/randomPassword:RandomPassword": {
		"keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper", "numeric", "overrideSpecial", "special", "upper",
	},
}

// CheckedAgainst are the provider SDK versions the replacement table was
// read from (the sources above). TestReplacementTableMatchesPinnedProviders
// fails when go.mod pins another version: read the new version's schemas
// (ForceNew, RequiresReplace, ReplaceOnChanges) again, update the table
// and this list together.
var CheckedAgainst = map[string]string{
	"github.com/pulumi/pulumi-aws/sdk/v6":     "v6.83.4",
	"github.com/pulumi/pulumi-vsphere/sdk/v4": "v4.15.0",
	"github.com/pulumi/pulumi-command/sdk":    "v1.1.3",
	"github.com/pulumi/pulumi-random/sdk/v4":  "v4.18.0",
}

// ForcesReplacement reports whether a change of the top-level input
// property of a resource type forces a replacement, per the table.
func ForcesReplacement(typ, input string) bool {
	for _, name := range replacements[typ] {
		if name == input {
			return true
		}
	}
	return false
}

// ReplacementInputs returns the table: type token to input names. The map
// is a copy.
func ReplacementInputs() map[string][]string {
	out := make(map[string][]string, len(replacements))
	for k, v := range replacements {
		out[k] = append([]string(nil), v...)
	}
	return out
}
