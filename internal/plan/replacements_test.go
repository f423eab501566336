package plan_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2transitgateway"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi-command/sdk/go/command/remote"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi-vsphere/sdk/v4/go/vsphere"

	"github.com/hawebtier/hawebtier/internal/plan"
)

// argsTypes maps each type token of the replacement table to the SDK's
// Args type; ElementType() is the struct with the `pulumi:"name"` tags the
// SDK sends to the engine.
var argsTypes = map[string]interface{ ElementType() reflect.Type }{
	"aws:ec2/vpc:Vpc":                                                                 ec2.VpcArgs{},
	"aws:ec2/subnet:Subnet":                                                           ec2.SubnetArgs{},
	"aws:ec2/securityGroup:SecurityGroup":                                             ec2.SecurityGroupArgs{},
	"aws:ec2/natGateway:NatGateway":                                                   ec2.NatGatewayArgs{},
	"aws:ec2/routeTable:RouteTable":                                                   ec2.RouteTableArgs{},
	"aws:ec2/launchTemplate:LaunchTemplate":                                           ec2.LaunchTemplateArgs{},
	"aws:ec2/customerGateway:CustomerGateway":                                         ec2.CustomerGatewayArgs{},
	"aws:ec2/vpnConnection:VpnConnection":                                             ec2.VpnConnectionArgs{},
	"aws:ec2transitgateway/transitGateway:TransitGateway":                             ec2transitgateway.TransitGatewayArgs{},
	"aws:ec2transitgateway/vpcAttachment:VpcAttachment":                               ec2transitgateway.VpcAttachmentArgs{},
	"aws:ec2transitgateway/peeringAttachment:PeeringAttachment":                       ec2transitgateway.PeeringAttachmentArgs{},
	"aws:autoscaling/group:Group":                                                     autoscaling.GroupArgs{},
	"aws:lb/loadBalancer:LoadBalancer":                                                lb.LoadBalancerArgs{},
	"aws:lb/targetGroup:TargetGroup":                                                  lb.TargetGroupArgs{},
	"aws:rds/subnetGroup:SubnetGroup":                                                 rds.SubnetGroupArgs{},
	"aws:rds/parameterGroup:ParameterGroup":                                           rds.ParameterGroupArgs{},
	"aws:rds/instance:Instance":                                                       rds.InstanceArgs{},
	"aws:elasticache/subnetGroup:SubnetGroup":                                         elasticache.SubnetGroupArgs{},
	"aws:elasticache/replicationGroup:ReplicationGroup":                               elasticache.ReplicationGroupArgs{},
	"aws:s3/bucketV2:BucketV2":                                                        s3.BucketV2Args{},
	"aws:wafv2/webAcl:WebAcl":                                                         wafv2.WebAclArgs{},
	"aws:acm/certificate:Certificate":                                                 acm.CertificateArgs{},
	"aws:iam/role:Role":                                                               iam.RoleArgs{},
	"aws:dms/replicationInstance:ReplicationInstance":                                 dms.ReplicationInstanceArgs{},
	"aws:dms/endpoint:Endpoint":                                                       dms.EndpointArgs{},
	"vsphere:index/virtualMachine:VirtualMachine":                                     vsphere.VirtualMachineArgs{},
	"vsphere:index/folder:Folder":                                                     vsphere.FolderArgs{},
	"vsphere:index/tag:Tag":                                                           vsphere.TagArgs{},
	"vsphere:index/computeClusterVmGroup:ComputeClusterVmGroup":                       vsphere.ComputeClusterVmGroupArgs{},
	"vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule": vsphere.ComputeClusterVmAntiAffinityRuleArgs{},
	"command:remote:Command":                                                          remote.CommandArgs{},
	"random:index/randomPassword:RandomPassword":                                      random.RandomPasswordArgs{},
}

// inputNames lists the `pulumi:"..."` tags of an args struct.
func inputNames(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("pulumi"), ",")
		if name != "" {
			out[name] = true
		}
	}
	return out
}

func TestReplacementTableNamesRealInputs(t *testing.T) {
	t.Parallel()
	table := plan.ReplacementInputs()
	for typ, names := range table {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			args, ok := argsTypes[typ]
			if !ok {
				t.Fatalf("no SDK Args type for %s in argsTypes: add it so the entry is checked", typ)
			}
			inputs := inputNames(args.ElementType())
			if len(inputs) == 0 {
				t.Fatalf("%s: found no pulumi tags; the check proves nothing", typ)
			}
			if len(names) == 0 {
				t.Errorf("%s has no inputs listed", typ)
			}
			for _, n := range names {
				if !inputs[n] {
					t.Errorf("%s has no input %q", typ, n)
				}
				if !plan.ForcesReplacement(typ, n) {
					t.Errorf("ForcesReplacement(%s, %s) is false", typ, n)
				}
			}
		})
	}
	if plan.ForcesReplacement("aws:ec2/subnet:Subnet", "tags") {
		t.Error("tags of a subnet update in place")
	}
}

// The check itself must be able to fail.
func TestInputNamesRejectsAnUnknownInput(t *testing.T) {
	t.Parallel()
	if inputs := inputNames(ec2.SubnetArgs{}.ElementType()); !inputs["cidrBlock"] || inputs["cidrBlocks"] {
		t.Fatalf("subnet inputs read wrongly: %v", inputs)
	}
}

// TestReplacementTableMatchesPinnedProviders: the table is only as true
// as the provider versions it was read from; a version bump in go.mod
// without reading the new schemas fails here.
func TestReplacementTableMatchesPinnedProviders(t *testing.T) {
	t.Parallel()
	gomod, err := os.ReadFile(filepath.Join(projectDir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	pinned := map[string]string{}
	for _, line := range strings.Split(string(gomod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 {
			pinned[f[0]] = f[1]
		}
	}
	for module, checked := range plan.CheckedAgainst {
		if got := pinned[module]; got != checked {
			t.Errorf("go.mod pins %s %s; the replacement table was checked against %s: read its schemas again (internal/plan/replacements.go)", module, got, checked)
		}
	}
}

// TestReplacementSourcesNameTheBridgedVersions: each entry says where its
// provider decides, in the upstream version the pinned SDK bridges, so a
// reviewer can check it and a version bump shows what to read again.
func TestReplacementSourcesNameTheBridgedVersions(t *testing.T) {
	t.Parallel()
	for typ, r := range plan.Replacements() {
		provider, _, _ := strings.Cut(typ, ":")
		up, ok := plan.Upstream[provider]
		if !ok {
			t.Errorf("%s: no upstream version for provider %q in plan.Upstream", typ, provider)
			continue
		}
		if !strings.HasPrefix(r.Source, up+" ") {
			t.Errorf("%s: source %q does not start with %q", typ, r.Source, up)
		}
		file := strings.Fields(strings.TrimPrefix(r.Source, up+" "))
		if len(file) == 0 || !strings.HasSuffix(strings.TrimSuffix(file[0], ":"), ".go") {
			t.Errorf("%s: source %q names no source file", typ, r.Source)
		}
		if r.Read == "" {
			t.Errorf("%s: say which copy of the source the entry was read in (Read)", typ)
		}
		for _, e := range r.Except {
			top, _, _ := strings.Cut(e, ".")
			if !plan.ForcesReplacement(typ, top) {
				t.Errorf("%s: exception %q is not under a replacing input", typ, e)
			}
		}
	}
}
