package transit

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2transitgateway"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PeeringArgs configure the requester side of a Transit Gateway peering
// (production). The peer's ids usually come from the peer stack's
// StackReference outputs.
type PeeringArgs struct {
	// TransitGatewayID and RouteTableID are this side's gateway and its
	// route table (TransitGateway outputs).
	TransitGatewayID pulumi.StringInput
	RouteTableID     pulumi.StringInput
	// LocalCIDR is this side's VPC network, routed from the peer.
	LocalCIDR string

	PeerTransitGatewayID pulumi.StringInput
	PeerRouteTableID     pulumi.StringInput
	PeerRegion           string
	// PeerAccountID is required with CrossAccount; otherwise optional
	// (a peer provider that assumes a role in another account can accept
	// in the same run).
	PeerAccountID string
	// PeerCIDR is the peer VPC's network, routed from this side.
	PeerCIDR string
	// PeerVpcRouteTableIDs are the peer VPC's route tables that get a
	// route to the peer gateway for LocalCIDR, PeerVpcRouteTableCount of
	// them (same-account mode only).
	PeerVpcRouteTableIDs   pulumi.StringArrayInput
	PeerVpcRouteTableCount int

	// PeerProvider is an AWS provider for the peer's region and account:
	// the accepter and every peer-side route are registered with it
	// (pulumi-aws v6 has no per-resource region). Required unless
	// CrossAccount.
	PeerProvider *aws.Provider

	// CrossAccount: the peer accepts from its own stack (NewPeeringAccepter)
	// because this stack cannot act in the peer account. This side then
	// creates the attachment, and its own association and route only once
	// PeerAccepted says the peer has accepted.
	CrossAccount bool
	PeerAccepted bool

	// LocalASN and PeerASN are the two gateways' ASNs, checked to differ
	// when both are given (0: not checked).
	LocalASN int
	PeerASN  int

	Tags map[string]string
}

// Peering is the requester side of a Transit Gateway peering: the
// attachment and, in the same-account mode, its acceptance and the routes
// on both sides.
type Peering struct {
	pulumi.ResourceState

	// AttachmentID is the peering attachment, the same id on both sides.
	AttachmentID pulumi.StringOutput `pulumi:"attachmentId"`
	// Accepted resolves to the accepted attachment's id once the peer side
	// has accepted in this run (same-account mode); empty otherwise.
	Accepted pulumi.StringOutput `pulumi:"accepted"`
}

func (a *PeeringArgs) validate() []Problem {
	var ps problems
	ps.requireInput("TransitGatewayID", a.TransitGatewayID == nil, "this side's Transit Gateway")
	ps.requireInput("RouteTableID", a.RouteTableID == nil, "this side's Transit Gateway route table")
	ps.requireInput("PeerTransitGatewayID", a.PeerTransitGatewayID == nil, "the peer's Transit Gateway (peer stack output transitGatewayId)")
	if !awsRegionRE.MatchString(a.PeerRegion) {
		ps.add("PeerRegion", "expected the peer's AWS region such as eu-west-1, got %q", a.PeerRegion)
	}
	if a.PeerAccountID != "" && !accountIDRE.MatchString(a.PeerAccountID) {
		ps.add("PeerAccountID", "expected a 12-digit AWS account id, got %q", a.PeerAccountID)
	}
	ps.networks(field{"LocalCIDR", a.LocalCIDR}, field{"PeerCIDR", a.PeerCIDR})
	ps.distinctASNs(namedASN{"LocalASN", a.LocalASN}, namedASN{"PeerASN", a.PeerASN})
	if a.CrossAccount {
		if a.PeerAccountID == "" {
			ps.add("PeerAccountID", "required with CrossAccount: the account that accepts the peering")
		}
		if a.PeerVpcRouteTableCount != 0 {
			ps.add("PeerVpcRouteTableCount", "must be 0 with CrossAccount: the peer stack routes its own VPC")
		}
		return ps.list
	}
	if a.PeerProvider == nil {
		ps.add("PeerProvider", "required: an aws.Provider for the peer side (region %q) to accept the peering and route there; set CrossAccount if the peer accepts from its own stack", a.PeerRegion)
	}
	if a.PeerAccepted {
		ps.add("PeerAccepted", "only meaningful with CrossAccount; the same-account mode accepts in this run")
	}
	ps.requireInput("PeerRouteTableID", a.PeerRouteTableID == nil, "the peer's Transit Gateway route table (peer stack output transitGatewayRouteTableId)")
	ps.routeTables("PeerVpcRouteTableIDs", a.PeerVpcRouteTableIDs, "PeerVpcRouteTableCount", a.PeerVpcRouteTableCount)
	return ps.list
}

