package transit

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/directconnect"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2transitgateway"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// OnPremLinkArgs configure the link from a Transit Gateway to the on-prem
// network: a Site-to-Site VPN and optionally Direct Connect.
type OnPremLinkArgs struct {
	// TransitGatewayID and RouteTableID are the gateway the VPN attaches to
	// and its route table (TransitGateway outputs).
	TransitGatewayID pulumi.StringInput
	RouteTableID     pulumi.StringInput
	// TransitGatewayASN is the gateway's Amazon-side ASN and PeerASN the
	// peer gateway's (0: none); both are checked against the customer
	// gateway's and the Direct Connect gateway's ASNs.
	TransitGatewayASN int
	PeerASN           int

	// CustomerGatewayIP is the on-prem router's public IPv4 address and
	// CustomerGatewayASN its BGP ASN.
	CustomerGatewayIP  string
	CustomerGatewayASN int
	// StaticRoutesOnly: the router does not speak BGP; the gateway gets a
	// static route to each of OnPremCIDRs over the VPN instead.
	StaticRoutesOnly bool
	// OnPremCIDRs are the on-prem networks. LocalCIDRs are the AWS-side
	// networks (this VPC, the peer VPC), checked against them for overlap.
	OnPremCIDRs []string
	LocalCIDRs  []string

	// TunnelInsideCIDRs are none (AWS picks) or one /30 in 169.254.0.0/16
	// per tunnel.
	TunnelInsideCIDRs []string
	// PresharedKeys are none (generated, the default) or one key per
	// tunnel. They enter the graph as secrets.
	PresharedKeys []string

	// DirectConnect adds a Direct Connect gateway associated with the
	// Transit Gateway; nil for none.
	DirectConnect *DirectConnectArgs

	Tags map[string]string
}

// DirectConnectArgs configure the Direct Connect gateway.
// The json names are the keys of a config object that holds it (the
// project's hawebtier:aws.transit.directConnect).
type DirectConnectArgs struct {
	// ASN is the Direct Connect gateway's Amazon-side private ASN.
	ASN int `json:"asn"`
	// AllowedPrefixes are the AWS networks advertised to on-prem over
	// Direct Connect.
	AllowedPrefixes []string `json:"allowedPrefixes"`
}

// Tunnel is what the on-prem router needs for one VPN tunnel.
type Tunnel struct {
	// OutsideAddress is the AWS endpoint's public IP.
	OutsideAddress pulumi.StringOutput
	// CustomerInsideAddress and AwsInsideAddress are the tunnel interface
	// addresses on the router and on AWS (the BGP neighbour).
	CustomerInsideAddress pulumi.StringOutput
	AwsInsideAddress      pulumi.StringOutput
	// PresharedKey is secret.
	PresharedKey pulumi.StringOutput
}

// OnPremLink is a customer gateway and a VPN connection attached to a
// Transit Gateway, and optionally a Direct Connect gateway.
type OnPremLink struct {
	pulumi.ResourceState

	CustomerGatewayID pulumi.StringOutput `pulumi:"customerGatewayId"`
	VpnConnectionID   pulumi.StringOutput `pulumi:"vpnConnectionId"`
	// VpnAttachmentID is the VPN's Transit Gateway attachment.
	VpnAttachmentID pulumi.StringOutput `pulumi:"vpnAttachmentId"`
	Tunnels         [2]Tunnel
	// DirectConnectGatewayID is empty without DirectConnect.
	DirectConnectGatewayID pulumi.StringOutput `pulumi:"directConnectGatewayId"`
}

// maxCustomerGatewayASN is the largest ASN the API takes in bgpAsn; larger
// 4-byte ASNs go in bgpAsnExtended.
const maxCustomerGatewayASN = 2147483647

