package transit

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2transitgateway"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/internal/outputs"
	"github.com/hawebtier/hawebtier/components/problem"
)

// TransitGatewayArgs configure one environment's Transit Gateway and the
// attachment of its VPC.
type TransitGatewayArgs struct {
	// AmazonSideASN is the gateway's private BGP ASN; it must differ from
	// the peer's, the customer gateway's and the Direct Connect gateway's.
	AmazonSideASN int
	// Description defaults to "hawebtier <name>".
	Description string

	// VpcID and SubnetIDs place the VPC attachment: one subnet per AZ (the
	// app subnets), so the gateway has an interface in every AZ.
	VpcID     pulumi.StringInput
	SubnetIDs pulumi.StringArrayInput
	// VpcCIDR is the attached VPC's network, checked against the remote
	// networks for overlap.
	VpcCIDR string

	// RouteTableIDs are the VPC route tables that get a route to the
	// gateway for every remote network, RouteTableCount of them (a plain
	// count, e.g. the AZ count, so the graph is known at preview).
	RouteTableIDs   pulumi.StringArrayInput
	RouteTableCount int

	// PeerCIDR is the peer environment's VPC network; empty when this
	// stack does not route to a peer (the peering's requester routes the
	// peer VPC in the same-account mode, see NewPeering).
	PeerCIDR string
	// OnPremCIDRs are the on-prem networks reached through the gateway.
	OnPremCIDRs []string

	Tags map[string]string
}

// TransitGateway is a Transit Gateway with its own route table and the
// local VPC attached, associated and propagated.
type TransitGateway struct {
	pulumi.ResourceState

	TransitGatewayID pulumi.StringOutput `pulumi:"transitGatewayId"`
	// RouteTableID is the gateway's route table: every attachment of the
	// web tier (VPC, peering, VPN, Direct Connect) is associated with it.
	RouteTableID    pulumi.StringOutput `pulumi:"routeTableId"`
	VpcAttachmentID pulumi.StringOutput `pulumi:"vpcAttachmentId"`
	// AmazonSideASN is the plain ASN, for the validation of the other
	// transit components.
	AmazonSideASN int
	// RemoteCIDRs are the networks routed from the VPC to the gateway.
	RemoteCIDRs []string
}

func (a *TransitGatewayArgs) validate() []Problem {
	var ps problems
	ps.privateASN("AmazonSideASN", a.AmazonSideASN)
	ps.requireInput("VpcID", a.VpcID == nil, "the VPC to attach")
	ps.requireInput("SubnetIDs", a.SubnetIDs == nil, "one app subnet per AZ for the VPC attachment")
	nets := []field{{"VpcCIDR", a.VpcCIDR}}
	if a.PeerCIDR != "" {
		nets = append(nets, field{"PeerCIDR", a.PeerCIDR})
	}
	ps.networks(append(nets, indexed("OnPremCIDRs", a.OnPremCIDRs)...)...)
	ps.routeTables("RouteTableIDs", a.RouteTableIDs, "RouteTableCount", a.RouteTableCount)
	return ps.list
}

func (a *TransitGatewayArgs) remoteCIDRs() []string {
	var out []string
	if a.PeerCIDR != "" {
		out = append(out, a.PeerCIDR)
	}
	return append(out, a.OnPremCIDRs...)
}

