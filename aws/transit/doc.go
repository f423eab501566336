// Package transit connects the AWS web tier to its neighbours: a Transit
// Gateway per environment (NewTransitGateway), peering between the staging
// and production Transit Gateways (NewPeering on the requester side,
// NewPeeringAccepter for a peer that accepts from its own stack), and the
// link to on-prem (NewOnPremLink: customer gateway, Site-to-Site VPN attached
// to the Transit Gateway, optionally a Direct Connect gateway).
//
// Every component is usable alone: ids come in as inputs (from another
// component or a StackReference), providers are arguments, and plain Go
// values (CIDRs, ASNs, counts) shape the graph so it is known at preview.
// Each component validates its arguments before it registers anything and
// returns every problem at once as an *ArgsError naming the fields.
//
// The Transit Gateways are created with default route table association
// and propagation disabled: every attachment is associated with, and
// propagates into, the gateway's own route table explicitly, so nothing
// (a new VPC, a Direct Connect association) becomes reachable by accident.
//
// # Peering rollout
//
// Same account (the default, any regions): the requester stack (production)
// runs NewPeering with a provider for the peer's region; it requests,
// accepts, associates and routes both sides in one `pulumi up`. The peer
// stack (staging) must have been deployed first, since its Transit Gateway
// and route table ids come from its StackReference, and it must not route
// the requester's CIDR itself (the requester adds those routes).
//
// Cross account: the requester cannot act in the peer account, so
//  1. `pulumi up` on production: NewPeering with CrossAccount creates the
//     attachment (pending acceptance) and exports its id;
//  2. `pulumi up` on staging: NewPeeringAccepter accepts it and routes the
//     production network on staging's side (its TransitGateway routes the
//     VPC);
//  3. `pulumi up` on production again with PeerAccepted set: production's
//     association and route, which AWS refuses before the acceptance.
//
// # Pre-shared keys
//
// Generated keys are 40 characters: a random letter, then 39 random
// letters, digits, '.' and '_'. AWS rejects keys that start with '0' and the
// random provider cannot constrain a position, only counts per class, hence
// the separate letter. Keys are secret from the moment they exist.
package transit
