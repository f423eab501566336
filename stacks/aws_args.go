package stacks

import (
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
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

// The args of every AWS component, built from the config and the inputs
// other components provide. The same builders serve the preflight (with
// placeholder inputs, to validate everything before registering anything)
// and the deployment.

func (t *awsTarget) networkArgs() *network.NetworkArgs {
	a := t.cfg.AWS.Network.args()
	return &a
}

func (t *awsTarget) databaseArgs(subnets pulumi.StringArrayInput, vpc pulumi.StringInput) *database.DatabaseArgs {
	a := t.cfg.AWS.Database
	a.Production = t.cfg.Production()
	a.SubnetIDs, a.VpcID = subnets, vpc
	a.ResourceName = t.resourceName("db")
	return &a
}

func (t *awsTarget) cacheArgs(subnets pulumi.StringArrayInput, vpc pulumi.StringInput) *cache.CacheArgs {
	a := t.cfg.AWS.Cache
	a.Production = t.cfg.Production()
	a.SubnetIDs, a.VpcID = subnets, vpc
	a.ResourceName = t.resourceName("cache")
	return &a
}

// webArgs: with an edge (prefixList set), the public ALB admits only
// CloudFront's origin-facing prefix list, on port 80 only (the list counts
// about 55 rules against the default 60 per security group), and answers
// 403 unless the edge's origin-header rule forwards.
func (t *awsTarget) webArgs(vpc pulumi.StringInput, public, app pulumi.StringArrayInput,
	dbEndpoint, dbSecret, cacheEndpoint, cacheSecret pulumi.StringInput, prefixList string,
) *webtier.WebTierArgs {
	a := t.cfg.AWS
	w := &webtier.WebTierArgs{
		Environment:       string(t.cfg.Environment),
		Connector:         t.cfg.Connector,
		VpcID:             vpc,
		PublicSubnetIDs:   public,
		AppSubnetIDs:      app,
		Web:               a.Web,
		App:               a.App,
		CertificateARN:    a.CertificateARN,
		DatabaseEndpoint:  dbEndpoint,
		DatabaseSecretARN: dbSecret,
		CacheEndpoint:     cacheEndpoint,
		CacheSecretARN:    cacheSecret,
	}
	if prefixList != "" {
		w.OriginFromCloudFront = true
		w.DenyWithoutOriginRule = true
		w.PublicIngressPrefixListIDs = pulumi.StringArray{pulumi.String(prefixList)}
	}
	return w
}

func (t *awsTarget) edgeArgs(origin, listener, targetGroup, alb pulumi.StringInput, usEast1, replica *aws.Provider) *edge.EdgeArgs {
	args := *t.cfg.AWS.Edge
	if sh := args.Shield; sh != nil {
		// The component fills in the Shield args it protects; the config's
		// stay as they were read.
		copied := *sh
		args.Shield = &copied
	}
	args.OriginDomain, args.OriginProtocolPolicy = origin, edge.HTTPOnly
	args.ListenerARN, args.TargetGroupARN, args.LoadBalancerARN = listener, targetGroup, alb
	args.Region = t.settings.Region
	args.Production = t.cfg.Production()
	args.USEast1, args.Replica = usEast1, replica
	args.ResourceName = t.resourceName("edge")
	return &args
}

// gatewayArgs: the VPC routes to the peer network, except for a
// same-account accepter, whose routes the requester stack adds.
func (t *awsTarget) gatewayArgs(vpc pulumi.StringInput, subnets, routeTables pulumi.StringArrayInput, routeTableCount int) *transit.TransitGatewayArgs {
	tc := t.cfg.AWS.Transit
	peerCIDR := ""
	if p := tc.Peer; p != nil && (p.Role == "requester" || p.CrossAccount) {
		peerCIDR = p.CIDR
	}
	return &transit.TransitGatewayArgs{
		AmazonSideASN:   tc.AmazonSideASN,
		VpcID:           vpc,
		SubnetIDs:       subnets,
		VpcCIDR:         t.cfg.AWS.Network.CIDR,
		RouteTableIDs:   routeTables,
		RouteTableCount: routeTableCount,
		PeerCIDR:        peerCIDR,
		OnPremCIDRs:     tc.OnPremCIDRs,
	}
}

func (t *awsTarget) linkArgs(tgw, routeTable pulumi.StringInput) *transit.OnPremLinkArgs {
	tc := t.cfg.AWS.Transit
	peerASN := 0
	localCIDRs := []string{t.cfg.AWS.Network.CIDR}
	if tc.Peer != nil {
		peerASN = tc.Peer.ASN
		localCIDRs = append(localCIDRs, tc.Peer.CIDR)
	}
	link := &transit.OnPremLinkArgs{
		TransitGatewayID:   tgw,
		RouteTableID:       routeTable,
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
		copied := *dx
		link.DirectConnect = &copied
	}
	return link
}

func (t *awsTarget) accepterArgs(attachment, routeTable pulumi.StringInput) *transit.PeeringAccepterArgs {
	return &transit.PeeringAccepterArgs{
		AttachmentID: attachment,
		RouteTableID: routeTable,
		LocalCIDR:    t.cfg.AWS.Network.CIDR,
		PeerCIDR:     t.cfg.AWS.Transit.Peer.CIDR,
	}
}

func (t *awsTarget) peeringArgs(tgw, routeTable, peerTGW, peerRouteTable pulumi.StringInput, peerVpcRouteTables pulumi.StringArrayInput, peerVpcRouteTableCount int) *transit.PeeringArgs {
	tc := t.cfg.AWS.Transit
	p := tc.Peer
	return &transit.PeeringArgs{
		TransitGatewayID:       tgw,
		RouteTableID:           routeTable,
		LocalCIDR:              t.cfg.AWS.Network.CIDR,
		PeerTransitGatewayID:   peerTGW,
		PeerRouteTableID:       peerRouteTable,
		PeerRegion:             p.Region,
		PeerAccountID:          p.AccountID,
		PeerCIDR:               p.CIDR,
		PeerVpcRouteTableIDs:   peerVpcRouteTables,
		PeerVpcRouteTableCount: peerVpcRouteTableCount,
		CrossAccount:           p.CrossAccount,
		LocalASN:               tc.AmazonSideASN,
		PeerASN:                p.ASN,
	}
}

func (t *awsTarget) migrationArgs(dbSecret pulumi.StringInput, subnets pulumi.StringArrayInput, vpc, dbSG pulumi.StringInput) *migration.MigrationArgs {
	m := t.cfg.AWS.Migration
	var onPrem []string
	if t.cfg.AWS.Transit != nil {
		onPrem = t.cfg.AWS.Transit.OnPremCIDRs
	}
	args := m.MigrationArgs
	args.Source.Password = t.cfg.LegacyDBPassword
	args.Target = migration.Target{
		Engine:       t.cfg.AWS.Database.Engine,
		Port:         database.Engines[t.cfg.AWS.Database.Engine].Port,
		DatabaseName: t.cfg.AWS.Database.DBName,
		SecretARN:    dbSecret,
		// The database admits DMS with a rule of its own (Admit), so
		// the two groups may refer to each other.
		SecurityGroupID: dbSG,
	}
	args.SubnetIDs, args.VpcID = subnets, vpc
	args.VpcCIDR = t.cfg.AWS.Network.CIDR
	args.OnPremCIDRs = onPrem
	args.ResourceName = t.resourceName("dms")
	if m.IAMPropagationSeconds != 0 {
		args.IAMPropagationDelay = time.Duration(m.IAMPropagationSeconds) * time.Second
	}
	return &args
}

// alarmInputs are the dimensions the alarms watch.
type alarmInputs struct {
	publicALB, webTG, internalALB, appTG pulumi.StringInput
	webASG, appASG                       pulumi.StringInput
	db                                   pulumi.StringInput
	replicas, cacheMembers               []pulumi.StringInput
	dmsInstance, dmsTaskID, dmsTaskARN   pulumi.StringInput
}

func (t *awsTarget) alarmsArgs(in alarmInputs) *alarms.AlarmsArgs {
	a := t.cfg.AWS
	args := &alarms.AlarmsArgs{
		LoadBalancers: []alarms.LoadBalancer{
			{Label: "public", ARNSuffix: in.publicALB, TargetGroupARNSuffix: in.webTG},
			{Label: "internal", ARNSuffix: in.internalALB, TargetGroupARNSuffix: in.appTG},
		},
		AutoScalingGroups: []alarms.AutoScalingGroup{
			{Label: "web", Name: in.webASG, MinInService: a.Web.MinSize},
			{Label: "app", Name: in.appASG, MinInService: a.App.MinSize},
		},
		Database: &alarms.Database{InstanceIdentifier: in.db, ReplicaIdentifiers: in.replicas},
		Cache:    &alarms.Cache{MemberClusterIDs: in.cacheMembers},
	}
	if a.Alarms != nil {
		args.Email = a.Alarms.Email
	}
	if in.dmsTaskARN != nil {
		args.Migration = &alarms.Migration{ReplicationInstanceID: in.dmsInstance, TaskResourceID: in.dmsTaskID, TaskARN: in.dmsTaskARN}
	}
	return args
}