// NewTransitGateway registers a Transit Gateway (default route table
// association and propagation off), its route table, the VPC attachment
// with its association and propagation, and one VPC route per route table
// and remote network.
func NewTransitGateway(ctx *pulumi.Context, name string, args *TransitGatewayArgs, opts ...pulumi.ResourceOption) (*TransitGateway, error) {
	if args == nil {
		args = &TransitGatewayArgs{}
	}
	comp := &TransitGateway{AmazonSideASN: args.AmazonSideASN, RemoteCIDRs: args.remoteCIDRs()}
	in := instance{kindGateway, name}
	if err := register(ctx, in, "hawebtier:aws:TransitGateway", args.validate(), comp, opts); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(comp)

	desc := args.Description
	if desc == "" {
		desc = "hawebtier " + name
	}
	tgw, err := ec2transitgateway.NewTransitGateway(ctx, name, &ec2transitgateway.TransitGatewayArgs{
		AmazonSideAsn: pulumi.IntPtr(args.AmazonSideASN),
		Description:   pulumi.String(desc),
		// Off: attachments join the gateway's own route table explicitly,
		// so a new attachment is reachable only once this program says so.
		DefaultRouteTableAssociation: pulumi.String("disable"),
		DefaultRouteTablePropagation: pulumi.String("disable"),
		AutoAcceptSharedAttachments:  pulumi.String("disable"),
		DnsSupport:                   pulumi.String("enable"),
		VpnEcmpSupport:               pulumi.String("enable"),
		Tags:                         tags(args.Tags, name),
	}, parent)
	if err != nil {
		return nil, in.errorf("transit gateway: %w", err)
	}
	rtb, err := ec2transitgateway.NewRouteTable(ctx, name, &ec2transitgateway.RouteTableArgs{
		TransitGatewayId: tgw.ID(),
		Tags:             tags(args.Tags, name),
	}, parent)
	if err != nil {
		return nil, in.errorf("route table: %w", err)
	}
	att, err := ec2transitgateway.NewVpcAttachment(ctx, name+"-vpc", &ec2transitgateway.VpcAttachmentArgs{
		TransitGatewayId: tgw.ID(),
		VpcId:            args.VpcID,
		SubnetIds:        args.SubnetIDs,
		TransitGatewayDefaultRouteTableAssociation: pulumi.Bool(false),
		TransitGatewayDefaultRouteTablePropagation: pulumi.Bool(false),
		DnsSupport: pulumi.String("enable"),
		Tags:       tags(args.Tags, name+"-vpc"),
	}, parent)
	if err != nil {
		return nil, in.errorf("vpc attachment: %w", err)
	}
	if err := associate(ctx, name+"-vpc", att.ID(), rtb.ID(), true, parent); err != nil {
		return nil, in.errorf("vpc attachment: %w", err)
	}

	// AWS refuses a route to a Transit Gateway the VPC is not attached to
	// yet, hence the explicit dependency on the attachment.
	rts := vpcRouteTables{field: "RouteTableIDs", ids: args.RouteTableIDs, count: args.RouteTableCount}
	if err := rts.routeTo(ctx, in, name, tgw.ID(), comp.RemoteCIDRs, parent, pulumi.DependsOn([]pulumi.Resource{att})); err != nil {
		return nil, err
	}

	comp.TransitGatewayID = tgw.ID().ToStringOutput()
	comp.RouteTableID = rtb.ID().ToStringOutput()
	comp.VpcAttachmentID = att.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(comp, pulumi.Map{
		"transitGatewayId": comp.TransitGatewayID,
		"routeTableId":     comp.RouteTableID,
		"vpcAttachmentId":  comp.VpcAttachmentID,
	}); err != nil {
		return nil, in.errorf("register outputs: %w", err)
	}
	return comp, nil
}

// vpcRouteTables are route tables of a VPC, known by a plain count so the
// routes are known at preview.
type vpcRouteTables struct {
	field string // the args field, for errors
	ids   pulumi.StringArrayInput
	count int
}

// routeTo adds a route to the Transit Gateway for every CIDR in every
// route table, each named after name (errors name in, the component).
// Names follow the index and the CIDR, not the CIDR's place in a list, so
// reordering the config replaces nothing.
func (r vpcRouteTables) routeTo(ctx *pulumi.Context, in instance, name string, transitGatewayID pulumi.StringInput, cidrs []string, opts ...pulumi.ResourceOption) error {
	if r.count == 0 {
		return nil
	}
	ids := r.ids.ToStringArrayOutput()
	for i := 0; i < r.count; i++ {
		for _, cidr := range cidrs {
			if _, err := ec2.NewRoute(ctx, fmt.Sprintf("%s-rt%d-%s", name, i, cidrSlug(cidr)), &ec2.RouteArgs{
				RouteTableId:         outputs.At(ids, i, problem.Prefix(in.kind, in.name)+": "+r.field),
				DestinationCidrBlock: pulumi.String(cidr),
				TransitGatewayId:     transitGatewayID,
			}, opts...); err != nil {
				return in.errorf("%s[%d] route to %s: %w", r.field, i, cidr, err)
			}
		}
	}
	return nil
}

// associate associates an attachment with a Transit Gateway route table
// and, when propagate is set, propagates its routes into it.
func associate(ctx *pulumi.Context, name string, attachmentID, routeTableID pulumi.StringInput, propagate bool, opts ...pulumi.ResourceOption) error {
	if _, err := ec2transitgateway.NewRouteTableAssociation(ctx, name, &ec2transitgateway.RouteTableAssociationArgs{
		TransitGatewayAttachmentId: attachmentID,
		TransitGatewayRouteTableId: routeTableID,
	}, opts...); err != nil {
		return fmt.Errorf("route table association: %w", err)
	}
	if !propagate {
		return nil
	}
	if _, err := ec2transitgateway.NewRouteTablePropagation(ctx, name, &ec2transitgateway.RouteTablePropagationArgs{
		TransitGatewayAttachmentId: attachmentID,
		TransitGatewayRouteTableId: routeTableID,
	}, opts...); err != nil {
		return fmt.Errorf("route table propagation: %w", err)
	}
	return nil
}

// cidrSlug makes a CIDR usable in a resource name: 10.20.0.0/16 becomes
// 10-20-0-0-16.
func cidrSlug(cidr string) string {
	return strings.NewReplacer(".", "-", "/", "-").Replace(cidr)
}

func tags(extra map[string]string, name string) pulumi.StringMap {
	out := pulumi.StringMap{"Name": pulumi.String(name)}
	for k, v := range extra {
		out[k] = pulumi.String(v)
	}
	return out
}
