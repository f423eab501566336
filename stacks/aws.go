package stacks

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/alarms"
	"github.com/hawebtier/hawebtier/aws/cache"
	"github.com/hawebtier/hawebtier/aws/database"
	"github.com/hawebtier/hawebtier/aws/edge"
	"github.com/hawebtier/hawebtier/aws/migration"
	"github.com/hawebtier/hawebtier/aws/network"
	"github.com/hawebtier/hawebtier/aws/transit"
	"github.com/hawebtier/hawebtier/aws/webtier"
)

// cloudFrontOriginFacing is the AWS-managed prefix list of CloudFront's
// addresses that reach origins.
const cloudFrontOriginFacing = "com.amazonaws.global.cloudfront.origin-facing"

// awsTarget is one environment on AWS as it is being built: each step adds
// the components the next steps wire to.
type awsTarget struct {
	cfg      *Config
	project  string
	settings *awsSettings
	usEast1  *aws.Provider
	replica  *aws.Provider

	net   *network.Network
	db    *database.Database
	cache *cache.Cache
	web   *webtier.WebTier
	tgw   *transit.TransitGateway
	dms   *migration.Migration
}

// deployAWS builds the AWS target from a config Load validated (its
// settings and every component's args included: checkAWS).
func deployAWS(ctx *pulumi.Context, cfg *Config) error {
	settings, ps := readAWSSettings(ctx)
	if len(ps) > 0 {
		return &ConfigError{Stack: cfg.Stack, Problems: ps}
	}
	t := &awsTarget{cfg: cfg, settings: settings, project: ctx.Project()}
	steps := []struct {
		name string
		run  func(*pulumi.Context) error
	}{
		{"providers", t.providers},
		{"network", t.network},
		{"web tier, data tiers and migration", t.tiers},
		{"edge", t.edgeStep},
		{"transit", t.transit},
		{"alarms", t.alarms},
	}
	for _, s := range steps {
		if err := s.run(ctx); err != nil {
			return fmt.Errorf("aws %s: %w", s.name, err)
		}
	}
	return nil
}

// providers builds the extra providers the edge needs; the stack's
// default provider serves everything in the stack's own region.
func (t *awsTarget) providers(ctx *pulumi.Context) error {
	if t.cfg.AWS.Edge == nil {
		return nil
	}
	p, err := newAWSProvider(ctx, "us-east-1", "us-east-1", t.settings)
	if err != nil {
		return err
	}
	t.usEast1 = p
	region := t.cfg.AWS.Edge.ReplicaRegion
	r, err := newAWSProvider(ctx, "replica-"+region, region, t.settings)
	if err != nil {
		return err
	}
	t.replica = r
	return nil
}

func (t *awsTarget) network(ctx *pulumi.Context) error {
	net, err := network.NewNetwork(ctx, networkName, t.networkArgs())
	if err != nil {
		return err
	}
	t.net = net
	ctx.Export("vpcId", net.VpcID)
	ctx.Export("vpcCidr", pulumi.String(net.CIDR))
	ctx.Export("appRouteTableIds", net.AppRouteTableIDs)
	ctx.Export("region", pulumi.String(t.settings.Region))
	return nil
}

// tiers builds the database, the cache and the web tier, then admits the
// WAS tier (and DMS) into the data tiers with rules of their own: the web
// tier needs the data tiers' endpoints, and the data tiers its security
// group, so neither takes the other's group at construction.
func (t *awsTarget) tiers(ctx *pulumi.Context) error {
	a := t.cfg.AWS
	db, err := database.NewDatabase(ctx, databaseName, t.databaseArgs(t.net.DataSubnetIDs, t.net.VpcID))
	if err != nil {
		return err
	}
	c, err := cache.NewCache(ctx, cacheName, t.cacheArgs(t.net.DataSubnetIDs, t.net.VpcID))
	if err != nil {
		return err
	}
	prefixList := ""
	if a.Edge != nil {
		pl, err := ec2.LookupManagedPrefixList(ctx, &ec2.LookupManagedPrefixListArgs{Name: pulumi.StringRef(cloudFrontOriginFacing)})
		if err != nil {
			return fmt.Errorf("prefix list %s: %w", cloudFrontOriginFacing, err)
		}
		prefixList = pl.Id
	}
	webArgs := t.webArgs(t.net.VpcID, t.net.PublicSubnetIDs, t.net.AppSubnetIDs,
		db.Endpoint, db.MasterSecretARN, c.Endpoint, c.AuthSecretARN, prefixList)
	web, err := webtier.NewWebTier(ctx, webTierName, webArgs)
	if err != nil {
		return err
	}
	if err := db.Admit(ctx, "was", web.WasSecurityGroupID); err != nil {
		return err
	}
	if err := c.Admit(ctx, "was", web.WasSecurityGroupID); err != nil {
		return err
	}
	t.db, t.cache, t.web = db, c, web

	if a.Migration != nil {
		dms, err := t.migration(ctx, db)
		if err != nil {
			return err
		}
		if err := db.Admit(ctx, "dms", dms.SecurityGroupID); err != nil {
			return err
		}
		t.dms = dms
	}

	ctx.Export("albDnsName", web.PublicALBDNSName)
	ctx.Export("databaseEndpoint", db.Endpoint)
	ctx.Export("databaseSecretArn", db.MasterSecretARN)
	ctx.Export("cacheEndpoint", c.Endpoint)
	ctx.Export("cacheSecretArn", c.AuthSecretARN)
	return nil
}

