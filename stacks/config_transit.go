package stacks

import (
	"net/netip"
)

// TransitConfig is `hawebtier:aws.transit`: the Transit Gateway, peering
// between staging and production, and the link to on-prem.
type TransitConfig struct {
	AmazonSideASN int `json:"amazonSideAsn"`
	// Peer describes the other environment's Transit Gateway.
	Peer *TransitPeerConfig `json:"peer"`
	// OnPremCIDRs are the on-prem networks reached over the VPN.
	OnPremCIDRs   []string             `json:"onPremCidrs"`
	VPN           *VPNConfig           `json:"vpn"`
	DirectConnect *DirectConnectConfig `json:"directConnect"`
}

// TransitPeerConfig names the peer environment.
type TransitPeerConfig struct {
	// Stack is the peer stack: its bare name (aws-staging), which the
	// program qualifies with the current organization and project so the
	// same stack file works on Pulumi Cloud and on a local backend, or a
	// fully qualified org/project/stack.
	Stack  string `json:"stack"`
	Region string `json:"region"`
	// CIDR of the peer VPC, checked against ours for overlap.
	CIDR string `json:"cidr"`
	ASN  int    `json:"asn"`
	// Role: "requester" creates the peering attachment (production),
	// "accepter" accepts one (staging, cross-account only).
	Role string `json:"role"`
	// CrossAccount: the peer is in another account, so the accepter stack
	// accepts in a second step.
	CrossAccount bool   `json:"crossAccount"`
	AccountID    string `json:"accountId"`
}

// VPNConfig is the Site-to-Site VPN to the on-prem router.
type VPNConfig struct {
	CustomerGatewayIP  string   `json:"customerGatewayIp"`
	CustomerGatewayASN int      `json:"customerGatewayAsn"`
	StaticRoutes       bool     `json:"staticRoutes"`
	TunnelInsideCIDRs  []string `json:"tunnelInsideCidrs"`
}

// DirectConnectConfig adds a Direct Connect gateway.
type DirectConnectConfig struct {
	ASN             int      `json:"asn"`
	AllowedPrefixes []string `json:"allowedPrefixes"`
}

func (t *TransitConfig) validate(c *Config, vpc netip.Prefix, vpcOK bool, ps *problems) {
	k := func(s string) string { return key("aws.transit." + s) }
	if !validPrivateASN(t.AmazonSideASN) {
		ps.add(k("amazonSideAsn"), "expected a private ASN (64512-65534 or 4200000000-4294967294), got %d", t.AmazonSideASN)
	}
	// Every routed network with the key it came from, checked for overlap.
	type network struct {
		key string
		p   netip.Prefix
	}
	var cidrs []network
	if vpcOK {
		cidrs = append(cidrs, network{key("aws.network.cidr"), vpc})
	}
	for i, s := range t.OnPremCIDRs {
		kk := k("onPremCidrs") + "[" + itoa(i) + "]"
		if p, ok := parseCIDR(ps, kk, s); ok {
			cidrs = append(cidrs, network{kk, p})
		}
	}
	if t.Peer != nil {
		if p, ok := parseCIDR(ps, k("peer.cidr"), t.Peer.CIDR); ok {
			cidrs = append(cidrs, network{k("peer.cidr"), p})
		}
		if t.Peer.ASN == t.AmazonSideASN {
			ps.add(k("peer.asn"), "equals amazonSideAsn %d: each Transit Gateway needs its own ASN", t.AmazonSideASN)
		}
		switch t.Peer.Role {
		case "requester", "accepter":
		default:
			ps.add(k("peer.role"), "unknown role %q, expected requester or accepter", t.Peer.Role)
		}
		requireName(ps, k("peer.stack"), t.Peer.Stack, "the peer stack (aws-staging, or org/project/stack) for the StackReference")
		requireName(ps, k("peer.region"), t.Peer.Region, "the peer's AWS region")
	}
	for i := range cidrs {
		for j := i + 1; j < len(cidrs); j++ {
			if cidrs[i].p.Overlaps(cidrs[j].p) {
				ps.add(cidrs[j].key, "%s overlaps %s (%s): routed networks must not overlap", cidrs[j].p, cidrs[i].key, cidrs[i].p)
			}
		}
	}
	if t.VPN != nil {
		if ip, err := netip.ParseAddr(t.VPN.CustomerGatewayIP); err != nil || !ip.Is4() || ip.IsPrivate() || ip.IsLoopback() {
			ps.add(k("vpn.customerGatewayIp"), "expected the on-prem router's public IPv4 address, got %q", t.VPN.CustomerGatewayIP)
		}
		if t.VPN.CustomerGatewayASN < 1 || t.VPN.CustomerGatewayASN == t.AmazonSideASN {
			ps.add(k("vpn.customerGatewayAsn"), "expected the on-prem router's BGP ASN, distinct from amazonSideAsn, got %d", t.VPN.CustomerGatewayASN)
		}
		if n := len(t.VPN.TunnelInsideCIDRs); n != 0 && n != 2 {
			ps.add(k("vpn.tunnelInsideCidrs"), "expected none (AWS picks) or 2 (one per tunnel), got %d", n)
		}
		for i, s := range t.VPN.TunnelInsideCIDRs {
			if msg := checkTunnelInsideCIDR(s); msg != "" {
				ps.add(k("vpn.tunnelInsideCidrs")+"["+itoa(i)+"]", "%s", msg)
			}
		}
	}
	if t.DirectConnect != nil {
		if !validPrivateASN(t.DirectConnect.ASN) || t.DirectConnect.ASN == t.AmazonSideASN {
			ps.add(k("directConnect.asn"), "expected a private ASN distinct from amazonSideAsn, got %d", t.DirectConnect.ASN)
		}
		if len(t.DirectConnect.AllowedPrefixes) == 0 {
			ps.add(k("directConnect.allowedPrefixes"), "need at least one prefix to advertise to on-prem")
		}
		for i, s := range t.DirectConnect.AllowedPrefixes {
			parseCIDR(ps, k("directConnect.allowedPrefixes")+"["+itoa(i)+"]", s)
		}
	}
}

// reservedInsideCIDRs are the /30s AWS rejects as tunnel inside CIDRs.
var reservedInsideCIDRs = []string{
	"169.254.0.0/30", "169.254.1.0/30", "169.254.2.0/30", "169.254.3.0/30",
	"169.254.4.0/30", "169.254.5.0/30", "169.254.169.252/30",
}

func checkTunnelInsideCIDR(s string) string {
	p, err := netip.ParsePrefix(s)
	if err != nil || p.Masked() != p || p.Bits() != 30 || !netip.MustParsePrefix("169.254.0.0/16").Contains(p.Addr()) {
		return "expected a /30 inside 169.254.0.0/16, got " + quote(s)
	}
	for _, r := range reservedInsideCIDRs {
		if p == netip.MustParsePrefix(r) {
			return quote(s) + " is reserved by AWS; pick another /30 in 169.254.0.0/16"
		}
	}
	return ""
}

func validPrivateASN(n int) bool {
	return (n >= 64512 && n <= 65534) || (n >= 4200000000 && n <= 4294967294)
}
