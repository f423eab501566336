package stacks

import (
	"fmt"
	"net/netip"
	"reflect"

	"github.com/pulumi/pulumi-vsphere/sdk/v4/go/vsphere"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/onprem"
)

// deployOnPrem builds the on-prem target from a validated config. Every
// vCenter lookup happens before anything is registered: an unknown
// datacenter, cluster, datastore, port group, resource pool or template is
// a *ConfigError naming the key, and the program registers nothing.
func deployOnPrem(ctx *pulumi.Context, cfg *Config) error {
	place, err := lookUpOnPrem(ctx, cfg)
	if err != nil {
		return err
	}
	// Load checked the args with placeholder placement; this checks them
	// again with what vCenter answered (the template's disks).
	args := onPremArgs(cfg, place)
	if err := args.Validate(); err != nil {
		return onPremArgsError(cfg, err)
	}
	tier, err := onprem.NewWebTier(ctx, "web-tier", args)
	if err != nil {
		return err
	}
	ctx.Export("vipUrl", tier.VIPURL)
	ctx.Export("nodes", tier.Nodes)
	ctx.Export("monitoringUrl", tier.MonitoringURL)
	return nil
}

// onPremArgs are the tier's args: the config, placed where the lookups
// found the vCenter objects.
func onPremArgs(cfg *Config, place *onPremPlacement) *onprem.WebTierArgs {
	o := cfg.OnPrem
	args := &onprem.WebTierArgs{
		Topology:               onPremTopology(cfg),
		Gateway:                o.Network.Gateway,
		DNS:                    o.Network.DNS,
		DatacenterID:           pulumi.String(place.datacenterID),
		ComputeClusterID:       pulumi.String(place.clusterID),
		ResourcePoolID:         pulumi.String(place.resourcePoolID),
		DatastoreID:            pulumi.String(place.datastoreID),
		NetworkID:              pulumi.String(place.networkID),
		Template:               *place.template,
		Folder:                 o.Folder,
		Sizes:                  o.Sizes,
		WaitForGuestNetMinutes: o.WaitForGuestNetMinutes,
		Protect:                cfg.Production(),
		DeployedCounts:         o.DeployedCounts,
	}
	if o.SSH != nil {
		ssh := o.SSH.SSH
		ssh.PrivateKey = cfg.SSHPrivateKey
		args.SSH = &ssh
	}
	return args
}

// checkOnPrem validates the tier's args as Load's last step, before any
// vCenter lookup: with placeholder placement (a template with one disk of
// the smallest size, so only the config's own values can fail), each
// problem under the hawebtier:onprem key that fed its field.
func checkOnPrem(cfg *Config, ps *problems) {
	const id = "preflight"
	place := &onPremPlacement{
		datacenterID: id, clusterID: id, resourcePoolID: id, datastoreID: id, networkID: id,
		template: &onprem.Template{UUID: id, GuestID: id, Disks: []onprem.TemplateDisk{{Label: "Hard disk 1", SizeGB: 1}}},
	}
	ps.addError(key("onprem"), reflect.TypeOf(OnPremConfig{}), onPremArgs(cfg, place).Validate(), onPremRenames)
}

// onPremTopology is the tier the config describes (node names as
// onPremNodes gives them).
func onPremTopology(cfg *Config) roles.Topology {
	o := cfg.OnPrem
	subnet, _ := netip.ParsePrefix(o.Network.Subnet) // validated
	t := roles.Topology{
		Environment:  string(cfg.Environment),
		Domain:       o.Domain,
		Connector:    cfg.Connector,
		VIP:          o.VIP,
		PrefixLen:    subnet.Bits(),
		Interface:    o.Network.Interface,
		VRRPRouterID: o.VRRPRouterID,
	}
	if o.SSH != nil {
		t.SSHUser = o.SSH.User
		t.SSHAuthorizedKeys = o.SSH.AuthorizedKeys
	}
	for _, n := range onPremNodes(cfg) {
		node := roles.Node{Name: n.name, Address: n.address}
		switch n.role {
		case "lb":
			t.LBs = append(t.LBs, node)
		case "web":
			t.Web = append(t.Web, node)
		case "app":
			t.App = append(t.App, node)
		case "monitor":
			t.Monitor = &node
		}
	}
	return t
}

