package stacks

import (
	"fmt"

	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/alarms"
	"github.com/hawebtier/hawebtier/aws/cache"
	"github.com/hawebtier/hawebtier/aws/database"
	"github.com/hawebtier/hawebtier/aws/edge"
	"github.com/hawebtier/hawebtier/aws/edge/shield"
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
	settings *awsSettings
	usEast1  *aws.Provider
	replica  *aws.Provider

	net   *network.Network
	db    *database.Database
	cache *cache.Cache
	web   *webtier.WebTier
	tgw   *transit.TransitGateway
	edge  *edge.Edge
	dms   *migration.Migration
}

// deployAWS builds the AWS target from a validated config.
func deployAWS(ctx *pulumi.Context, cfg *Config) error {
	settings, err := readAWSSettings(ctx)
	if err != nil {
		return err
	}
	if err := preflightAWS(cfg, settings); err != nil {
		return err
	}
	t := &awsTarget{cfg: cfg, settings: settings}
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

// preflightAWS checks what depends on the stack's region (aws:region),
// which the hawebtier config alone cannot: before any resource exists.
func preflightAWS(cfg *Config, settings *awsSettings) error {
	ps := &problems{}
	if e := cfg.AWS.Edge; e != nil {
		if e.ReplicaRegion == settings.Region {
			ps.add(key("aws.edge.replicaRegion"), "%s is aws:region: the failover bucket must be in a second region", e.ReplicaRegion)
		}
		if e.OriginAccess != "oac" {
			for _, r := range []string{settings.Region, e.ReplicaRegion} {
				if !edge.SupportsOAI(r) {
					ps.add(key("aws.edge.originAccess"), "%s launched after December 2022 and Origin Access Identities cannot reach its buckets: use originAccess oac", r)
				}
			}
		}
	}
	if len(ps.list) > 0 {
		return &ConfigError{Stack: cfg.Stack, Problems: ps.sorted()}
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
	n := t.cfg.AWS.Network
	net, err := network.NewNetwork(ctx, "vpc", &network.NetworkArgs{
		CIDR:                 n.CIDR,
		AZCount:              n.AZCount,
		NATGatewayPerAZ:      *n.NATGatewayPerAZ,
		FlowLogRetentionDays: n.FlowLogRetentionDays,
	})
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

// tiers builds the database, the cache and the web tier. The data tiers
// admit only the WAS security group, which the web tier creates, while
// the web tier needs their endpoints: a deferred output breaks the cycle.
func (t *awsTarget) tiers(ctx *pulumi.Context) error {
	a := t.cfg.AWS
	deferred, resolveWAS := pulumi.DeferredOutput[string](ctx.Context())
	wasSG := pulumi.StringOutput{OutputState: deferred.OutputState}
	resolved := false
	defer func() {
		if !resolved {
			// Never leave the deferred output pending: the run would hang.
			resolveWAS(pulumi.String("").ToStringOutput())
		}
	}()

	// With a migration, the database also admits DMS, whose security group
	// is made with the migration after the database: a second deferral.
	allowedByDB := pulumi.StringArray{wasSG}
	var resolveDMS func(pulumi.Output)
	if a.Migration != nil {
		dmsDeferred, resolve := pulumi.DeferredOutput[string](ctx.Context())
		allowedByDB = append(allowedByDB, pulumi.StringOutput{OutputState: dmsDeferred.OutputState})
		resolveDMS = resolve
		defer func() {
			if resolveDMS != nil {
				resolveDMS(pulumi.String("").ToStringOutput())
			}
		}()
	}
	db, err := database.NewDatabase(ctx, "db", &database.DatabaseArgs{
		Engine:                  a.Database.Engine,
		EngineVersion:           a.Database.EngineVersion,
		InstanceClass:           a.Database.InstanceClass,
		AllocatedStorageGB:      a.Database.AllocatedStorage,
		DBName:                  a.Database.Name,
		Username:                a.Database.Username,
		ReadReplicas:            a.Database.ReadReplicas,
		BackupRetentionDays:     a.Database.BackupRetentionDays,
		Production:              t.cfg.Production(),
		SubnetIDs:               t.net.DataSubnetIDs,
		VpcID:                   t.net.VpcID,
		AllowedSecurityGroupIDs: allowedByDB,
	})
	if err != nil {
		return err
	}
	c, err := cache.NewCache(ctx, "cache", &cache.CacheArgs{
		NodeType:                a.Cache.NodeType,
		Nodes:                   a.Cache.Nodes,
		EngineVersion:           a.Cache.EngineVersion,
		Production:              t.cfg.Production(),
		SubnetIDs:               t.net.DataSubnetIDs,
		VpcID:                   t.net.VpcID,
		AllowedSecurityGroupIDs: pulumi.StringArray{wasSG},
	})
	if err != nil {
		return err
	}
	tier := func(tc AWSTierConfig, desired int) webtier.TierArgs {
		return webtier.TierArgs{
			InstanceType:     tc.InstanceType,
			AMI:              tc.AMI,
			MinSize:          tc.MinSize,
			MaxSize:          tc.MaxSize,
			Desired:          desired,
			TargetCPUPercent: tc.TargetCPUPercent,
		}
	}
	webArgs := &webtier.WebTierArgs{
		Environment:       t.cfg.Environment,
		Connector:         t.cfg.Connector,
		VpcID:             t.net.VpcID,
		PublicSubnetIDs:   t.net.PublicSubnetIDs,
		AppSubnetIDs:      t.net.AppSubnetIDs,
		Web:               tier(a.Web, t.cfg.Web.Count),
		App:               tier(a.App, t.cfg.App.Count),
		CertificateARN:    a.CertificateARN,
		DatabaseEndpoint:  db.Endpoint,
		DatabaseSecretARN: db.MasterSecretARN,
		CacheEndpoint:     c.Endpoint,
		CacheSecretARN:    c.AuthSecretARN,
	}
	if a.Edge != nil {
		// Behind CloudFront the public ALB admits only CloudFront's
		// origin-facing prefix list, on port 80 only (the list counts about
		// 55 rules against the default 60 per security group), and answers
		// 403 unless the edge's origin-header rule forwards.
		pl, err := ec2.LookupManagedPrefixList(ctx, &ec2.LookupManagedPrefixListArgs{Name: pulumi.StringRef(cloudFrontOriginFacing)})
		if err != nil {
			return fmt.Errorf("prefix list %s: %w", cloudFrontOriginFacing, err)
		}
		webArgs.OriginFromCloudFront = true
		webArgs.DenyWithoutOriginRule = true
		webArgs.PublicIngressPrefixListIDs = pulumi.StringArray{pulumi.String(pl.Id)}
	}
	web, err := webtier.NewWebTier(ctx, "tier", webArgs)
	if err != nil {
		return err
	}
	resolveWAS(web.WasSecurityGroupID)
	resolved = true
	t.db, t.cache, t.web = db, c, web

	if m := a.Migration; m != nil {
		dms, err := t.migration(ctx, m, db)
		if err != nil {
			return err
		}
		resolveDMS(dms.SecurityGroupID)
		resolveDMS = nil
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
	// The VPC routes to the peer network: except for a same-account
	// accepter, whose routes the requester stack adds.
	peerCIDR := ""
	if p := tc.Peer; p != nil && (p.Role == "requester" || p.CrossAccount) {
		peerCIDR = p.CIDR
	}
	tgw, err := transit.NewTransitGateway(ctx, "tgw", &transit.TransitGatewayArgs{
		AmazonSideASN:   tc.AmazonSideASN,
		VpcID:           t.net.VpcID,
		SubnetIDs:       t.net.AppSubnetIDs,
		VpcCIDR:         t.net.CIDR,
		RouteTableIDs:   rtIDs,
		RouteTableCount: rtCount,
		PeerCIDR:        peerCIDR,
		OnPremCIDRs:     tc.OnPremCIDRs,
	})
	if err != nil {
		return err
	}
	t.tgw = tgw
	ctx.Export("transitGatewayId", tgw.TransitGatewayID)
	ctx.Export("transitGatewayRouteTableId", tgw.RouteTableID)

	peerASN := 0
	localCIDRs := []string{t.net.CIDR}
	if tc.Peer != nil {
		peerASN = tc.Peer.ASN
		localCIDRs = append(localCIDRs, tc.Peer.CIDR)
		if err := t.peering(ctx, tc); err != nil {
			return err
		}
	}
	if tc.VPN != nil {
		link := &transit.OnPremLinkArgs{
			TransitGatewayID:   tgw.TransitGatewayID,
			RouteTableID:       tgw.RouteTableID,
			TransitGatewayASN:  tc.AmazonSideASN,
			PeerASN:            peerASN,
			CustomerGatewayIP:  tc.VPN.CustomerGatewayIP,
			CustomerGatewayASN: tc.VPN.CustomerGatewayASN,
			StaticRoutesOnly:   tc.VPN.StaticRoutes,
			OnPremCIDRs:        tc.OnPremCIDRs,
			LocalCIDRs:         localCIDRs,
			TunnelInsideCIDRs:  tc.VPN.TunnelInsideCIDRs,
		}
		if dx := tc.DirectConnect; dx != nil {
			link.DirectConnect = &transit.DirectConnectArgs{ASN: dx.ASN, AllowedPrefixes: dx.AllowedPrefixes}
		}
		l, err := transit.NewOnPremLink(ctx, "onprem", link)
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
		ref, err := pulumi.NewStackReference(ctx, p.Stack, nil)
		if err != nil {
			return fmt.Errorf("stack reference %q: %w", p.Stack, err)
		}
		acc, err := transit.NewPeeringAccepter(ctx, "peering", &transit.PeeringAccepterArgs{
			AttachmentID: ref.GetStringOutput(pulumi.String("transitPeeringAttachmentId")),
			RouteTableID: t.tgw.RouteTableID,
			LocalCIDR:    t.net.CIDR,
			PeerCIDR:     p.CIDR,
		})
		if err != nil {
			return err
		}
		ctx.Export("transitPeeringAcceptedId", acc.AttachmentID)
		return nil
	}

	ref, err := pulumi.NewStackReference(ctx, p.Stack, nil)
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
	args := &transit.PeeringArgs{
		TransitGatewayID:       t.tgw.TransitGatewayID,
		RouteTableID:           t.tgw.RouteTableID,
		LocalCIDR:              t.net.CIDR,
		PeerTransitGatewayID:   ref.GetStringOutput(pulumi.String("transitGatewayId")),
		PeerRouteTableID:       ref.GetStringOutput(pulumi.String("transitGatewayRouteTableId")),
		PeerRegion:             p.Region,
		PeerAccountID:          p.AccountID,
		PeerCIDR:               p.CIDR,
		PeerVpcRouteTableIDs:   ref.GetOutput(pulumi.String("appRouteTableIds")).ApplyT(toStrings).(pulumi.StringArrayOutput),
		PeerVpcRouteTableCount: len(peerTables),
		CrossAccount:           p.CrossAccount,
		LocalASN:               tc.AmazonSideASN,
		PeerASN:                p.ASN,
	}
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
	peering, err := transit.NewPeering(ctx, "peering", args)
	if err != nil {
		return err
	}
	ctx.Export("transitPeeringAttachmentId", peering.AttachmentID)
	return nil
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

// dbPorts are the engines' default ports, which aws/database keeps.
var dbPorts = map[string]int{"mysql": 3306, "postgres": 5432}

// migration replicates the legacy database into RDS with DMS.
func (t *awsTarget) migration(ctx *pulumi.Context, m *MigrationConfig, db *database.Database) (*migration.Migration, error) {
	var onPrem []string
	if t.cfg.AWS.Transit != nil {
		onPrem = t.cfg.AWS.Transit.OnPremCIDRs
	}
	args := &migration.MigrationArgs{
		Source: migration.Source{
			Engine:       m.Source.Engine,
			Host:         m.Source.Host,
			Port:         m.Source.Port,
			Username:     m.Source.Username,
			DatabaseName: m.Source.DatabaseName,
			Password:     t.cfg.LegacyDBPassword,
		},
		Target: migration.Target{
			Engine:       t.cfg.AWS.Database.Engine,
			Port:         dbPorts[t.cfg.AWS.Database.Engine],
			DatabaseName: t.cfg.AWS.Database.Name,
			SecretARN:    db.MasterSecretARN,
			// The database admits the DMS group, so DMS reaches the database
			// by its subnets: group references both ways would be a cycle.
			CIDRs: t.net.DataSubnetCIDRs,
		},
		Tables:             m.Tables,
		StartTask:          m.StartTask,
		CreateAccountRoles: m.CreateAccountRoles,
		InstanceClass:      m.InstanceClass,
		SubnetIDs:          t.net.DataSubnetIDs,
		VpcID:              t.net.VpcID,
		OnPremCIDRs:        onPrem,
	}
	if m.IAMPropagationSeconds > 0 {
		args.IAMPropagationDelay = time.Duration(m.IAMPropagationSeconds) * time.Second
	}
	dms, err := migration.NewMigration(ctx, "dms", args)
	if err != nil {
		return nil, err
	}
	ctx.Export("migrationTaskArn", dms.TaskARN)
	return dms, nil
}

// edgeStep puts CloudFront, WAF and (optionally) Shield in front of the
// public ALB.
func (t *awsTarget) edgeStep(ctx *pulumi.Context) error {
	e := t.cfg.AWS.Edge
	if e == nil {
		return nil
	}
	args := &edge.EdgeArgs{
		OriginDomain:         t.web.PublicALBDNSName,
		OriginProtocolPolicy: "http-only",
		ListenerARN:          t.web.PublicHTTPListenerARN,
		TargetGroupARN:       t.web.WebTargetGroupARN,
		LoadBalancerARN:      t.web.PublicALBARN,
		Region:               t.settings.Region,
		ReplicaRegion:        e.ReplicaRegion,
		Domain:               e.Domain,
		HostedZoneID:         e.HostedZoneID,
		OriginAccess:         edge.OriginAccessOAI,
		KMS:                  e.KMS,
		RateLimit:            e.RateLimit,
		Production:           t.cfg.Production(),
		USEast1:              t.usEast1,
		Replica:              t.replica,
	}
	if e.OriginAccess == "oac" {
		args.OriginAccess = edge.OriginAccessOAC
	}
	if sh := e.Shield; sh != nil {
		args.Shield = &edge.ShieldArgs{Subscribe: sh.Subscribe, AlarmEmail: sh.AlarmEmail}
		for _, c := range sh.Contacts {
			args.Shield.Contacts = append(args.Shield.Contacts, shield.Contact{Email: c.Email, Phone: c.Phone, Notes: c.Notes})
		}
	}
	ed, err := edge.NewEdge(ctx, "edge", args)
	if err != nil {
		return err
	}
	t.edge = ed
	ctx.Export("url", ed.URL)
	ctx.Export("distributionDomainName", ed.DomainName)
	return nil
}

// alarms watches every tier and notifies one SNS topic.
func (t *awsTarget) alarms(ctx *pulumi.Context) error {
	a := t.cfg.AWS
	args := &alarms.AlarmsArgs{
		LoadBalancers: []alarms.LoadBalancer{
			{Label: "public", ARNSuffix: t.web.PublicALBARNSuffix, TargetGroupARNSuffix: t.web.WebTargetGroupARNSuffix},
			{Label: "internal", ARNSuffix: t.web.InternalALBARNSuffix, TargetGroupARNSuffix: t.web.AppTargetGroupARNSuffix},
		},
		AutoScalingGroups: []alarms.AutoScalingGroup{
			{Label: "web", Name: t.web.WebASGName, MinInService: a.Web.MinSize},
			{Label: "app", Name: t.web.AppASGName, MinInService: a.App.MinSize},
		},
		Database: &alarms.Database{
			InstanceIdentifier: t.db.InstanceIdentifier,
			ReplicaIdentifiers: alarms.Elements(t.db.ReplicaIdentifiers, a.Database.ReadReplicas),
		},
		Cache: &alarms.Cache{MemberClusterIDs: alarms.Elements(t.cache.MemberClusterIDs, a.Cache.Nodes)},
	}
	if a.Alarms != nil {
		args.Email = a.Alarms.Email
	}
	if t.dms != nil {
		args.Migration = &alarms.Migration{
			ReplicationInstanceID: t.dms.ReplicationInstanceID,
			TaskResourceID:        t.dms.TaskResourceID,
			TaskARN:               t.dms.TaskARN,
		}
	}
	al, err := alarms.NewAlarms(ctx, "alarms", args)
	if err != nil {
		return err
	}
	ctx.Export("alarmTopicArn", al.TopicARN)
	return nil
}