func (a *OnPremLinkArgs) validate() []Problem {
	var ps problems
	ps.requireInput("TransitGatewayID", a.TransitGatewayID == nil, "the Transit Gateway the VPN attaches to")
	ps.requireInput("RouteTableID", a.RouteTableID == nil, "the Transit Gateway route table")
	ps.privateASN("TransitGatewayASN", a.TransitGatewayASN)
	if ip, err := netip.ParseAddr(a.CustomerGatewayIP); err != nil || !ip.Is4() || !ip.IsGlobalUnicast() || ip.IsPrivate() {
		ps.add("CustomerGatewayIP", "expected the on-prem router's public IPv4 address, got %q", a.CustomerGatewayIP)
	}
	if a.CustomerGatewayASN < 1 || a.CustomerGatewayASN > 4294967294 {
		ps.add("CustomerGatewayASN", "expected the on-prem router's BGP ASN (1-4294967294), got %d", a.CustomerGatewayASN)
	}
	asns := []namedASN{{"TransitGatewayASN", a.TransitGatewayASN}, {"PeerASN", a.PeerASN}, {"CustomerGatewayASN", a.CustomerGatewayASN}}
	if dx := a.DirectConnect; dx != nil {
		ps.privateASN("DirectConnect.ASN", dx.ASN)
		asns = append(asns, namedASN{"DirectConnect.ASN", dx.ASN})
		if len(dx.AllowedPrefixes) == 0 {
			ps.add("DirectConnect.AllowedPrefixes", "need at least one AWS network to advertise to on-prem")
		}
		for _, f := range indexed("DirectConnect.AllowedPrefixes", dx.AllowedPrefixes) {
			ps.cidr(f.name, f.value)
		}
	}
	ps.distinctASNs(asns...)

	ps.networks(append(indexed("LocalCIDRs", a.LocalCIDRs), indexed("OnPremCIDRs", a.OnPremCIDRs)...)...)
	if a.StaticRoutesOnly && len(a.OnPremCIDRs) == 0 {
		ps.add("OnPremCIDRs", "required with StaticRoutesOnly: the networks to route over the VPN")
	}

	if n := len(a.TunnelInsideCIDRs); n != 0 && n != 2 {
		ps.add("TunnelInsideCIDRs", "expected none (AWS picks) or 2 (one per tunnel), got %d", n)
	}
	for i, s := range a.TunnelInsideCIDRs {
		if err := CheckTunnelInsideCIDR(s); err != nil {
			ps.add(fmt.Sprintf("TunnelInsideCIDRs[%d]", i), "%v", err)
		}
	}
	if len(a.TunnelInsideCIDRs) == 2 && a.TunnelInsideCIDRs[0] == a.TunnelInsideCIDRs[1] {
		ps.add("TunnelInsideCIDRs[1]", "equals TunnelInsideCIDRs[0]: each tunnel needs its own /30")
	}
	if n := len(a.PresharedKeys); n != 0 && n != 2 {
		ps.add("PresharedKeys", "expected none (generated) or 2 (one per tunnel), got %d", n)
	}
	for i, k := range a.PresharedKeys {
		if err := CheckPresharedKey(k); err != nil {
			ps.add(fmt.Sprintf("PresharedKeys[%d]", i), "%v", err)
		}
	}
	return ps.list
}

// NewOnPremLink registers the customer gateway, the VPN connection attached
// to the Transit Gateway (not a virtual private gateway), generated
// pre-shared keys, the VPN attachment's association with and propagation
// into the gateway's route table, static routes to on-prem when
// StaticRoutesOnly, and the optional Direct Connect gateway.
func NewOnPremLink(ctx *pulumi.Context, name string, args *OnPremLinkArgs, opts ...pulumi.ResourceOption) (*OnPremLink, error) {
	if args == nil {
		args = &OnPremLinkArgs{}
	}
	comp := &OnPremLink{}
	in := instance{kindLink, name}
	if err := register(ctx, in, "hawebtier:aws:OnPremLink", args.validate(), comp, opts); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(comp)

	cgwArgs := &ec2.CustomerGatewayArgs{
		IpAddress: pulumi.String(args.CustomerGatewayIP),
		Type:      pulumi.String("ipsec.1"),
		Tags:      tags(args.Tags, name),
	}
	if asn := strconv.Itoa(args.CustomerGatewayASN); args.CustomerGatewayASN > maxCustomerGatewayASN {
		cgwArgs.BgpAsnExtended = pulumi.String(asn)
	} else {
		cgwArgs.BgpAsn = pulumi.String(asn)
	}
	cgw, err := ec2.NewCustomerGateway(ctx, name, cgwArgs, parent)
	if err != nil {
		return nil, in.errorf("customer gateway: %w", err)
	}

	var keys [2]pulumi.StringInput
	for i := range keys {
		if len(args.PresharedKeys) == 2 {
			keys[i] = pulumi.ToSecret(pulumi.String(args.PresharedKeys[i])).(pulumi.StringOutput)
			continue
		}
		k, err := newPresharedKey(ctx, fmt.Sprintf("%s-tunnel%d-psk", name, i+1), parent)
		if err != nil {
			return nil, in.errorf("tunnel %d pre-shared key: %w", i+1, err)
		}
		keys[i] = k
	}
	vpnArgs := &ec2.VpnConnectionArgs{
		Type:              pulumi.String("ipsec.1"),
		CustomerGatewayId: cgw.ID(),
		// Attached to the Transit Gateway, never a VPN gateway: the
		// gateway routes on-prem to both environments' VPCs.
		TransitGatewayId:    args.TransitGatewayID,
		StaticRoutesOnly:    pulumi.Bool(args.StaticRoutesOnly),
		Tunnel1PresharedKey: keys[0],
		Tunnel2PresharedKey: keys[1],
		Tags:                tags(args.Tags, name),
	}
	if len(args.TunnelInsideCIDRs) == 2 {
		vpnArgs.Tunnel1InsideCidr = pulumi.String(args.TunnelInsideCIDRs[0])
		vpnArgs.Tunnel2InsideCidr = pulumi.String(args.TunnelInsideCIDRs[1])
	}
	vpn, err := ec2.NewVpnConnection(ctx, name, vpnArgs, parent)
	if err != nil {
		return nil, in.errorf("vpn connection: %w", err)
	}
	if err := associate(ctx, name+"-vpn", vpn.TransitGatewayAttachmentId, args.RouteTableID, true, parent); err != nil {
		return nil, in.errorf("vpn attachment: %w", err)
	}
	if args.StaticRoutesOnly {
		for _, cidr := range args.OnPremCIDRs {
			if _, err := ec2transitgateway.NewRoute(ctx, name+"-vpn-"+cidrSlug(cidr), &ec2transitgateway.RouteArgs{
				TransitGatewayRouteTableId: args.RouteTableID,
				DestinationCidrBlock:       pulumi.String(cidr),
				TransitGatewayAttachmentId: vpn.TransitGatewayAttachmentId,
			}, parent); err != nil {
				return nil, in.errorf("static route to %s: %w", cidr, err)
			}
		}
	}

	comp.DirectConnectGatewayID = pulumi.String("").ToStringOutput()
	if dx := args.DirectConnect; dx != nil {
		id, err := directConnect(ctx, in, args, parent)
		if err != nil {
			return nil, err
		}
		comp.DirectConnectGatewayID = id
	}

	comp.CustomerGatewayID = cgw.ID().ToStringOutput()
	comp.VpnConnectionID = vpn.ID().ToStringOutput()
	comp.VpnAttachmentID = vpn.TransitGatewayAttachmentId
	comp.Tunnels = [2]Tunnel{
		{vpn.Tunnel1Address, vpn.Tunnel1CgwInsideAddress, vpn.Tunnel1VgwInsideAddress, pulumi.ToSecret(vpn.Tunnel1PresharedKey).(pulumi.StringOutput)},
		{vpn.Tunnel2Address, vpn.Tunnel2CgwInsideAddress, vpn.Tunnel2VgwInsideAddress, pulumi.ToSecret(vpn.Tunnel2PresharedKey).(pulumi.StringOutput)},
	}
	if err := ctx.RegisterResourceOutputs(comp, pulumi.Map{
		"customerGatewayId":      comp.CustomerGatewayID,
		"vpnConnectionId":        comp.VpnConnectionID,
		"vpnAttachmentId":        comp.VpnAttachmentID,
		"tunnels":                comp.TunnelsOutput(),
		"directConnectGatewayId": comp.DirectConnectGatewayID,
	}); err != nil {
		return nil, in.errorf("register outputs: %w", err)
	}
	return comp, nil
}