// NewPeering registers the peering attachment from this side's gateway to
// the peer's. In the default same-account mode it also accepts it on
// PeerProvider, associates the attachment with both route tables, adds a
// static route on each side and routes the peer VPC to its gateway; every
// one of those waits for the acceptance, which AWS requires.
func NewPeering(ctx *pulumi.Context, name string, args *PeeringArgs, opts ...pulumi.ResourceOption) (*Peering, error) {
	if args == nil {
		args = &PeeringArgs{}
	}
	comp := &Peering{}
	in := instance{kindPeering, name}
	if err := register(ctx, in, "hawebtier:aws:TransitPeering", args.validate(), comp, opts); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(comp)

	attArgs := &ec2transitgateway.PeeringAttachmentArgs{
		TransitGatewayId:     args.TransitGatewayID,
		PeerTransitGatewayId: args.PeerTransitGatewayID,
		PeerRegion:           pulumi.String(args.PeerRegion),
		Tags:                 tags(args.Tags, name),
	}
	if args.PeerAccountID != "" {
		attArgs.PeerAccountId = pulumi.String(args.PeerAccountID)
	}
	att, err := ec2transitgateway.NewPeeringAttachment(ctx, name, attArgs, parent)
	if err != nil {
		return nil, in.errorf("peering attachment: %w", err)
	}
	comp.AttachmentID = att.ID().ToStringOutput()
	comp.Accepted = pulumi.String("").ToStringOutput()

	switch {
	case !args.CrossAccount:
		acc, err := ec2transitgateway.NewPeeringAttachmentAccepter(ctx, name+"-accept", &ec2transitgateway.PeeringAttachmentAccepterArgs{
			TransitGatewayAttachmentId: att.ID(),
			Tags:                       tags(args.Tags, name),
		}, parent, pulumi.Provider(args.PeerProvider))
		if err != nil {
			return nil, in.errorf("peering accepter: %w", err)
		}
		comp.Accepted = acc.TransitGatewayAttachmentId
		afterAccept := pulumi.DependsOn([]pulumi.Resource{acc})
		local := []pulumi.ResourceOption{parent, afterAccept}
		if err := peerSide(ctx, in, name, att.ID(), args.RouteTableID, args.PeerCIDR, local); err != nil {
			return nil, err
		}
		remote := []pulumi.ResourceOption{parent, afterAccept, pulumi.Provider(args.PeerProvider)}
		if err := peerSide(ctx, in, name+"-peer", att.ID(), args.PeerRouteTableID, args.LocalCIDR, remote); err != nil {
			return nil, err
		}
		rts := vpcRouteTables{field: "PeerVpcRouteTableIDs", ids: args.PeerVpcRouteTableIDs, count: args.PeerVpcRouteTableCount}
		if err := rts.routeTo(ctx, in, name+"-peer", args.PeerTransitGatewayID, []string{args.LocalCIDR}, remote...); err != nil {
			return nil, err
		}
	case args.PeerAccepted:
		// The peer accepted from its own stack in an earlier run; there is
		// no accepter in this program to wait for.
		if err := peerSide(ctx, in, name, att.ID(), args.RouteTableID, args.PeerCIDR, []pulumi.ResourceOption{parent}); err != nil {
			return nil, err
		}
	}

	if err := ctx.RegisterResourceOutputs(comp, pulumi.Map{
		"attachmentId": comp.AttachmentID,
		"accepted":     comp.Accepted,
	}); err != nil {
		return nil, in.errorf("register outputs: %w", err)
	}
	return comp, nil
}

