package webtier

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// securityGroups are the chain public ALB -> web -> internal ALB -> WAS.
type securityGroups struct {
	publicALB   *ec2.SecurityGroup
	web         *ec2.SecurityGroup
	internalALB *ec2.SecurityGroup
	was         *ec2.SecurityGroup
}

// newSecurityGroups builds the chain: each group admits only the tier in
// front of it. Egress stays open: instances reach SSM, Secrets Manager and
// package mirrors through NAT, and the ALBs reach their targets.
func newSecurityGroups(ctx *pulumi.Context, name string, a WebTierArgs, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*securityGroups, error) {
	publicSG, err := newSecurityGroup(ctx, name+"-public-alb", a.VpcID, publicIngressRules(a), tags, parent)
	if err != nil {
		return nil, err
	}
	webSG, err := newSecurityGroup(ctx, name+"-web", a.VpcID, ec2.SecurityGroupIngressArray{
		fromGroup("httpd from the public ALB", WebPort, publicSG),
	}, tags, parent)
	if err != nil {
		return nil, err
	}
	internalSG, err := newSecurityGroup(ctx, name+"-internal-alb", a.VpcID, ec2.SecurityGroupIngressArray{
		fromGroup("HTTP from the web tier", 80, webSG),
	}, tags, parent)
	if err != nil {
		return nil, err
	}
	wasSG, err := newSecurityGroup(ctx, name+"-was", a.VpcID, ec2.SecurityGroupIngressArray{
		fromGroup("Tomcat from the internal ALB", AppPort, internalSG),
	}, tags, parent)
	if err != nil {
		return nil, err
	}
	return &securityGroups{publicALB: publicSG, web: webSG, internalALB: internalSG, was: wasSG}, nil
}

// publicIngressRules admit the internet, or only the allowed prefix lists,
// to the public ALB: port 80, and 443 when the ALB terminates TLS itself.
func publicIngressRules(a WebTierArgs) ec2.SecurityGroupIngressArray {
	rules := ec2.SecurityGroupIngressArray{publicIngress(80, a.PublicIngressPrefixListIDs)}
	// CloudFront reaches the ALB over HTTP on one port: a second
	// prefix-list rule would count another ~55 entries against the default
	// 60 rules per security group.
	if a.CertificateARN != "" && !a.OriginFromCloudFront {
		rules = append(rules, publicIngress(443, a.PublicIngressPrefixListIDs))
	}
	return rules
}

// publicIngress admits one port from prefixLists, or from anywhere when
// prefixLists is nil.
func publicIngress(port int, prefixLists pulumi.StringArrayInput) ec2.SecurityGroupIngressArgs {
	r := ec2.SecurityGroupIngressArgs{
		Description: pulumi.String(fmt.Sprintf("port %d from the internet", port)),
		Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
	}
	if prefixLists != nil {
		r.Description = pulumi.String(fmt.Sprintf("port %d from the allowed prefix lists", port))
		r.PrefixListIds = prefixLists
	} else {
		r.CidrBlocks = pulumi.StringArray{pulumi.String("0.0.0.0/0")}
	}
	return r
}

func newSecurityGroup(ctx *pulumi.Context, name string, vpc pulumi.StringInput, ingress ec2.SecurityGroupIngressArray, tags func(string) pulumi.StringMap, parent pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	return ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
		VpcId:       vpc,
		Description: pulumi.String(name + ": only the tier in front"),
		Ingress:     ingress,
		Egress: ec2.SecurityGroupEgressArray{ec2.SecurityGroupEgressArgs{
			Protocol: pulumi.String("-1"), FromPort: pulumi.Int(0), ToPort: pulumi.Int(0),
			CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}},
		Tags: tags(name),
	}, parent)
}

func fromGroup(desc string, port int, from *ec2.SecurityGroup) ec2.SecurityGroupIngressArgs {
	return ec2.SecurityGroupIngressArgs{
		Description: pulumi.String(desc),
		Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
		SecurityGroups: pulumi.StringArray{from.ID()},
	}
}
