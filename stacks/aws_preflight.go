package stacks

import (
	"reflect"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/alarms"
	"github.com/hawebtier/hawebtier/aws/edge"
	"github.com/hawebtier/hawebtier/aws/migration"
)

// preflight validates the args of every component the target will build,
// with placeholders for the ids other components will provide, and checks
// what depends on the stack's region (aws:region). A value the config
// validation let through but a component rejects is reported here, under
// the config key it came from, before anything is registered: a
// deployment never stops halfway on a bad value.
func (t *awsTarget) preflight() error {
	ps := &problems{}
	a := t.cfg.AWS
	// Each problem goes under the key of the config value that fed the
	// field: cfg is the config object at k.
	check := func(k string, cfg any, err error) { ps.addError(key(k), reflect.TypeOf(cfg), err, renames[k]) }
	id := pulumi.String("preflight")
	ids := pulumi.StringArray{id}
	provider := &aws.Provider{}

	check("aws.network", AWSNetworkConfig{}, t.networkArgs().Validate())
	check("aws.database", DatabaseConfig{}, t.databaseArgs(ids, id).Validate())
	check("aws.cache", CacheConfig{}, t.cacheArgs(ids, id).Validate())
	prefixList := ""
	if a.Edge != nil {
		prefixList = "pl-preflight"
	}
	check("aws", AWSConfig{}, t.webArgs(id, ids, ids, id, id, id, id, prefixList).Validate())
	if e := a.Edge; e != nil {
		check("aws.edge", EdgeConfig{}, t.edgeArgs(id, id, id, id, provider, provider).Validate("edge"))
		if e.ReplicaRegion == t.settings.Region {
			ps.add(key("aws.edge.replicaRegion"), "%s is aws:region: the failover bucket must be in a second region", e.ReplicaRegion)
		}
		if e.OriginAccess != "oac" {
			for _, r := range []string{t.settings.Region, e.ReplicaRegion} {
				if !edge.SupportsOAI(r) {
					ps.add(key("aws.edge.originAccess"), "%s launched after December 2022 and Origin Access Identities cannot reach its buckets: use originAccess oac", r)
				}
			}
		}
	}
	if tc := a.Transit; tc != nil {
		check("aws.transit", TransitConfig{}, t.gatewayArgs(id, ids, ids, 1).Validate("tgw"))
		if tc.VPN != nil {
			check("aws.transit", TransitConfig{}, t.linkArgs(id, id).Validate("onprem"))
		}
		if p := tc.Peer; p != nil {
			switch {
			case p.Role == "requester":
				args := t.peeringArgs(id, id, id, id, ids, 1)
				if !p.CrossAccount {
					args.PeerProvider = provider
				}
				check("aws.transit.peer", TransitPeerConfig{}, args.Validate("peering"))
			case p.CrossAccount:
				check("aws.transit.peer", TransitPeerConfig{}, t.accepterArgs(id, id).Validate("peering"))
			}
		}
	}
	if a.Migration != nil {
		check("aws.migration", MigrationConfig{}, migration.Validate(t.migrationArgs(id, ids, id, id)))
	}
	in := alarmInputs{
		publicALB: id, webTG: id, internalALB: id, appTG: id, webASG: id, appASG: id, db: id,
		replicas: repeat(id, a.Database.ReadReplicas), cacheMembers: repeat(id, a.Cache.Nodes),
	}
	if a.Migration != nil {
		in.dmsInstance, in.dmsTaskID, in.dmsTaskARN = id, id, id
	}
	check("aws.alarms", AlarmsConfig{}, alarms.Validate(t.alarmsArgs(in)))
	if len(ps.list) > 0 {
		return &ConfigError{Stack: t.cfg.Stack, Problems: ps.sorted()}
	}
	return nil
}

// renames are the component fields whose config keys are spelt otherwise,
// per config object: the mapping from a component's args to the config.
var renames = map[string]map[string]string{
	"aws.database":  {"DBName": "name"},
	"aws.migration": {"IAMPropagationDelay": "iamPropagationSeconds", "Target.SecretARN": "targetSecretArn"},
}

func repeat(v pulumi.StringInput, n int) []pulumi.StringInput {
	out := make([]pulumi.StringInput, n)
	for i := range out {
		out[i] = v
	}
	return out
}
