package transit_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/transit"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

func TestCheckTunnelInsideCIDR(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		cidr string
		want string // "" when accepted, else part of the error
	}{
		"ordinary /30":           {"169.254.10.0/30", ""},
		"top of the range":       {"169.254.255.252/30", ""},
		"just after reserved":    {"169.254.6.0/30", ""},
		"next to metadata range": {"169.254.169.248/30", ""},
		"reserved 0.0":           {"169.254.0.0/30", "reserved by AWS"},
		"reserved 1.0":           {"169.254.1.0/30", "reserved by AWS"},
		"reserved 2.0":           {"169.254.2.0/30", "reserved by AWS"},
		"reserved 3.0":           {"169.254.3.0/30", "reserved by AWS"},
		"reserved 4.0":           {"169.254.4.0/30", "reserved by AWS"},
		"reserved 5.0":           {"169.254.5.0/30", "reserved by AWS"},
		"reserved 169.252":       {"169.254.169.252/30", "reserved by AWS"},
		"/29":                    {"169.254.10.0/29", "expected a /30"},
		"host bits":              {"169.254.10.1/30", "expected a /30"},
		"outside link-local":     {"10.0.0.0/30", "expected a /30"},
		"garbage":                {"tunnel", "expected a /30"},
		"IPv6":                   {"fd00::/126", "expected a /30"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := transit.CheckTunnelInsideCIDR(tc.cidr)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("rejected: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestCheckPresharedKey(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		key  string
		want string
	}{
		"letters digits dot underscore": {"Ab3.cd_Ef9", ""},
		"eight":                         {"abcdefgh", ""},
		"sixty-four":                    {strings.Repeat("a", 64), ""},
		"zero inside":                   {"a0000000", ""},
		"seven":                         {"abcdefg", "length 7"},
		"sixty-five":                    {strings.Repeat("a", 65), "length 65"},
		"leading zero":                  {"0abcdefgh", "starts with 0"},
		"dash":                          {"abc-defgh", "character 4"},
		"space":                         {"abc defgh", "character 4"},
		"non-ASCII":                     {"abcdéfghi", "character 5"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := transit.CheckPresharedKey(tc.key)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("rejected: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one containing %q", err, tc.want)
			case err != nil && strings.Contains(err.Error(), tc.key):
				t.Errorf("the error quotes the key: %v", err)
			}
		})
	}
}

