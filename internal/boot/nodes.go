package boot

import (
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/internal/plan"
)

// Resource types read from the plan.
const (
	vmType      = "vsphere:index/virtualMachine:VirtualMachine"
	hostType    = "hawebtier:day2:Host"
	commandType = "command:remote:Command"
)

// Node is one VM of the plan as the boot test needs it: what cloud-init reads
// at first boot and the day-2 commands registered for it.
type Node struct {
	Name     string // local-hostname from the metadata ("web-1")
	VM       string // the VM resource's name ("web-tier-web-1")
	UserData string
	// MetaData is the guestinfo metadata without its network key (NoCloud's
	// meta-data); NetworkConfig is that key's mapping, handed on as is.
	MetaData      string
	NetworkConfig string
	// Address is the static address of the network config (no prefix).
	Address     string
	Nameservers []string
	Day2        []Command // in dependency order
}

// Command is one day-2 command: the exact create script, its stdin and the
// connection the resource registers.
type Command struct {
	Name   string
	Create string
	Stdin  string
	Host   string
	Port   int
	User   string
	// PrivateKey is the connection's key (a secret), to check it is the
	// configured one.
	PrivateKey string
}

// networkConfig is the part of the metadata's network mapping the test
// reads back (addresses, resolver).
type networkConfig struct {
	Version   int `yaml:"version"`
	Ethernets map[string]struct {
		Addresses   []string `yaml:"addresses"`
		Nameservers struct {
			Addresses []string `yaml:"addresses"`
			Search    []string `yaml:"search"`
		} `yaml:"nameservers"`
	} `yaml:"ethernets"`
}

// NodesFromPlan finds the named nodes (local-hostnames) in p: their user-data
// and metadata from the VM's extraConfig (guestinfo, base64), and the
// commands under the day-2 Host whose commands depend on that VM, ordered by
// their dependencies. Inputs the plan masks as secrets are taken from res,
// the mock run of the same options, which keeps their values.
func NodesFromPlan(p *plan.Plan, res *mocktest.Result, names ...string) ([]*Node, error) {
	byURN := p.ByURN()
	mock := map[string]*mocktest.Resource{}
	for _, r := range res.Resources {
		mock[r.URN] = r
	}
	byVM := map[string]*Node{} // VM URN -> node
	var out []*Node
	for _, r := range p.Resources {
		if r.Type != vmType {
			continue
		}
		n, err := nodeFromVM(r)
		if err != nil {
			return nil, err
		}
		if slices.Contains(names, n.Name) {
			byVM[r.URN] = n
			out = append(out, n)
		}
	}
	for _, want := range names {
		if !slices.ContainsFunc(out, func(n *Node) bool { return n.Name == want }) {
			return nil, fmt.Errorf("no VM with local-hostname %q in the plan", want)
		}
	}
	// Commands by host, then each host's commands in dependency order.
	children := map[string][]*plan.Resource{}
	for _, r := range p.Resources {
		if r.Type == commandType && byURN[r.Parent] != nil && byURN[r.Parent].Type == hostType {
			children[r.Parent] = append(children[r.Parent], r)
		}
	}
	for _, host := range slices.Sorted(maps.Keys(children)) {
		cmds := children[host]
		var node *Node
		for _, c := range cmds {
			for _, d := range c.Dependencies {
				if n := byVM[d]; n != nil {
					node = n
				}
			}
		}
		if node == nil {
			continue // a node the test does not boot
		}
		ordered, err := dependencyOrder(cmds)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", host, err)
		}
		for _, c := range ordered {
			m := mock[c.URN]
			if m == nil {
				return nil, fmt.Errorf("%s: not in the mock run", c.URN)
			}
			cmd, err := commandFrom(m)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.Name, err)
			}
			node.Day2 = append(node.Day2, cmd)
		}
	}
	for _, n := range out {
		if len(n.Day2) == 0 {
			return nil, fmt.Errorf("node %s has no day-2 commands (is hawebtier:onprem ssh set and hawebtier:sshPrivateKey given?)", n.Name)
		}
	}
	return out, nil
}