// transitRouteTables are the VPC route tables that route to the Transit
// Gateway: every app table (one per AZ) and the data table (DMS reaches the
// legacy database from the data subnets).
func (t *awsTarget) transitRouteTables() (pulumi.StringArrayOutput, int) {
	ids := pulumi.All(t.net.AppRouteTableIDs, t.net.DataRouteTableIDs).ApplyT(func(v []any) []string {
		out := append([]string{}, v[0].([]string)...)
		return append(out, v[1].([]string)...)
	}).(pulumi.StringArrayOutput)
	return ids, len(t.net.AvailabilityZones) + 1
}

func (t *awsTarget) transit(ctx *pulumi.Context) error {
	tc := t.cfg.AWS.Transit
	if tc == nil {
		return nil
	}
	rtIDs, rtCount := t.transitRouteTables()
	tgw, err := transit.NewTransitGateway(ctx, gatewayName, t.gatewayArgs(t.net.VpcID, t.net.AppSubnetIDs, rtIDs, rtCount))
	if err != nil {
		return err
	}
	t.tgw = tgw
	ctx.Export("transitGatewayId", tgw.TransitGatewayID)
	ctx.Export("transitGatewayRouteTableId", tgw.RouteTableID)

	if tc.Peer != nil {
		if err := t.peering(ctx, tc); err != nil {
			return err
		}
	}
	if tc.VPN != nil {
		link := t.linkArgs(tgw.TransitGatewayID, tgw.RouteTableID)
		l, err := transit.NewOnPremLink(ctx, onPremLinkName, link)
		if err != nil {
			return err
		}
		ctx.Export("vpnTunnels", l.TunnelsOutput())
	}
	return nil
}

// peering connects this environment's Transit Gateway with the peer's,
// whose ids come from the peer stack's outputs.
func (t *awsTarget) peering(ctx *pulumi.Context, tc *TransitConfig) error {
	p := tc.Peer
	if p.Role == "accepter" {
		// Same account: the requester (production) accepts and routes both
		// sides itself. Cross account: accept the attachment production
		// created and exported.
		if !p.CrossAccount {
			return nil
		}
		ref, err := pulumi.NewStackReference(ctx, qualifiedStack(ctx, p.Stack), nil)
		if err != nil {
			return fmt.Errorf("stack reference %q: %w", p.Stack, err)
		}
		acc, err := transit.NewPeeringAccepter(ctx, peeringName, t.accepterArgs(ref.GetStringOutput(pulumi.String("transitPeeringAttachmentId")), t.tgw.RouteTableID))
		if err != nil {
			return err
		}
		ctx.Export("transitPeeringAcceptedId", acc.AttachmentID)
		return nil
	}

	ref, err := pulumi.NewStackReference(ctx, qualifiedStack(ctx, p.Stack), nil)
	if err != nil {
		return fmt.Errorf("stack reference %q: %w", p.Stack, err)
	}
	// The number of the peer's route tables shapes the graph, so it is read
	// as a plain value: the peer stack must have been deployed first.
	details, err := ref.GetOutputDetails("appRouteTableIds")
	if err != nil {
		return fmt.Errorf("stack reference %q: appRouteTableIds: %w", p.Stack, err)
	}
	peerTables, ok := details.Value.([]any)
	if !ok || len(peerTables) == 0 {
		return fmt.Errorf("hawebtier:aws.transit.peer.stack: %q exports no appRouteTableIds; deploy it before this stack", p.Stack)
	}
	args := t.peeringArgs(t.tgw.TransitGatewayID, t.tgw.RouteTableID,
		ref.GetStringOutput(pulumi.String("transitGatewayId")),
		ref.GetStringOutput(pulumi.String("transitGatewayRouteTableId")),
		ref.GetOutput(pulumi.String("appRouteTableIds")).ApplyT(toStrings).(pulumi.StringArrayOutput),
		len(peerTables))
	if p.CrossAccount {
		accepted, err := ref.GetOutputDetails("transitPeeringAcceptedId")
		args.PeerAccepted = err == nil && accepted.Value != nil
	} else {
		peer, err := newAWSProvider(ctx, "peer-"+p.Region, p.Region, t.settings)
		if err != nil {
			return err
		}
		args.PeerProvider = peer
	}
	peering, err := transit.NewPeering(ctx, peeringName, args)
	if err != nil {
		return err
	}
	ctx.Export("transitPeeringAttachmentId", peering.AttachmentID)
	return nil
}