// Bad arguments fail with every problem named and register nothing.
func TestBadArgsRegisterNothing(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		fn   func(ctx *pulumi.Context) error
		want []transit.Problem // Field and a substring of Message
	}{
		"gateway: peer overlaps our VPC": {
			fn:   gateway(func(a *transit.TransitGatewayArgs) { a.PeerCIDR = "10.120.128.0/17" }),
			want: []transit.Problem{{Field: "PeerCIDR", Message: "overlaps VpcCIDR"}},
		},
		"gateway: on-prem overlaps peer": {
			fn:   gateway(func(a *transit.TransitGatewayArgs) { a.OnPremCIDRs = []string{"10.20.0.0/16", "10.110.4.0/24"} }),
			want: []transit.Problem{{Field: "OnPremCIDRs[1]", Message: "overlaps PeerCIDR"}},
		},
		"gateway: public ASN, host bits, no route table ids": {
			fn: gateway(func(a *transit.TransitGatewayArgs) {
				a.AmazonSideASN = 7224
				a.OnPremCIDRs = []string{"10.20.0.1/16"}
				a.RouteTableIDs = nil
			}),
			want: []transit.Problem{
				{Field: "AmazonSideASN", Message: "private ASN"},
				{Field: "OnPremCIDRs[0]", Message: "host bits"},
				{Field: "RouteTableIDs", Message: "RouteTableCount is 3"},
			},
		},
		"peering: equal ASNs": {
			fn:   peering(func(a *transit.PeeringArgs) { a.PeerASN = a.LocalASN }),
			want: []transit.Problem{{Field: "PeerASN", Message: "equals LocalASN"}},
		},
		"peering: overlapping CIDRs, bad region": {
			fn: peering(func(a *transit.PeeringArgs) { a.PeerCIDR, a.PeerRegion = "10.120.0.0/24", "Frankfurt" }),
			want: []transit.Problem{
				{Field: "PeerCIDR", Message: "overlaps LocalCIDR"},
				{Field: "PeerRegion", Message: "AWS region"},
			},
		},
		"peering: cross-account without account": {
			fn: peering(func(a *transit.PeeringArgs) {
				a.CrossAccount = true
				a.PeerVpcRouteTableIDs, a.PeerVpcRouteTableCount = nil, 0
			}),
			want: []transit.Problem{{Field: "PeerAccountID", Message: "required with CrossAccount"}},
		},
		"accepter: overlapping CIDRs, no attachment": {
			fn: func(ctx *pulumi.Context) error {
				_, err := transit.NewPeeringAccepter(ctx, "x", &transit.PeeringAccepterArgs{
					RouteTableID: pulumi.String("tgw-rtb-1"), LocalCIDR: "10.110.0.0/16", PeerCIDR: "10.0.0.0/8",
				})
				return err
			},
			want: []transit.Problem{
				{Field: "AttachmentID", Message: "required"},
				{Field: "PeerCIDR", Message: "overlaps LocalCIDR"},
			},
		},
		"on-prem: customer gateway ASN equals the Transit Gateway's": {
			fn:   onPrem(func(a *transit.OnPremLinkArgs) { a.CustomerGatewayASN = a.TransitGatewayASN }),
			want: []transit.Problem{{Field: "CustomerGatewayASN", Message: "equals TransitGatewayASN"}},
		},
		"on-prem: customer gateway ASN equals the peer's": {
			fn:   onPrem(func(a *transit.OnPremLinkArgs) { a.CustomerGatewayASN = a.PeerASN }),
			want: []transit.Problem{{Field: "CustomerGatewayASN", Message: "equals PeerASN"}},
		},
		"on-prem: Direct Connect ASN equals the Transit Gateway's": {
			fn: onPrem(func(a *transit.OnPremLinkArgs) {
				a.DirectConnect = &transit.DirectConnectArgs{ASN: a.TransitGatewayASN, AllowedPrefixes: []string{"10.120.0.0/16"}}
			}),
			want: []transit.Problem{{Field: "DirectConnect.ASN", Message: "equals TransitGatewayASN"}},
		},
		"on-prem: reserved inside CIDR": {
			fn:   onPrem(func(a *transit.OnPremLinkArgs) { a.TunnelInsideCIDRs[1] = "169.254.169.252/30" }),
			want: []transit.Problem{{Field: "TunnelInsideCIDRs[1]", Message: "reserved by AWS"}},
		},
		"on-prem: on-prem overlaps staging": {
			fn:   onPrem(func(a *transit.OnPremLinkArgs) { a.OnPremCIDRs = []string{"10.0.0.0/8"} }),
			want: []transit.Problem{{Field: "OnPremCIDRs[0]", Message: "overlaps LocalCIDRs[0]"}},
		},
		"on-prem: several at once": {
			fn: onPrem(func(a *transit.OnPremLinkArgs) {
				a.CustomerGatewayIP = "192.168.1.1"
				a.TunnelInsideCIDRs = []string{"169.254.10.0/30"}
				a.PresharedKeys = []string{"short"}
				a.DirectConnect = &transit.DirectConnectArgs{ASN: 64602}
			}),
			want: []transit.Problem{
				{Field: "CustomerGatewayIP", Message: "public IPv4"},
				{Field: "DirectConnect.ASN", Message: "equals TransitGatewayASN"},
				{Field: "DirectConnect.AllowedPrefixes", Message: "at least one"},
				{Field: "PresharedKeys", Message: "got 1"},
				{Field: "PresharedKeys[0]", Message: "length 5"},
				{Field: "TunnelInsideCIDRs", Message: "got 1"},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := run(t, tc.fn)
			var ae *transit.ArgsError
			if !errors.As(err, &ae) {
				t.Fatalf("want an *ArgsError, got %v", err)
			}
			var fields, want []string
			for _, p := range ae.Problems {
				fields = append(fields, p.Field)
			}
			for _, w := range tc.want {
				want = append(want, w.Field)
				if !ae.Has(w.Field, w.Message) {
					t.Errorf("no problem %s containing %q in:\n%v", w.Field, w.Message, err)
				}
			}
			if d := cmp.Diff(want, fields); d != "" {
				t.Errorf("problem fields (-want +got):\n%s\n%v", d, err)
			}
			mocktest.RequireNothingRegistered(t, res, tAWSProvider)
		})
	}
}

func gateway(edit func(*transit.TransitGatewayArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := gatewayArgs()
		edit(a)
		_, err := transit.NewTransitGateway(ctx, "prod", a)
		return err
	}
}

func peering(edit func(*transit.PeeringArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := peeringArgs(nil)
		edit(a)
		if !a.CrossAccount {
			// A real provider object, so the only problems are the edit's.
			p, err := peerProvider(ctx)
			if err != nil {
				return err
			}
			a.PeerProvider = p
		}
		_, err := transit.NewPeering(ctx, "prod-stg", a)
		return err
	}
}

func onPrem(edit func(*transit.OnPremLinkArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := onPremArgs()
		edit(a)
		_, err := transit.NewOnPremLink(ctx, "onprem", a)
		return err
	}
}
