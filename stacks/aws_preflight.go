package stacks

import (
	"reflect"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/cache"
	"github.com/hawebtier/hawebtier/aws/database"
	"github.com/hawebtier/hawebtier/aws/edge"
)

// checkAWS validates the args of every component the AWS target will
// build, as Load's last step: with placeholders for the ids other
// components will provide, and what depends on the stack's region
// (aws:region). Each component checks its own values; each problem goes
// under the key of the config value that fed the field, so every problem
// of a stack is reported at once, before anything is registered, and a
// deployment never stops halfway on a bad value.
func checkAWS(ctx *pulumi.Context, cfg *Config, ps *problems) {
	settings, settingsProblems := readAWSSettings(ctx)
	ps.list = append(ps.list, settingsProblems...)
	if settings == nil {
		return
	}
	t := &awsTarget{cfg: cfg, settings: settings, project: ctx.Project()}
	a := cfg.AWS
	// cfg is the config object at k; renames[k] the fields spelt otherwise.
	check := func(k string, cfg any, err error) { ps.addError(key(k), reflect.TypeOf(cfg), err, renames[k]) }
	id := pulumi.String("preflight")
	ids := pulumi.StringArray{id}
	provider := &aws.Provider{}

	check("aws.network", AWSNetworkConfig{}, t.networkArgs().Validate(networkName))
	check("aws.database", database.DatabaseArgs{}, t.databaseArgs(ids, id).Validate(databaseName))
	check("aws.cache", cache.CacheArgs{}, t.cacheArgs(ids, id).Validate(cacheName))
	prefixList := ""
	if a.Edge != nil {
		prefixList = "pl-preflight"
	}
	check("aws", AWSConfig{}, t.webArgs(id, ids, ids, id, id, id, id, prefixList).Validate(webTierName))
	if e := a.Edge; e != nil {
		args := t.edgeArgs(id, id, id, id, provider, provider)
		check("aws.edge", EdgeConfig{}, args.Validate(edgeName))
		if e.OriginAccess != edge.OriginAccessOAC {
			for _, r := range []string{t.settings.Region, e.ReplicaRegion} {
				if !edge.SupportsOAI(r) {
					ps.add(key("aws.edge.originAccess"), "%s launched after December 2022 and Origin Access Identities cannot reach its buckets: use originAccess oac", r)
				}
			}
		}
	}
	if tc := a.Transit; tc != nil {
		gw := t.gatewayArgs(id, ids, ids, 1)
		if tc.Peer != nil {
			// The peer's network must not overlap ours or on-prem's even
			// where this side adds no route to it (a same-account accepter).
			gw.PeerCIDR = tc.Peer.CIDR
		}
		check("aws.transit", TransitConfig{}, gw.Validate(gatewayName))
		if tc.VPN != nil {
			check("aws.transit", TransitConfig{}, t.linkArgs(id, id).Validate(onPremLinkName))
		}
		if p := tc.Peer; p != nil {
			switch {
			case p.Role == PeerRequester:
				args := t.peeringArgs(id, id, id, id, ids, 1)
				if !p.CrossAccount {
					args.PeerProvider = provider
				}
				check("aws.transit.peer", TransitPeerConfig{}, args.Validate(peeringName))
			case p.CrossAccount:
				check("aws.transit.peer", TransitPeerConfig{}, t.accepterArgs(id, id).Validate(peeringName))
			}
		}
	}
	if a.Migration != nil {
		check("aws.migration", MigrationConfig{}, t.migrationArgs(id, ids, id, id).Validate(migrationName))
	}
	in := alarmInputs{
		publicALB: id, webTG: id, internalALB: id, appTG: id, webASG: id, appASG: id, db: id,
		replicas: repeat(id, a.Database.ReadReplicas), cacheMembers: repeat(id, a.Cache.Nodes),
	}
	if a.Migration != nil {
		in.dmsInstance, in.dmsTaskID, in.dmsTaskARN = id, id, id
	}
	check("aws.alarms", AlarmsConfig{}, t.alarmsArgs(in).Validate(alarmsName))
}

// renames are the component fields whose config keys are spelt otherwise,
// or are keys of another object, per config object: with the json names
// on the components' args, the whole mapping from the components' args to
// the config. A whole key ("hawebtier:...") is a value the program passes
// from elsewhere in the config.
var renames = map[string]map[string]string{
	"aws": {
		"Environment": key("environment"),
		"Connector":   key("connector"),
		"Web.Desired": key("web.count"),
		"App.Desired": key("app.count"),
	},
	"aws.edge": {
		"Region": "aws:region",
	},
	"aws.migration": {
		"IAMPropagationDelay": "iamPropagationSeconds",
		"Target.SecretARN":    "targetSecretArn",
		"VpcCIDR":             key("aws.network.cidr"),
		"OnPremCIDRs":         key("aws.transit.onPremCidrs"),
		"Source.Password":     key("legacyDbPassword"),
	},
	"aws.transit": {
		"VpcCIDR":            key("aws.network.cidr"),
		"PeerCIDR":           "peer.cidr",
		"TransitGatewayASN":  "amazonSideAsn",
		"PeerASN":            "peer.asn",
		"CustomerGatewayIP":  "vpn.customerGatewayIp",
		"CustomerGatewayASN": "vpn.customerGatewayAsn",
		"StaticRoutesOnly":   "vpn.staticRoutes",
		"TunnelInsideCIDRs":  "vpn.tunnelInsideCidrs",
		"LocalCIDRs[0]":      key("aws.network.cidr"),
		"LocalCIDRs[1]":      "peer.cidr",
	},
	"aws.transit.peer": {
		"LocalCIDR":     key("aws.network.cidr"),
		"LocalASN":      key("aws.transit.amazonSideAsn"),
		"PeerCIDR":      "cidr",
		"PeerASN":       "asn",
		"PeerRegion":    "region",
		"PeerAccountID": "accountId",
	},
}

func repeat(v pulumi.StringInput, n int) []pulumi.StringInput {
	out := make([]pulumi.StringInput, n)
	for i := range out {
		out[i] = v
	}
	return out
}
