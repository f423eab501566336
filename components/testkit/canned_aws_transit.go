package testkit

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Canned answers for aws/transit: the attributes AWS computes for a VPN
// connection (tunnel endpoints, inside addresses, its Transit Gateway
// attachment) and the lookup of a Direct Connect gateway's attachment.

func init() {
	RegisterState("aws:ec2/vpnConnection:VpnConnection", withARN(func(name string, in resource.PropertyMap) map[string]any {
		p := PlainMap(in)
		h := shortHash(name)
		out := map[string]any{
			"transitGatewayAttachmentId":   "tgw-attach-" + h,
			"customerGatewayConfiguration": "<vpn_connection id=\"vpn-" + h + "\"/>",
		}
		for t := 1; t <= 2; t++ {
			// Outside addresses in TEST-NET-3 (RFC 5737); inside addresses
			// from the requested /30 or, as AWS does, a /30 it picks.
			inside := fmt.Sprintf("169.254.%d.%d/30", 100+int(h[0]%50), 4*t)
			if s, ok := p[fmt.Sprintf("tunnel%dInsideCidr", t)].(string); ok && s != "" {
				inside = s
			}
			aws, cgw := VPNInsideAddresses(inside)
			out[fmt.Sprintf("tunnel%dAddress", t)] = fmt.Sprintf("203.0.113.%d", 10+t)
			out[fmt.Sprintf("tunnel%dInsideCidr", t)] = inside
			out[fmt.Sprintf("tunnel%dVgwInsideAddress", t)] = aws
			out[fmt.Sprintf("tunnel%dCgwInsideAddress", t)] = cgw
			out[fmt.Sprintf("tunnel%dBgpAsn", t)] = "64512"
		}
		return out
	}))
	RegisterInvoke("aws:ec2transitgateway/getDirectConnectGatewayAttachment:getDirectConnectGatewayAttachment", func(args resource.PropertyMap) (resource.PropertyMap, error) {
		p := PlainMap(args)
		dx, _ := p["dxGatewayId"].(string)
		tgw, _ := p["transitGatewayId"].(string)
		id := "tgw-attach-" + shortHash(dx+"/"+tgw)
		return Props(map[string]any{
			"id": id, "dxGatewayId": dx, "transitGatewayId": tgw,
			"arn": "arn:aws:ec2:" + AWSRegion + ":" + AWSAccountID + ":transit-gateway-attachment/" + id,
		}), nil
	})
}

// VPNInsideAddresses are the AWS and customer addresses of a tunnel inside
// /30: AWS takes the first host, the customer gateway the second.
func VPNInsideAddresses(cidr string) (aws, customer string) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return "", ""
	}
	first := p.Masked().Addr().Next()
	return first.String(), first.Next().String()
}