// peerSide associates the peering attachment with one side's route table
// and routes the other side's network over it. Peering attachments carry
// static routes only: there is nothing to propagate. Its resources are
// named after name; its errors name in, the component.
func peerSide(ctx *pulumi.Context, in instance, name string, attachmentID, routeTableID pulumi.StringInput, remoteCIDR string, opts []pulumi.ResourceOption) error {
	if err := associate(ctx, name, attachmentID, routeTableID, false, opts...); err != nil {
		return in.errorf("%s: %w", name, err)
	}
	_, err := ec2transitgateway.NewRoute(ctx, name+"-"+cidrSlug(remoteCIDR), &ec2transitgateway.RouteArgs{
		TransitGatewayRouteTableId: routeTableID,
		DestinationCidrBlock:       pulumi.String(remoteCIDR),
		TransitGatewayAttachmentId: attachmentID,
	}, opts...)
	if err != nil {
		return in.errorf("%s: route to %s: %w", name, remoteCIDR, err)
	}
	return nil
}

// PeeringAccepterArgs configure the accepter side of a cross-account
// peering (staging), run in the peer account's own stack.
type PeeringAccepterArgs struct {
	// AttachmentID is the requester's peering attachment (requester stack
	// output transitPeeringAttachmentId).
	AttachmentID pulumi.StringInput
	// RouteTableID is this side's Transit Gateway route table.
	RouteTableID pulumi.StringInput
	// LocalCIDR is this side's VPC network; PeerCIDR the requester's, routed
	// over the attachment. This stack's TransitGateway routes PeerCIDR from
	// the VPC (TransitGatewayArgs.PeerCIDR).
	LocalCIDR string
	PeerCIDR  string
	Tags      map[string]string
}

// PeeringAccepter accepts a peering attachment and routes the requester's
// network over it.
type PeeringAccepter struct {
	pulumi.ResourceState

	// AttachmentID resolves once the attachment is accepted.
	AttachmentID pulumi.StringOutput `pulumi:"attachmentId"`
}

func (a *PeeringAccepterArgs) validate() []Problem {
	var ps problems
	ps.requireInput("AttachmentID", a.AttachmentID == nil, "the requester's peering attachment (requester stack output transitPeeringAttachmentId)")
	ps.requireInput("RouteTableID", a.RouteTableID == nil, "this side's Transit Gateway route table")
	ps.networks(field{"LocalCIDR", a.LocalCIDR}, field{"PeerCIDR", a.PeerCIDR})
	return ps.list
}

// NewPeeringAccepter registers the acceptance of a peering attachment
// created by another stack, the attachment's association with this side's
// route table and the static route to the requester's network, both after
// the acceptance.
func NewPeeringAccepter(ctx *pulumi.Context, name string, args *PeeringAccepterArgs, opts ...pulumi.ResourceOption) (*PeeringAccepter, error) {
	if args == nil {
		args = &PeeringAccepterArgs{}
	}
	comp := &PeeringAccepter{}
	in := instance{kindAccepter, name}
	if err := register(ctx, in, "hawebtier:aws:TransitPeeringAccepter", args.validate(), comp, opts); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(comp)
	acc, err := ec2transitgateway.NewPeeringAttachmentAccepter(ctx, name, &ec2transitgateway.PeeringAttachmentAccepterArgs{
		TransitGatewayAttachmentId: args.AttachmentID,
		Tags:                       tags(args.Tags, name),
	}, parent)
	if err != nil {
		return nil, in.errorf("peering accepter: %w", err)
	}
	after := []pulumi.ResourceOption{parent, pulumi.DependsOn([]pulumi.Resource{acc})}
	if err := peerSide(ctx, in, name, args.AttachmentID, args.RouteTableID, args.PeerCIDR, after); err != nil {
		return nil, err
	}
	comp.AttachmentID = acc.TransitGatewayAttachmentId
	if err := ctx.RegisterResourceOutputs(comp, pulumi.Map{"attachmentId": comp.AttachmentID}); err != nil {
		return nil, in.errorf("register outputs: %w", err)
	}
	return comp, nil
}
