package transit_test

import (
	"errors"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/transit"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

// peeringArgs are production's side, with staging's ids as a
// StackReference would give them.
func peeringArgs(peer *aws.Provider) *transit.PeeringArgs {
	return &transit.PeeringArgs{
		TransitGatewayID:       pulumi.String("tgw-0prod"),
		RouteTableID:           pulumi.String("tgw-rtb-0prod"),
		LocalCIDR:              "10.120.0.0/16",
		PeerTransitGatewayID:   pulumi.String("tgw-0staging"),
		PeerRouteTableID:       pulumi.String("tgw-rtb-0staging"),
		PeerRegion:             "eu-central-1",
		PeerCIDR:               "10.110.0.0/16",
		PeerVpcRouteTableIDs:   pulumi.ToStringArray([]string{"rtb-0stga", "rtb-0stgb", "rtb-0stgc"}),
		PeerVpcRouteTableCount: 3,
		PeerProvider:           peer,
		LocalASN:               64602,
		PeerASN:                64601,
	}
}

func TestPeeringSameAccount(t *testing.T) {
	t.Parallel()
	res, err := run(t, func(ctx *pulumi.Context) error {
		peer, err := peerProvider(ctx)
		if err != nil {
			return err
		}
		_, err = transit.NewPeering(ctx, "prod-stg", peeringArgs(peer))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	peer := mocktest.MustFind(t, res, tAWSProvider, "peer")
	att := mocktest.MustFind(t, res, tPeering, "prod-stg")
	got := map[string]any{
		"transitGatewayId":     att.Input("transitGatewayId"),
		"peerTransitGatewayId": att.Input("peerTransitGatewayId"),
		"peerRegion":           att.Input("peerRegion"),
		"peerAccountId":        att.Input("peerAccountId"),
	}
	want := map[string]any{"transitGatewayId": "tgw-0prod", "peerTransitGatewayId": "tgw-0staging", "peerRegion": "eu-central-1", "peerAccountId": nil}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("peering attachment (-want +got):\n%s", d)
	}
	if att.ProviderURN() == peer.URN {
		t.Error("the attachment is requested from this side, not on the peer provider")
	}

	acc := mocktest.MustFind(t, res, tAccepter, "prod-stg-accept")
	if acc.ProviderURN() != peer.URN {
		t.Errorf("accepter provider = %q, want the peer provider %q", acc.ProviderURN(), peer.URN)
	}
	if acc.String("transitGatewayAttachmentId") != att.ID {
		t.Errorf("accepter accepts %q, want %q", acc.String("transitGatewayAttachmentId"), att.ID)
	}

	// Each side: association, static route; peer VPC: one route per route
	// table. side says which provider it must use.
	type row struct {
		Type, Name, Side, RouteTable, Destination, Target string
	}
	var rows []row
	for _, r := range res.Resources {
		if r.Type != tAssoc && r.Type != tTGWRoute && r.Type != tVPCRoute {
			continue
		}
		side := "local"
		if r.ProviderURN() == peer.URN {
			side = "peer"
		}
		rt := r.String("transitGatewayRouteTableId")
		target := r.String("transitGatewayAttachmentId")
		if r.Type == tVPCRoute {
			rt, target = r.String("routeTableId"), r.String("transitGatewayId")
		}
		rows = append(rows, row{r.Type, r.Name, side, rt, r.String("destinationCidrBlock"), target})
		// Explicit: the acceptance is not an input of these resources.
		if !contains(r.Dependencies, acc.URN) || !res.DependsOn(r, acc) {
			t.Errorf("%s %s does not depend on the acceptance %s: %v", r.Type, r.Name, acc.URN, r.Dependencies)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Type+rows[i].Name < rows[j].Type+rows[j].Name })
	wantRows := []row{
		{tVPCRoute, "prod-stg-peer-rt0-10-120-0-0-16", "peer", "rtb-0stga", "10.120.0.0/16", "tgw-0staging"},
		{tVPCRoute, "prod-stg-peer-rt1-10-120-0-0-16", "peer", "rtb-0stgb", "10.120.0.0/16", "tgw-0staging"},
		{tVPCRoute, "prod-stg-peer-rt2-10-120-0-0-16", "peer", "rtb-0stgc", "10.120.0.0/16", "tgw-0staging"},
		{tTGWRoute, "prod-stg-10-110-0-0-16", "local", "tgw-rtb-0prod", "10.110.0.0/16", att.ID},
		{tTGWRoute, "prod-stg-peer-10-120-0-0-16", "peer", "tgw-rtb-0staging", "10.120.0.0/16", att.ID},
		{tAssoc, "prod-stg", "local", "tgw-rtb-0prod", "", att.ID},
		{tAssoc, "prod-stg-peer", "peer", "tgw-rtb-0staging", "", att.ID},
	}
	if d := cmp.Diff(wantRows, rows); d != "" {
		t.Errorf("routes and associations (-want +got):\n%s", d)
	}
	if n := len(res.OfType(tProp)); n != 0 {
		t.Errorf("%d propagations: a peering attachment carries static routes only", n)
	}
}

func TestPeeringCrossAccount(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		accepted bool
		want     []string // type/name of what the component registers
	}{
		"before the peer accepted": {false, []string{tPeering + "/prod-stg"}},
		"after the peer accepted": {true, []string{
			tPeering + "/prod-stg",
			tAssoc + "/prod-stg",
			tTGWRoute + "/prod-stg-10-110-0-0-16",
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := run(t, func(ctx *pulumi.Context) error {
				args := peeringArgs(nil)
				args.CrossAccount, args.PeerAccepted = true, tc.accepted
				args.PeerAccountID = "210987654321"
				args.PeerVpcRouteTableIDs, args.PeerVpcRouteTableCount = nil, 0
				_, err := transit.NewPeering(ctx, "prod-stg", args)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range res.Resources {
				if r.Custom {
					got = append(got, r.Type+"/"+r.Name)
				}
			}
			sort.Strings(got)
			sort.Strings(tc.want)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("registered (-want +got):\n%s", d)
			}
			if a := mocktest.MustFind(t, res, tPeering, "prod-stg"); a.String("peerAccountId") != "210987654321" {
				t.Errorf("peerAccountId = %q", a.String("peerAccountId"))
			}
		})
	}
}

func TestPeeringAccepter(t *testing.T) {
	t.Parallel()
	res, err := run(t, func(ctx *pulumi.Context) error {
		_, err := transit.NewPeeringAccepter(ctx, "stg-prod", &transit.PeeringAccepterArgs{
			AttachmentID: pulumi.String("tgw-attach-0fromprod"),
			RouteTableID: pulumi.String("tgw-rtb-0staging"),
			LocalCIDR:    "10.110.0.0/16",
			PeerCIDR:     "10.120.0.0/16",
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	acc := mocktest.MustFind(t, res, tAccepter, "stg-prod")
	if acc.String("transitGatewayAttachmentId") != "tgw-attach-0fromprod" {
		t.Errorf("accepts %q", acc.String("transitGatewayAttachmentId"))
	}
	route := mocktest.MustFind(t, res, tTGWRoute, "stg-prod-10-120-0-0-16")
	assoc := mocktest.MustFind(t, res, tAssoc, "stg-prod")
	for _, r := range []*mocktest.Resource{route, assoc} {
		if !contains(r.Dependencies, acc.URN) {
			t.Errorf("%s %s does not depend on the acceptance", r.Type, r.Name)
		}
		if r.String("transitGatewayRouteTableId") != "tgw-rtb-0staging" || r.String("transitGatewayAttachmentId") != "tgw-attach-0fromprod" {
			t.Errorf("%s %s inputs %v", r.Type, r.Name, mocktest.PlainMap(r.Inputs))
		}
	}
}

func TestPeeringWithoutPeerProvider(t *testing.T) {
	t.Parallel()
	res, err := run(t, func(ctx *pulumi.Context) error {
		_, err := transit.NewPeering(ctx, "prod-stg", peeringArgs(nil))
		return err
	})
	var ae *transit.ArgsError
	if !errors.As(err, &ae) || !ae.Has("PeerProvider", "required: an aws.Provider for the peer side") {
		t.Fatalf("want an ArgsError naming PeerProvider, got %v", err)
	}
	mocktest.RequireNothingRegistered(t, res, tAWSProvider)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
