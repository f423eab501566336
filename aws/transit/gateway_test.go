package transit_test

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/transit"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

func gatewayArgs() *transit.TransitGatewayArgs {
	return &transit.TransitGatewayArgs{
		AmazonSideASN:   64602,
		VpcID:           pulumi.String("vpc-0prod"),
		SubnetIDs:       pulumi.ToStringArray([]string{"subnet-a", "subnet-b", "subnet-c"}),
		VpcCIDR:         "10.120.0.0/16",
		RouteTableIDs:   pulumi.ToStringArray([]string{"rtb-a", "rtb-b", "rtb-c"}),
		RouteTableCount: 3,
		PeerCIDR:        "10.110.0.0/16",
		OnPremCIDRs:     []string{"10.20.0.0/16", "192.168.50.0/24"},
	}
}

func TestTransitGatewayShape(t *testing.T) {
	t.Parallel()
	res, err := run(t, func(ctx *pulumi.Context) error {
		_, err := transit.NewTransitGateway(ctx, "prod", gatewayArgs())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tgw := mocktest.MustFind(t, res, tTGW, "prod")
	got := map[string]any{
		"amazonSideAsn":                tgw.Input("amazonSideAsn"),
		"defaultRouteTableAssociation": tgw.Input("defaultRouteTableAssociation"),
		"defaultRouteTablePropagation": tgw.Input("defaultRouteTablePropagation"),
	}
	want := map[string]any{"amazonSideAsn": 64602.0, "defaultRouteTableAssociation": "disable", "defaultRouteTablePropagation": "disable"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("transit gateway inputs (-want +got):\n%s", d)
	}
	rtb := mocktest.MustFind(t, res, tTGWRouteTab, "prod")
	if rtb.String("transitGatewayId") != tgw.ID {
		t.Errorf("route table belongs to %q, want %q", rtb.String("transitGatewayId"), tgw.ID)
	}
	att := mocktest.MustFind(t, res, tVPCAttach, "prod-vpc")
	if d := cmp.Diff([]any{"subnet-a", "subnet-b", "subnet-c"}, att.Input("subnetIds")); d != "" {
		t.Errorf("attachment subnets (-want +got):\n%s", d)
	}
	if att.Input("transitGatewayDefaultRouteTableAssociation") != false || att.Input("transitGatewayDefaultRouteTablePropagation") != false {
		t.Errorf("VPC attachment must not use the default route table: %v", att.Inputs)
	}
	for _, typ := range []string{tAssoc, tProp} {
		r := mocktest.MustFind(t, res, typ, "prod-vpc")
		if r.String("transitGatewayAttachmentId") != att.ID || r.String("transitGatewayRouteTableId") != rtb.ID {
			t.Errorf("%s joins %q to %q, want %q to %q", typ, r.String("transitGatewayAttachmentId"), r.String("transitGatewayRouteTableId"), att.ID, rtb.ID)
		}
	}
	for _, r := range res.Resources {
		if r.Custom && !under(res, r, "hawebtier:aws:TransitGateway", "prod") {
			t.Errorf("%s %s is not parented by the component", r.Type, r.Name)
		}
	}
}

// Every route table gets a route to the gateway for every remote network,
// and each waits for the VPC attachment (AWS refuses a route to a gateway
// the VPC is not attached to).
func TestTransitGatewayVPCRoutes(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		edit func(a *transit.TransitGatewayArgs)
		want []string // "route table -> destination"
	}{
		"peer and on-prem in three route tables": {
			edit: func(*transit.TransitGatewayArgs) {},
			want: []string{
				"rtb-a -> 10.110.0.0/16", "rtb-a -> 10.20.0.0/16", "rtb-a -> 192.168.50.0/24",
				"rtb-b -> 10.110.0.0/16", "rtb-b -> 10.20.0.0/16", "rtb-b -> 192.168.50.0/24",
				"rtb-c -> 10.110.0.0/16", "rtb-c -> 10.20.0.0/16", "rtb-c -> 192.168.50.0/24",
			},
		},
		"no peer, two AZs": {
			edit: func(a *transit.TransitGatewayArgs) {
				a.PeerCIDR = ""
				a.RouteTableIDs = pulumi.ToStringArray([]string{"rtb-a", "rtb-b"})
				a.RouteTableCount = 2
			},
			want: []string{
				"rtb-a -> 10.20.0.0/16", "rtb-a -> 192.168.50.0/24",
				"rtb-b -> 10.20.0.0/16", "rtb-b -> 192.168.50.0/24",
			},
		},
		"no route tables": {
			edit: func(a *transit.TransitGatewayArgs) { a.RouteTableIDs, a.RouteTableCount = nil, 0 },
			want: nil,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := gatewayArgs()
			tc.edit(args)
			var gw *transit.TransitGateway
			res, err := run(t, func(ctx *pulumi.Context) error {
				var err error
				gw, err = transit.NewTransitGateway(ctx, "prod", args)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			tgw := mocktest.MustFind(t, res, tTGW, "prod")
			att := mocktest.MustFind(t, res, tVPCAttach, "prod-vpc")
			var got []string
			for _, r := range res.OfType(tVPCRoute) {
				got = append(got, r.String("routeTableId")+" -> "+r.String("destinationCidrBlock"))
				if r.String("transitGatewayId") != tgw.ID {
					t.Errorf("route %s targets %q, want the transit gateway %q", r.Name, r.String("transitGatewayId"), tgw.ID)
				}
				if !res.DependsOn(r, att) {
					t.Errorf("route %s does not wait for the VPC attachment", r.Name)
				}
			}
			sort.Strings(got)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("VPC routes (-want +got):\n%s", d)
			}
			if gw.AmazonSideASN != 64602 {
				t.Errorf("AmazonSideASN = %d", gw.AmazonSideASN)
			}
		})
	}
}

func TestTransitGatewayOutputs(t *testing.T) {
	t.Parallel()
	got := map[string]string{}
	res, err := run(t, func(ctx *pulumi.Context) error {
		gw, err := transit.NewTransitGateway(ctx, "prod", gatewayArgs())
		if err != nil {
			return err
		}
		pulumi.All(gw.TransitGatewayID, gw.RouteTableID, gw.VpcAttachmentID).ApplyT(func(v []any) error {
			got["tgw"], got["rtb"], got["att"] = v[0].(string), v[1].(string), v[2].(string)
			return nil
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"tgw": id(res, tTGW, "prod"), "rtb": id(res, tTGWRouteTab, "prod"), "att": id(res, tVPCAttach, "prod-vpc")}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("outputs (-want +got):\n%s", d)
	}
	for k, v := range got {
		if v == "" {
			t.Errorf("output %s is empty", k)
		}
	}
}
