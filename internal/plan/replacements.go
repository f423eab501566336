package plan

import (
	"slices"
	"strings"
)

// Replacement is one resource type's entry in the replacement table: the
// top-level inputs whose change makes the provider replace the resource
// (delete and create, or create and delete) instead of updating it in
// place, and where the provider decides it. Reviewers must see these: a
// replaced database or subnet is an outage, not a tweak.
type Replacement struct {
	// Inputs are the top-level input names (the SDK's `pulumi:"..."` tags).
	Inputs []string
	// Except are nested paths under those inputs whose change does not
	// replace (the vSphere VM's clone.timeout).
	Except []string
	// Source is where the provider decides: the bridged Terraform
	// provider's version (Upstream) and the resource's file, with the
	// attribute rule (ForceNew, RequiresReplace, a CustomizeDiff).
	Source string
	// Read says which stored copy of Source the entry was checked in where
	// it is not the bridged tag itself (see the table's comment).
	Read string
}

// Upstream is what each pinned Pulumi provider SDK (CheckedAgainst)
// bridges; every table entry's Source starts with its provider's.
//   - pulumi-aws v6.83.4 wraps terraform-provider-aws v5.100.0, the
//     `upstream` submodule commit f7a3b98da589ab1d52756b0dcee0dbf2de83d635
//     of the v6.83.4 tag (the last 5.x; pulumi-aws v7 moved to 6.x).
//   - pulumi-vsphere v4.15.0 (2025-07-22) wraps terraform-provider-vsphere
//     v2.14.0 (pulumi/pulumi-vsphere#830, "Upgrade terraform-provider-vsphere
//     to v2.14.0", merged the day before).
//   - pulumi-random v4.18.0 (2025-02-26) wraps terraform-provider-random
//     3.7.x, released the day before; random_password's schema is the same
//     since 3.5.
//   - pulumi-command is native: its own provider source decides.
var Upstream = map[string]string{
	"aws":     "terraform-provider-aws v5.100.0",
	"vsphere": "terraform-provider-vsphere v2.14.0",
	"random":  "terraform-provider-random v3.7",
	"command": "pulumi-command v1.1.3",
}

