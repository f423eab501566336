package stacks

import (
	"net/netip"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
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
	// Load checked the args with placeholder placement; NewWebTier checks
	// them again with what vCenter answered (the template's disks) before
	// it registers anything, and its problems name their config keys.
	// Validating here as well would plan the whole tier a third time.
	tier, err := onprem.NewWebTier(ctx, onPremTierName, onPremArgs(cfg, place))
	if _, invalid := problem.Of(err); invalid {
		return onPremArgsError(cfg, err)
	}
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
func onPremArgs(cfg *Config, place *onprem.Placement) *onprem.WebTierArgs {
	o := cfg.OnPrem
	args := &onprem.WebTierArgs{
		Topology:               onPremTopology(cfg),
		Gateway:                o.Network.Gateway,
		DNS:                    o.Network.DNS,
		Folder:                 o.Folder,
		Sizes:                  o.Sizes,
		WaitForGuestNetMinutes: o.WaitForGuestNetMinutes,
		Protect:                cfg.Production(),
		DeployedCounts:         o.DeployedCounts,
	}
	place.SetOn(args)
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
	place := &onprem.Placement{
		DatacenterID: id, ComputeClusterID: id, ResourcePoolID: id, DatastoreID: id, NetworkID: id,
		Template: onprem.Template{UUID: id, GuestID: id, Disks: []onprem.TemplateDisk{{Label: "Hard disk 1", SizeGB: 1}}},
	}
	ps.addError(key("onprem"), reflect.TypeOf(OnPremConfig{}), onPremArgs(cfg, place).Validate(onPremTierName), onPremRenames)
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

// lookUpOnPrem resolves the config's vCenter names (onprem.LookUpPlacement),
// reporting every name it cannot find at once under its key.
func lookUpOnPrem(ctx *pulumi.Context, cfg *Config) (*onprem.Placement, error) {
	o := cfg.OnPrem
	p, err := onprem.LookUpPlacement(ctx, onprem.PlacementNames{
		Datacenter: o.Datacenter, Cluster: o.Cluster, ResourcePool: o.ResourcePool,
		Datastore: o.Datastore, PortGroup: o.PortGroup, Template: o.Template,
	})
	if err != nil {
		ps := &problems{}
		ps.addError(key("onprem"), reflect.TypeOf(OnPremConfig{}), err, nil)
		return nil, &ConfigError{Stack: ctx.Stack(), Problems: ps.sorted()}
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