func nodeFromVM(r *plan.Resource) (*Node, error) {
	ec, _ := r.Inputs["extraConfig"].(map[string]any)
	get := func(key string) (string, error) {
		v, _ := ec[key].(string)
		if enc, _ := ec[key+".encoding"].(string); enc != "base64" {
			return "", fmt.Errorf("%s: %s.encoding is %q, expected base64", r.Name, key, enc)
		}
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return "", fmt.Errorf("%s: %s: %w", r.Name, key, err)
		}
		return string(b), nil
	}
	ud, err := get("guestinfo.userdata")
	if err != nil {
		return nil, err
	}
	md, err := get("guestinfo.metadata")
	if err != nil {
		return nil, err
	}
	var meta map[string]any
	if err := yaml.Unmarshal([]byte(md), &meta); err != nil {
		return nil, fmt.Errorf("%s: metadata: %w", r.Name, err)
	}
	network, ok := meta["network"]
	if !ok {
		return nil, fmt.Errorf("%s: metadata has no network key", r.Name)
	}
	delete(meta, "network")
	metaOut, err := yaml.Marshal(meta)
	if err != nil {
		return nil, err
	}
	netOut, err := yaml.Marshal(network)
	if err != nil {
		return nil, err
	}
	var nc networkConfig
	if err := yaml.Unmarshal(netOut, &nc); err != nil {
		return nil, fmt.Errorf("%s: network: %w", r.Name, err)
	}
	n := &Node{VM: r.Name, UserData: ud, MetaData: string(metaOut), NetworkConfig: string(netOut)}
	n.Name, _ = meta["local-hostname"].(string)
	for _, eth := range nc.Ethernets {
		for _, a := range eth.Addresses {
			n.Address, _, _ = strings.Cut(a, "/")
		}
		n.Nameservers = eth.Nameservers.Addresses
	}
	if n.Name == "" || n.Address == "" {
		return nil, fmt.Errorf("%s: metadata lacks local-hostname or a static address", r.Name)
	}
	return n, nil
}

// dependencyOrder sorts one host's commands so each comes after the ones
// it depends on (dependencies outside the set, such as the VM, are met by
// the boot); ties keep the plan's order.
func dependencyOrder(cmds []*plan.Resource) ([]*plan.Resource, error) {
	in := map[string]*plan.Resource{}
	for _, c := range cmds {
		in[c.URN] = c
	}
	done := map[string]bool{}
	var out []*plan.Resource
	for len(out) < len(cmds) {
		progressed := false
		for _, c := range cmds {
			if done[c.URN] {
				continue
			}
			ready := true
			for _, d := range c.Dependencies {
				if in[d] != nil && !done[d] {
					ready = false
				}
			}
			if ready {
				done[c.URN] = true
				out = append(out, c)
				progressed = true
			}
		}
		if !progressed {
			return nil, fmt.Errorf("dependency cycle among %d commands", len(cmds)-len(out))
		}
	}
	return out, nil
}

func commandFrom(r *mocktest.Resource) (Command, error) {
	in := mocktest.PlainMap(r.Inputs)
	c := Command{Name: r.Name}
	c.Create, _ = in["create"].(string)
	c.Stdin, _ = in["stdin"].(string)
	conn, _ := in["connection"].(map[string]any)
	c.Host, _ = conn["host"].(string)
	c.User, _ = conn["user"].(string)
	c.PrivateKey, _ = conn["privateKey"].(string)
	port, _ := conn["port"].(float64)
	c.Port = int(port)
	if c.Port == 0 {
		c.Port = 22
	}
	if c.Create == "" || c.Host == "" || c.User == "" {
		return c, fmt.Errorf("create, connection.host and connection.user are required")
	}
	return c, nil
}

// RolePackages returns the union of the user-data packages of nodes: what
// the image pre-installs.
func RolePackages(nodes []*Node) ([]string, error) {
	var out []string
	for _, n := range nodes {
		var ud struct {
			Packages []string `yaml:"packages"`
		}
		if err := yaml.Unmarshal([]byte(n.UserData), &ud); err != nil {
			return nil, fmt.Errorf("%s: user-data: %w", n.Name, err)
		}
		out = append(out, ud.Packages...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// EnabledServices returns the units the user-data's runcmd enables
// (`systemctl enable ...`): the role's services, which must be active once
// day 2 has run.
func EnabledServices(userData string) ([]string, error) {
	var ud struct {
		Runcmd []any `yaml:"runcmd"`
	}
	if err := yaml.Unmarshal([]byte(userData), &ud); err != nil {
		return nil, err
	}
	var out []string
	for _, c := range ud.Runcmd {
		argv, ok := c.([]any)
		if !ok || len(argv) < 3 || argv[0] != "systemctl" || argv[1] != "enable" {
			continue
		}
		for _, a := range argv[2:] {
			if s, ok := a.(string); ok && !strings.HasPrefix(s, "-") {
				out = append(out, s)
			}
		}
	}
	return out, nil
}
