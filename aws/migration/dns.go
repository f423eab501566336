package migration

import (
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/internal/outputs"
	"github.com/hawebtier/hawebtier/components/problem"
)

// forwardSourceZone lets the VPC resolve the legacy host's on-premises
// name: an outbound Route 53 Resolver endpoint in two of the data subnets
// (which route to on-premises through the Transit Gateway), a rule that
// forwards Source.DNSDomain to Source.DNSServers, and its association with
// the VPC. DMS asks the VPC's resolver, which security groups do not
// filter; the endpoint's own group may send DNS only to those servers. It
// returns the resources the task must wait for; none when Host is an
// address.
func forwardSourceZone(ctx *pulumi.Context, name string, a *MigrationArgs, tags pulumi.StringMap, parent pulumi.ResourceOption) ([]pulumi.Resource, error) {
	s := a.Source
	if len(s.DNSServers) == 0 {
		return nil, nil
	}
	var egress ec2.SecurityGroupEgressArray
	for _, d := range s.DNSServers {
		for _, proto := range []string{"udp", "tcp"} {
			egress = append(egress, ec2.SecurityGroupEgressArgs{
				Description: pulumi.String("DNS (" + proto + ") to the on-premises resolver " + d),
				Protocol:    pulumi.String(proto),
				FromPort:    pulumi.Int(53),
				ToPort:      pulumi.Int(53),
				CidrBlocks:  pulumi.StringArray{pulumi.String(d + "/32")},
			})
		}
	}
	sg, err := ec2.NewSecurityGroup(ctx, name+"-resolver", &ec2.SecurityGroupArgs{
		VpcId:       a.VpcID,
		Description: pulumi.String(name + " outbound resolver: DNS to the on-premises resolvers only"),
		Egress:      egress,
		Tags:        tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	subnets := a.SubnetIDs.ToStringArrayOutput()
	// An outbound endpoint needs addresses in at least two subnets (Route
	// 53 Resolver, CreateResolverEndpoint: IpAddresses, 2 to 6).
	endpoint, err := route53.NewResolverEndpoint(ctx, name+"-outbound", &route53.ResolverEndpointArgs{
		Direction:        pulumi.String("OUTBOUND"),
		SecurityGroupIds: pulumi.StringArray{sg.ID()},
		IpAddresses: route53.ResolverEndpointIpAddressArray{
			route53.ResolverEndpointIpAddressArgs{SubnetId: outputs.At(subnets, 0, problem.Prefix(component, name)+": SubnetIDs")},
			route53.ResolverEndpointIpAddressArgs{SubnetId: outputs.At(subnets, 1, problem.Prefix(component, name)+": SubnetIDs")},
		},
		Tags: tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	var targets route53.ResolverRuleTargetIpArray
	for _, d := range s.DNSServers {
		targets = append(targets, route53.ResolverRuleTargetIpArgs{Ip: pulumi.String(d), Port: pulumi.Int(53)})
	}
	rule, err := route53.NewResolverRule(ctx, name+"-source-zone", &route53.ResolverRuleArgs{
		DomainName:         pulumi.String(strings.TrimSuffix(s.DNSDomain, ".")),
		RuleType:           pulumi.String("FORWARD"),
		ResolverEndpointId: endpoint.ID(),
		TargetIps:          targets,
		Tags:               tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	assoc, err := route53.NewResolverRuleAssociation(ctx, name+"-source-zone", &route53.ResolverRuleAssociationArgs{
		ResolverRuleId: rule.ID(),
		VpcId:          a.VpcID,
	}, parent)
	if err != nil {
		return nil, err
	}
	return []pulumi.Resource{assoc}, nil
}