// replacements is the table, read from the providers' sources (Upstream).
// The public source index this project could read holds one or a few
// stored versions per file, not always the bridged tag: Read names the
// copy, and where an older and a newer copy were read they agreed. Rules
// that changed before the bridged versions are noted where they matter:
// a transit gateway's amazonSideAsn is modified in place since
// hashicorp/terraform-provider-aws#27306 (2022), an RDS instance's
// identifier renames it in place (ModifyDBInstance NewDBInstanceIdentifier),
// and a vSphere tag category's cardinality updates in place since
// terraform-provider-vsphere v2.9.3 (#2263; the SDK's doc comment still
// says "Forces a new resource"), so none of them is listed.
//
// Deliberately absent: conditional rules, which replace only for some old
// and new values: an rds Instance's dbSubnetGroupName (moved in place), a
// VPC's instanceTenancy (in place only dedicated -> default), a network
// load balancer's subnets and security groups, elasticache engine
// downgrades and transitEncryptionEnabled below 7.0.5, a transit
// gateway's default route table association disable -> enable. Inputs
// the project never sets and the providers added after the versions read
// (a WebAcl's namePrefix, a peering attachment's options) are left out
// rather than guessed. TestReplacementTableNamesRealInputs checks that
// each name is an input of its type in the pinned SDK.
var replacements = map[string]Replacement{
	"aws:ec2/vpc:Vpc": {
		Inputs: []string{"cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"},
		Source: "terraform-provider-aws v5.100.0 internal/service/ec2/vpc_.go: cidr_block, ipv4_ipam_pool_id, ipv4_netmask_length ForceNew",
		Read:   "v5.4x-5.6x copy (findVPCByIDV2) and a v4.x copy",
	},
	"aws:ec2/subnet:Subnet": {
		Inputs: []string{"availabilityZone", "availabilityZoneId", "cidrBlock", "ipv6Native", "outpostArn", "vpcId"},
		Source: "terraform-provider-aws v5.100.0 internal/service/ec2/vpc_subnet.go: ForceNew",
		Read:   "a v6.x copy; every listed input is in the v6.83.4 SDK",
	},
	"aws:ec2/securityGroup:SecurityGroup": {
		Inputs: []string{"description", "name", "namePrefix", "vpcId"},
		Source: "terraform-provider-aws v5.100.0 internal/service/ec2/vpc_security_group.go: ForceNew",
		Read:   "a v6.x copy",
	},
	"aws:ec2/natGateway:NatGateway": {
		Inputs: []string{"allocationId", "connectivityType", "privateIp", "secondaryPrivateIpAddressCount", "subnetId"},
		Source: "terraform-provider-aws v5.100.0 internal/service/ec2/vpc_nat_gateway.go: ForceNew",
		Read:   "a v5.4x-5.6x copy",
	},
	"aws:ec2/routeTable:RouteTable": {
		Inputs: []string{"vpcId"},
		Source: "terraform-provider-aws v5.100.0 internal/service/ec2/vpc_route_table.go: vpc_id Required, ForceNew",
		Read:   "a v5.0x-5.3x copy",
	},
	"aws:ec2/launchTemplate:LaunchTemplate": {
		// Every other argument makes a new template version
		// (CreateLaunchTemplateVersion), not a new template.
		Inputs: []string{"name", "namePrefix"},
		Source: "terraform-provider-aws v5.100.0 internal/service/ec2/ec2_launch_template.go: name, name_prefix ForceNew",
		Read:   "a v5.4x+ copy",
	},
	"aws:ec2/customerGateway:CustomerGateway": {
		Inputs: []string{"bgpAsn", "bgpAsnExtended", "certificateArn", "deviceName", "ipAddress", "type"},
		Source: "terraform-provider-aws v5.100.0 internal/service/ec2/vpnsite_customer_gateway.go: ForceNew",
		Read:   "a v4.6x copy and a newer one (bgp_asn_extended)",
	},
	"aws:ec2/vpnConnection:VpnConnection": {
		Inputs: []string{"enableAcceleration", "staticRoutesOnly", "tunnel1InsideCidr", "tunnel1InsideIpv6Cidr", "tunnel2InsideCidr", "tunnel2InsideIpv6Cidr", "tunnelInsideIpVersion"},
		Source: "terraform-provider-aws v5.100.0 internal/service/ec2/vpnsite_connection.go: ForceNew",
		Read:   "a v5.0x copy",
	},
	"aws:ec2transitgateway/transitGateway:TransitGateway": {
		Inputs: []string{"multicastSupport"},
		Source: "terraform-provider-aws v5.100.0 internal/service/ec2/transitgateway_.go: multicast_support ForceNew; amazon_side_asn modified in place",
		Read:   "a v5.x copy (no ForceNew on amazon_side_asn) and a v4.3x copy (ForceNew, before #27306)",
	},
	"aws:ec2transitgateway/vpcAttachment:VpcAttachment": {
		Inputs: []string{"transitGatewayId", "vpcId"},
		Source: "terraform-provider-aws v5.100.0 internal/service/ec2/transitgateway_vpc_attachment.go: ForceNew",
		Read:   "a v4.6x copy",
	},
	"aws:ec2transitgateway/peeringAttachment:PeeringAttachment": {
		Inputs: []string{"peerAccountId", "peerRegion", "peerTransitGatewayId", "transitGatewayId"},
		Source: "terraform-provider-aws v5.100.0 internal/service/ec2/transitgateway_peering_attachment.go: ForceNew",
		Read:   "a v4.x copy",
	},
	"aws:autoscaling/group:Group": {
		Inputs: []string{"name", "namePrefix"},
		Source: "terraform-provider-aws v5.100.0 internal/service/autoscaling/group.go: name, name_prefix ForceNew",
		Read:   "a v5.4x+ copy",
	},
	"aws:lb/loadBalancer:LoadBalancer": {
		Inputs: []string{"customerOwnedIpv4Pool", "internal", "loadBalancerType", "name", "namePrefix"},
		Source: "terraform-provider-aws v5.100.0 internal/service/elbv2/load_balancer.go: ForceNew",
		Read:   "a v6.x copy; the same attributes in v4 and v5 copies",
	},
	"aws:lb/targetGroup:TargetGroup": {
		Inputs: []string{"ipAddressType", "name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId"},
		Source: "terraform-provider-aws v5.100.0 internal/service/elbv2/target_group.go: ForceNew",
		Read:   "a v6.3+ copy",
	},
	"aws:rds/subnetGroup:SubnetGroup": {
		Inputs: []string{"name", "namePrefix"},
		Source: "terraform-provider-aws v5.100.0 internal/service/rds/subnet_group.go: name, name_prefix ForceNew",
		Read:   "a v4.6x copy",
	},
	"aws:rds/parameterGroup:ParameterGroup": {
		Inputs: []string{"description", "family", "name", "namePrefix"},
		Source: "terraform-provider-aws v5.100.0 internal/service/rds/parameter_group.go: ForceNew (description too)",
		Read:   "a v6.x copy",
	},
	"aws:elasticache/subnetGroup:SubnetGroup": {
		Inputs: []string{"name"},
		Source: "terraform-provider-aws v5.100.0 internal/service/elasticache/subnet_group.go: name Required, ForceNew",
		Read:   "a v4.6x copy",
	},
	"aws:rds/instance:Instance": {
		Inputs: []string{
			"availabilityZone", "backupTarget", "characterSetName", "customIamInstanceProfile", "dbName", "engine",
			"kmsKeyId", "ncharCharacterSetName", "restoreToPointInTime", "s3Import", "snapshotIdentifier",
			"storageEncrypted", "timezone", "username",
		},
		Source: "terraform-provider-aws v5.100.0 internal/service/rds/instance.go: ForceNew; identifier renames in place",
		Read:   "a v5.2x-5.3x copy",
	},
	"aws:elasticache/replicationGroup:ReplicationGroup": {
		Inputs: []string{
			"atRestEncryptionEnabled", "dataTieringEnabled", "globalReplicationGroupId", "kmsKeyId", "networkType",
			"port", "replicationGroupId", "securityGroupNames", "snapshotArns", "snapshotName", "subnetGroupName",
		},
		Source: "terraform-provider-aws v5.100.0 internal/service/elasticache/replication_group.go: ForceNew",
		Read:   "a v6.x copy",
	},
	"aws:s3/bucketV2:BucketV2": {
		Inputs: []string{"bucket", "bucketPrefix", "objectLockEnabled"},
		Source: "terraform-provider-aws v5.100.0 internal/service/s3/bucket.go: ForceNew",
		Read:   "a v5.x copy",
	},
	"aws:wafv2/webAcl:WebAcl": {
		Inputs: []string{"name", "scope"},
		Source: "terraform-provider-aws v5.100.0 internal/service/wafv2/web_acl.go: name, scope Required, ForceNew",
		Read:   "a v5.4x+ copy",
	},
	"aws:acm/certificate:Certificate": {
		Inputs: []string{"certificateAuthorityArn", "domainName", "keyAlgorithm", "subjectAlternativeNames", "validationMethod", "validationOptions"},
		Source: "terraform-provider-aws v5.100.0 internal/service/acm/certificate.go: ForceNew",
		Read:   "a v5.4x+ copy",
	},
	"aws:iam/role:Role": {
		Inputs: []string{"name", "namePrefix", "path"},
		Source: "terraform-provider-aws v5.100.0 internal/service/iam/role.go: ForceNew (path Default \"/\")",
		Read:   "a v5.4x+ copy",
	},
	"aws:dms/replicationInstance:ReplicationInstance": {
		Inputs: []string{"availabilityZone", "kmsKeyArn", "publiclyAccessible", "replicationInstanceId", "replicationSubnetGroupId"},
		Source: "terraform-provider-aws v5.100.0 internal/service/dms/replication_instance.go: ForceNew",
		Read:   "a v5.4x+ copy",
	},
	"aws:dms/endpoint:Endpoint": {
		Inputs: []string{"endpointId"},
		Source: "terraform-provider-aws v5.100.0 internal/service/dms/endpoint.go: endpoint_id Required, ForceNew",
		Read:   "two v5.x copies",
	},
	"vsphere:index/virtualMachine:VirtualMachine": {
		// Neither clone nor clone.template_uuid is ForceNew in the schema:
		// the CustomizeDiff forces a new VM for every changed key under
		// clone.0 but clone.0.timeout (not on the first apply after an
		// import). Most other inputs (CPU, memory, disks, datastore,
		// resource pool) update in place by reconfigure or vMotion; an
		// extraConfig change reboots the VM (extraConfigRebootRequired
		// defaults to true) but does not replace it.
		Inputs: []string{"clone", "ovfDeploy", "replaceTrigger"},
		Except: []string{"clone.timeout", "ovfDeploy.allowUnverifiedSslCert"},
		Source: "terraform-provider-vsphere v2.14.0 vsphere/resource_vsphere_virtual_machine.go: resourceVSphereVirtualMachineCustomizeDiff ForceNew on clone.0.* but clone.0.timeout; replace_trigger ForceNew (virtual_machine_config_structure.go); ovf_deploy fields ForceNew (internal/vmworkflow/virtual_machine_ovfdeploy_subresource.go)",
		Read:   "a vmware/terraform-provider-vsphere copy of about v2.12-2.15 and a hashicorp-era copy, with the same block",
	},
	"vsphere:index/folder:Folder": {
		Inputs: []string{"datacenterId", "type"},
		Source: "terraform-provider-vsphere v2.14.0 vsphere/resource_vsphere_folder.go: ForceNew; path moves in place",
		Read:   "a vmware/terraform-provider-vsphere copy",
	},
	"vsphere:index/tag:Tag": {
		Inputs: []string{"categoryId"},
		Source: "terraform-provider-vsphere v2.14.0 vsphere/resource_vsphere_tag.go: category_id Required, ForceNew",
		Read:   "a hashicorp-era copy",
	},
	"vsphere:index/computeClusterVmGroup:ComputeClusterVmGroup": {
		Inputs: []string{"computeClusterId", "name"},
		Source: "terraform-provider-vsphere v2.14.0 vsphere/resource_vsphere_compute_cluster_vm_group.go: ForceNew",
		Read:   "a vmware/terraform-provider-vsphere copy",
	},
	"vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule": {
		Inputs: []string{"computeClusterId"},
		Source: "terraform-provider-vsphere v2.14.0 vsphere/resource_vsphere_compute_cluster_vm_anti_affinity_rule.go: compute_cluster_id ForceNew; name updates in place",
		Read:   "a vmware/terraform-provider-vsphere copy",
	},
	"command:remote:Command": {
		// The docs say a trigger updates when an update command is given,
		// but ReplaceOnChanges replaces regardless (pulumi-command#855).
		Inputs: []string{"triggers"},
		Source: "pulumi-command v1.1.3 sdk/go/command/remote/command.go: ReplaceOnChanges(\"triggers[*]\"); provider/pkg/provider/common/inputs.go provider:\"replaceOnChanges\"",
		Read:   "the SDK in the module cache (the pinned version) and a v1.x provider copy",
	},
	"random:index/randomPassword:RandomPassword": {
		Inputs: []string{
			"keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper", "number", "numeric", "overrideSpecial", "special", "upper",
		},
		Source: "terraform-provider-random v3.7 internal/provider/resource_password.go passwordSchemaV3: RequiresReplace plan modifiers",
		Read:   "a schema V3 copy (3.5+, unchanged through 3.7.x)",
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
	return slices.Contains(replacements[typ].Inputs, input)
}

// replacesThrough reports whether a change at the displayed path (as
// PropertyChange.Path: "clone.timeout", "clone.customize[0].x") of a
// replacing input replaces: every path under it but the entry's Except.
func replacesThrough(typ, path string) bool {
	for _, e := range replacements[typ].Except {
		if path == e || strings.HasPrefix(path, e+".") || strings.HasPrefix(path, e+"[") {
			return false
		}
	}
	return true
}

// ReplacementInputs returns the table: type token to input names. The map
// is a copy.
func ReplacementInputs() map[string][]string {
	out := make(map[string][]string, len(replacements))
	for k, v := range replacements {
		out[k] = slices.Clone(v.Inputs)
	}
	return out
}

// Replacements returns the whole table with each entry's source; the map
// and its slices are copies.
func Replacements() map[string]Replacement {
	out := make(map[string]Replacement, len(replacements))
	for k, v := range replacements {
		v.Inputs, v.Except = slices.Clone(v.Inputs), slices.Clone(v.Except)
		out[k] = v
	}
	return out
}
