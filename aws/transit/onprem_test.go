package transit_test

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/transit"
	"github.com/hawebtier/hawebtier/internal/mocktest"
)

func onPremArgs() *transit.OnPremLinkArgs {
	return &transit.OnPremLinkArgs{
		TransitGatewayID:   pulumi.String("tgw-0prod"),
		RouteTableID:       pulumi.String("tgw-rtb-0prod"),
		TransitGatewayASN:  64602,
		PeerASN:            64601,
		CustomerGatewayIP:  "198.51.100.10",
		CustomerGatewayASN: 65010,
		OnPremCIDRs:        []string{"10.20.0.0/16", "10.21.0.0/16"},
		LocalCIDRs:         []string{"10.120.0.0/16", "10.110.0.0/16"},
		TunnelInsideCIDRs:  []string{"169.254.10.0/30", "169.254.10.4/30"},
	}
}

// onPremRun is one evaluation of NewOnPremLink and the VPN attachment id
// the component exposed.
type onPremRun struct {
	res        *mocktest.Result
	link       *transit.OnPremLink
	attachment string
}

func runOnPrem(t *testing.T, args *transit.OnPremLinkArgs) onPremRun {
	t.Helper()
	var out onPremRun
	res, err := run(t, func(ctx *pulumi.Context) error {
		var err error
		out.link, err = transit.NewOnPremLink(ctx, "onprem", args)
		if err != nil {
			return err
		}
		out.link.VpnAttachmentID.ApplyT(func(s string) string { out.attachment = s; return s })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out.res = res
	return out
}

func TestVPNAttachedToTransitGateway(t *testing.T) {
	t.Parallel()
	for name, static := range map[string]bool{"BGP": false, "static": true} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := onPremArgs()
			args.StaticRoutesOnly = static
			op := runOnPrem(t, args)
			res := op.res
			if !strings.HasPrefix(op.attachment, "tgw-attach-") {
				t.Fatalf("VpnAttachmentID = %q, want the VPN's Transit Gateway attachment", op.attachment)
			}
			cgw := mocktest.MustFind(t, res, tCGW, "onprem")
			if d := cmp.Diff(map[string]any{"bgpAsn": "65010", "ipAddress": "198.51.100.10", "type": "ipsec.1"},
				map[string]any{"bgpAsn": cgw.Input("bgpAsn"), "ipAddress": cgw.Input("ipAddress"), "type": cgw.Input("type")}); d != "" {
				t.Errorf("customer gateway (-want +got):\n%s", d)
			}
			vpn := mocktest.MustFind(t, res, tVPN, "onprem")
			got := map[string]any{
				"transitGatewayId":  vpn.Input("transitGatewayId"),
				"vpnGatewayId":      vpn.Input("vpnGatewayId"),
				"customerGatewayId": vpn.Input("customerGatewayId"),
				"type":              vpn.Input("type"),
				"staticRoutesOnly":  vpn.Input("staticRoutesOnly"),
				"tunnel1InsideCidr": vpn.Input("tunnel1InsideCidr"),
				"tunnel2InsideCidr": vpn.Input("tunnel2InsideCidr"),
			}
			want := map[string]any{
				"transitGatewayId": "tgw-0prod", "vpnGatewayId": nil, "customerGatewayId": cgw.ID,
				"type": "ipsec.1", "staticRoutesOnly": static,
				"tunnel1InsideCidr": "169.254.10.0/30", "tunnel2InsideCidr": "169.254.10.4/30",
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("vpn connection (-want +got):\n%s", d)
			}
			attachment := op.attachment
			for _, typ := range []string{tAssoc, tProp} {
				r := mocktest.MustFind(t, res, typ, "onprem-vpn")
				if r.String("transitGatewayAttachmentId") != attachment || r.String("transitGatewayRouteTableId") != "tgw-rtb-0prod" {
					t.Errorf("%s: %v, want attachment %v in tgw-rtb-0prod", typ, mocktest.PlainMap(r.Inputs), attachment)
				}
			}
			var routes []string
			for _, r := range res.OfType(tTGWRoute) {
				if r.String("transitGatewayAttachmentId") != attachment || r.String("transitGatewayRouteTableId") != "tgw-rtb-0prod" {
					t.Errorf("route %s: %v", r.Name, mocktest.PlainMap(r.Inputs))
				}
				routes = append(routes, r.String("destinationCidrBlock"))
			}
			sort.Strings(routes)
			var wantRoutes []string
			if static {
				wantRoutes = []string{"10.20.0.0/16", "10.21.0.0/16"}
			}
			if d := cmp.Diff(wantRoutes, routes); d != "" {
				t.Errorf("static routes to on-prem (-want +got):\n%s", d)
			}
		})
	}
}