// qualifiedStack names a stack of this project for a StackReference: a bare
// name ("aws-staging") is qualified with the current organization and
// project, as the CLI itself would (a local backend's organization is
// "organization"); a name with slashes is taken as it is.
func qualifiedStack(ctx *pulumi.Context, name string) string {
	if strings.Contains(name, "/") {
		return name
	}
	return ctx.Organization() + "/" + ctx.Project() + "/" + name
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// migration replicates the legacy database into RDS with DMS.
func (t *awsTarget) migration(ctx *pulumi.Context, db *database.Database) (*migration.Migration, error) {
	// DMS logs in with a secret that holds the endpoint: a dedicated
	// user's, or the generated master secret (config validation refuses a
	// migration onto an RDS-managed secret without one).
	secret := pulumi.StringInput(db.MasterSecretARN)
	if arn := t.cfg.AWS.Migration.TargetSecretARN; arn != "" {
		secret = pulumi.String(arn)
	} else if db.MasterPassword != database.GeneratedPassword {
		return nil, fmt.Errorf("%s: required with an RDS-managed master password", key("aws.migration.targetSecretArn"))
	}
	args := t.migrationArgs(secret, t.net.DataSubnetIDs, t.net.VpcID, db.SecurityGroupID)
	dms, err := migration.NewMigration(ctx, migrationName, args)
	if err != nil {
		return nil, err
	}
	ctx.Export("migrationTaskArn", dms.TaskARN)
	return dms, nil
}

// edgeStep puts CloudFront, WAF and (optionally) Shield in front of the
// public ALB.
func (t *awsTarget) edgeStep(ctx *pulumi.Context) error {
	if t.cfg.AWS.Edge == nil {
		return nil
	}
	args := t.edgeArgs(t.web.PublicALBDNSName, t.web.PublicHTTPListenerARN, t.web.WebTargetGroupARN, t.web.PublicALBARN, t.usEast1, t.replica)
	ed, err := edge.NewEdge(ctx, edgeName, args)
	if err != nil {
		return err
	}
	ctx.Export("url", ed.URL)
	ctx.Export("distributionDomainName", ed.DomainName)
	return nil
}

// alarms watches every tier and notifies one SNS topic.
func (t *awsTarget) alarms(ctx *pulumi.Context) error {
	in := alarmInputs{
		publicALB: t.web.PublicALBARNSuffix, webTG: t.web.WebTargetGroupARNSuffix,
		internalALB: t.web.InternalALBARNSuffix, appTG: t.web.AppTargetGroupARNSuffix,
		webASG: t.web.WebASGName, appASG: t.web.AppASGName,
		db: t.db.InstanceIdentifier, replicas: alarms.Elements(t.db.ReplicaIdentifiers, t.cfg.AWS.Database.ReadReplicas),
		cacheMembers: alarms.Elements(t.cache.MemberClusterIDs, t.cfg.AWS.Cache.Nodes),
	}
	if t.dms != nil {
		in.dmsInstance, in.dmsTaskID, in.dmsTaskARN = t.dms.ReplicationInstanceID, t.dms.TaskResourceID, t.dms.TaskARN
	}
	args := t.alarmsArgs(in)
	al, err := alarms.NewAlarms(ctx, alarmsName, args)
	if err != nil {
		return err
	}
	ctx.Export("alarmTopicArn", al.TopicARN)
	return nil
}
