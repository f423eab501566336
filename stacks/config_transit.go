package stacks

import "github.com/hawebtier/hawebtier/aws/transit"

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
	// Role is PeerRequester or PeerAccepter.
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

// DirectConnectConfig adds a Direct Connect gateway: transit.DirectConnectArgs
// by its json names (asn, allowedPrefixes).
type DirectConnectConfig = transit.DirectConnectArgs

// Peer roles (TransitPeerConfig.Role).
const (
	// PeerRequester creates the peering attachment (production).
	PeerRequester = "requester"
	// PeerAccepter accepts it (staging; a step of its own only cross-account).
	PeerAccepter = "accepter"
)

// validate checks the stack's own keys of the transit object: the peer
// stack the StackReference reads and the side this stack takes. Every
// value a transit component takes (ASNs, networks, the VPN, Direct
// Connect) is checked by the component (preflight).
func (t *TransitConfig) validate(_ *Config, ps *problems) {
	k := func(s string) string { return key("aws.transit." + s) }
	if t.Peer != nil {
		switch t.Peer.Role {
		case PeerRequester, PeerAccepter:
		default:
			ps.add(k("peer.role"), "unknown role %q, expected %s or %s", t.Peer.Role, PeerRequester, PeerAccepter)
		}
		requireName(ps, k("peer.stack"), t.Peer.Stack, "the peer stack (aws-staging, or org/project/stack) for the StackReference")
	}
}