func TestPresharedKeysGeneratedAndSecret(t *testing.T) {
	t.Parallel()
	op := runOnPrem(t, onPremArgs())
	res, link := op.res, op.link
	vpn := mocktest.MustFind(t, res, tVPN, "onprem")
	secret := map[string]bool{}
	for _, p := range vpn.SecretPaths {
		secret[p] = true
	}
	for _, k := range []string{"tunnel1PresharedKey", "tunnel2PresharedKey"} {
		if !secret[k] {
			t.Errorf("%s is not secret; secret paths: %v", k, vpn.SecretPaths)
		}
		if err := transit.CheckPresharedKey(vpn.String(k)); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	if vpn.String("tunnel1PresharedKey") == vpn.String("tunnel2PresharedKey") {
		t.Error("both tunnels got the same key")
	}
	// Two random passwords per tunnel: a letter lead and the body.
	type pw struct {
		Name                           string
		Length                         float64
		Upper, Lower, Numeric, Special any
		OverrideSpecial                any
	}
	var got []pw
	for _, r := range res.OfType(tPassword) {
		got = append(got, pw{r.Name, r.Input("length").(float64), r.Input("upper"), r.Input("lower"), r.Input("numeric"), r.Input("special"), r.Input("overrideSpecial")})
	}
	lead := func(n string) pw { return pw{n, 1, true, true, false, false, nil} }
	body := func(n string) pw { return pw{n, 39, true, true, true, true, "._"} }
	want := []pw{body("onprem-tunnel1-psk-body"), lead("onprem-tunnel1-psk-lead"), body("onprem-tunnel2-psk-body"), lead("onprem-tunnel2-psk-lead")}
	sort.Slice(got, func(i, j int) bool { return got[i].Name < got[j].Name })
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("random passwords (-want +got):\n%s", d)
	}
	for i, tun := range link.Tunnels {
		if !pulumi.IsSecret(tun.PresharedKey) {
			t.Errorf("Tunnels[%d].PresharedKey is not secret", i)
		}
		if pulumi.IsSecret(tun.OutsideAddress) {
			t.Errorf("Tunnels[%d].OutsideAddress is secret; the router admin needs it", i)
		}
	}
}

func TestPresharedKeysSupplied(t *testing.T) {
	t.Parallel()
	args := onPremArgs()
	args.PresharedKeys = []string{"Kx7.abc_def12", "Zq9_uvw.xyz34"}
	res := runOnPrem(t, args).res
	if n := len(res.OfType(tPassword)); n != 0 {
		t.Errorf("generated %d passwords although keys were supplied", n)
	}
	vpn := mocktest.MustFind(t, res, tVPN, "onprem")
	if vpn.String("tunnel1PresharedKey") != "Kx7.abc_def12" || vpn.String("tunnel2PresharedKey") != "Zq9_uvw.xyz34" {
		t.Errorf("keys not passed through")
	}
	for _, k := range []string{"tunnel1PresharedKey", "tunnel2PresharedKey"} {
		if !contains(vpn.SecretPaths, k) {
			t.Errorf("%s is not secret", k)
		}
	}
	// A bad key is rejected without being quoted.
	args.PresharedKeys = []string{"0secret.key.with-dash", "Zq9_uvw.xyz34"}
	_, err := run(t, func(ctx *pulumi.Context) error {
		_, err := transit.NewOnPremLink(ctx, "onprem", args)
		return err
	})
	var ae *transit.ArgsError
	if !errors.As(err, &ae) || !ae.Has("PresharedKeys[0]", "starts with 0") || !ae.Has("PresharedKeys[0]", "not a letter, digit") {
		t.Fatalf("want PresharedKeys[0] rejected, got %v", err)
	}
	if strings.Contains(err.Error(), "0secret") {
		t.Errorf("the error quotes the key: %v", err)
	}
}

func TestTunnelOutputs(t *testing.T) {
	t.Parallel()
	// One slot per tunnel: the two applies may run on different goroutines.
	got := make([]string, 2)
	_, err := run(t, func(ctx *pulumi.Context) error {
		link, err := transit.NewOnPremLink(ctx, "onprem", onPremArgs())
		if err != nil {
			return err
		}
		for i, tun := range link.Tunnels {
			pulumi.All(tun.OutsideAddress, tun.CustomerInsideAddress, tun.AwsInsideAddress).ApplyT(func(v []any) error {
				got[i] = v[0].(string) + " inside " + v[1].(string) + " <-> " + v[2].(string)
				return nil
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"203.0.113.11 inside 169.254.10.2 <-> 169.254.10.1",
		"203.0.113.12 inside 169.254.10.6 <-> 169.254.10.5",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("tunnels (-want +got):\n%s", d)
	}
}

func TestDirectConnect(t *testing.T) {
	t.Parallel()
	args := onPremArgs()
	args.DirectConnect = &transit.DirectConnectArgs{ASN: 64620, AllowedPrefixes: []string{"10.120.0.0/16"}}
	res := runOnPrem(t, args).res
	gw := mocktest.MustFind(t, res, tDXGW, "onprem-dx")
	if gw.Input("amazonSideAsn") != "64620" {
		t.Errorf("DX gateway ASN %v", gw.Input("amazonSideAsn"))
	}
	assoc := mocktest.MustFind(t, res, tDXAssoc, "onprem-dx")
	got := mocktest.PlainMap(assoc.Inputs)
	want := map[string]any{"dxGatewayId": gw.ID, "associatedGatewayId": "tgw-0prod", "allowedPrefixes": []any{"10.120.0.0/16"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("DX association (-want +got):\n%s", d)
	}
	var lookups int
	for _, inv := range res.Invokes {
		if inv.Token == "aws:ec2transitgateway/getDirectConnectGatewayAttachment:getDirectConnectGatewayAttachment" {
			lookups++
			if inv.Args["dxGatewayId"] != gw.ID || inv.Args["transitGatewayId"] != "tgw-0prod" {
				t.Errorf("attachment lookup args %v", inv.Args)
			}
		}
	}
	if lookups != 1 {
		t.Errorf("%d DX attachment lookups, want 1", lookups)
	}
	for _, typ := range []string{tAssoc, tProp} {
		r := mocktest.MustFind(t, res, typ, "onprem-dx")
		if s := r.String("transitGatewayAttachmentId"); !strings.HasPrefix(s, "tgw-attach-") || r.String("transitGatewayRouteTableId") != "tgw-rtb-0prod" {
			t.Errorf("%s for the DX attachment: %v", typ, mocktest.PlainMap(r.Inputs))
		}
	}
}