// onPremPlacement is what the vCenter lookups found.
type onPremPlacement struct {
	datacenterID, clusterID, resourcePoolID, datastoreID, networkID string
	template                                                        *onprem.Template
}

// lookUpOnPrem resolves the config's vCenter names, reporting every name
// it cannot find at once.
func lookUpOnPrem(ctx *pulumi.Context, cfg *Config) (*onPremPlacement, error) {
	o := cfg.OnPrem
	ps := &problems{}
	k := func(s string) string { return key("onprem." + s) }
	notFound := func(field, what, name string, err error) {
		ps.add(k(field), "%s %q not found in vCenter: %v", what, name, err)
	}
	fail := func() error { return &ConfigError{Stack: ctx.Stack(), Problems: ps.sorted()} }

	dc, err := vsphere.LookupDatacenter(ctx, &vsphere.LookupDatacenterArgs{Name: pulumi.StringRef(o.Datacenter)})
	if err != nil {
		notFound("datacenter", "datacenter", o.Datacenter, err)
		return nil, fail()
	}
	p := &onPremPlacement{datacenterID: dc.Id}
	if c, err := vsphere.LookupComputeCluster(ctx, &vsphere.LookupComputeClusterArgs{Name: o.Cluster, DatacenterId: &dc.Id}); err != nil {
		notFound("cluster", "compute cluster", o.Cluster, err)
	} else {
		p.clusterID, p.resourcePoolID = c.Id, c.ResourcePoolId
	}
	if o.ResourcePool != "" {
		if rp, err := vsphere.LookupResourcePool(ctx, &vsphere.LookupResourcePoolArgs{Name: pulumi.StringRef(o.ResourcePool), DatacenterId: &dc.Id}); err != nil {
			notFound("resourcePool", "resource pool", o.ResourcePool, err)
		} else {
			p.resourcePoolID = rp.Id
		}
	}
	if ds, err := vsphere.GetDatastore(ctx, &vsphere.GetDatastoreArgs{Name: o.Datastore, DatacenterId: &dc.Id}); err != nil {
		notFound("datastore", "datastore", o.Datastore, err)
	} else {
		p.datastoreID = ds.Id
	}
	if n, err := vsphere.GetNetwork(ctx, &vsphere.GetNetworkArgs{Name: o.PortGroup, DatacenterId: &dc.Id}); err != nil {
		notFound("portGroup", "port group", o.PortGroup, err)
	} else {
		p.networkID = n.Id
	}
	if t, err := onprem.LookupTemplate(ctx, dc.Id, o.Template); err != nil {
		ps.add(k("template"), "cannot clone from it: %v", err)
	} else {
		p.template = t
	}
	if len(ps.list) > 0 {
		return nil, fail()
	}
	if p.resourcePoolID == "" {
		return nil, fmt.Errorf("%s: compute cluster %q has no root resource pool; set onprem.resourcePool", k("cluster"), o.Cluster)
	}
	return p, nil
}

// onPremRenames map the tier's fields to the hawebtier:onprem keys that
// feed them (the topology is built from several of them, see topology).
var onPremRenames = map[string]string{
	"Topology.domain":            "domain",
	"Topology.interface":         "network.interface",
	"Topology.sshUser":           "ssh.user",
	"Topology.sshAuthorizedKeys": "ssh.authorizedKeys",
	"Topology.vip":               "vip",
	"Topology.vrrpRouterId":      "vrrpRouterId",
	"Topology.lbs[*].address":    "addresses.lb[*]",
	"Topology.web[*].address":    "addresses.web[*]",
	"Topology.app[*].address":    "addresses.app[*]",
	"Topology.monitor.address":   "addresses.monitor",
	"Topology.lbs":               "addresses.lb",
	"Topology.web":               "addresses.web",
	"Topology.app":               "addresses.app",
	"Gateway":                    "network.gateway",
	"DNS":                        "network.dns",
	"Folder":                     "folder",
	"SSH.PrivateKey":             key("sshPrivateKey"),
}

// onPremArgsError reports the tier's own validation as config problems,
// each under the hawebtier:onprem key that fed its field.
func onPremArgsError(cfg *Config, err error) error {
	ps := &problems{}
	ps.addError(key("onprem"), reflect.TypeOf(OnPremConfig{}), err, onPremRenames)
	return &ConfigError{Stack: cfg.Stack, Problems: ps.sorted()}
}