// TunnelsOutput is the router's view of both tunnels, ready to export:
// outsideAddress, customerInsideAddress, awsInsideAddress and presharedKey
// (secret) for each.
func (l *OnPremLink) TunnelsOutput() pulumi.MapArray {
	out := pulumi.MapArray{}
	for _, t := range l.Tunnels {
		out = append(out, pulumi.Map{
			"outsideAddress":        t.OutsideAddress,
			"customerInsideAddress": t.CustomerInsideAddress,
			"awsInsideAddress":      t.AwsInsideAddress,
			"presharedKey":          pulumi.ToSecret(t.PresharedKey),
		})
	}
	return out
}

// directConnect registers the Direct Connect gateway, its association with
// the Transit Gateway and, because default association is off, the
// association and propagation of the attachment AWS creates for it.
func directConnect(ctx *pulumi.Context, in instance, args *OnPremLinkArgs, parent pulumi.ResourceOrInvokeOption) (pulumi.StringOutput, error) {
	name := in.name
	dx := args.DirectConnect
	gw, err := directconnect.NewGateway(ctx, name+"-dx", &directconnect.GatewayArgs{
		Name:          pulumi.String(name + "-dx"),
		AmazonSideAsn: pulumi.String(strconv.Itoa(dx.ASN)),
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, in.errorf("direct connect gateway: %w", err)
	}
	assoc, err := directconnect.NewGatewayAssociation(ctx, name+"-dx", &directconnect.GatewayAssociationArgs{
		DxGatewayId:         gw.ID(),
		AssociatedGatewayId: args.TransitGatewayID,
		AllowedPrefixes:     pulumi.ToStringArray(dx.AllowedPrefixes),
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, in.errorf("direct connect association: %w", err)
	}
	// The association creates the attachment; its id is only found by
	// looking it up once the association exists.
	att := ec2transitgateway.GetDirectConnectGatewayAttachmentOutput(ctx, ec2transitgateway.GetDirectConnectGatewayAttachmentOutputArgs{
		DxGatewayId:      assoc.DxGatewayId,
		TransitGatewayId: args.TransitGatewayID,
	}, parent, pulumi.DependsOn([]pulumi.Resource{assoc}))
	if err := associate(ctx, name+"-dx", att.Id(), args.RouteTableID, true, parent); err != nil {
		return pulumi.StringOutput{}, in.errorf("direct connect attachment: %w", err)
	}
	return gw.ID().ToStringOutput(), nil
}
