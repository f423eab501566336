package onprem

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi-vsphere/sdk/v4/go/vsphere"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/cloudinit"
	"github.com/hawebtier/hawebtier/components/day2"
	"github.com/hawebtier/hawebtier/components/monitoring"
	"github.com/hawebtier/hawebtier/components/problem"
	"github.com/hawebtier/hawebtier/components/roles"
)

// WebTierTypeToken is the Pulumi type of a WebTier.
const WebTierTypeToken = "hawebtier:onprem:WebTier"

// webTierComponent is how errors name a WebTier:
// `onprem web tier "<name>": ...`.
const webTierComponent = "onprem web tier"

// Size sizes one role's VMs. The json names are the keys of a config
// object that holds it (the project's hawebtier:onprem.sizes.<role>).
type Size struct {
	CPUs     int `json:"cpus"`     // at least 1
	MemoryMB int `json:"memoryMb"` // at least 512, a multiple of 4
	DiskGB   int `json:"diskGb"`   // first disk; never below the template's
}

// DefaultSizes size the roles WebTierArgs.Sizes leaves out, and the
// fields of a Size it leaves zero.
var DefaultSizes = map[string]Size{
	roles.LB:      {CPUs: 2, MemoryMB: 2048, DiskGB: 20},
	roles.Web:     {CPUs: 2, MemoryMB: 4096, DiskGB: 20},
	roles.App:     {CPUs: 4, MemoryMB: 8192, DiskGB: 40},
	roles.Monitor: {CPUs: 2, MemoryMB: 4096, DiskGB: 60},
}

// withDefaults fills the zero fields of s from def.
func (s Size) withDefaults(def Size) Size {
	if s.CPUs == 0 {
		s.CPUs = def.CPUs
	}
	if s.MemoryMB == 0 {
		s.MemoryMB = def.MemoryMB
	}
	if s.DiskGB == 0 {
		s.DiskGB = def.DiskGB
	}
	return s
}

// check reports what vSphere refuses in a VM's size, each field under
// prefix (NewNode's "CPUs", WebTier's "Sizes[web].CPUs").
func (s Size) check(prefix string, bad func(field, format string, args ...any)) {
	if s.CPUs < 1 {
		bad(prefix+"CPUs", "need at least 1, got %d", s.CPUs)
	}
	if s.MemoryMB < 512 || s.MemoryMB%4 != 0 {
		bad(prefix+"MemoryMB", "need at least 512 and a multiple of 4, got %d", s.MemoryMB)
	}
	if s.DiskGB < 0 {
		bad(prefix+"DiskGB", "need 0 (the template's size) or more, got %d", s.DiskGB)
	}
}

// Counts are web and app server counts. The json names are the keys of a
// config object that holds them (hawebtier:onprem.deployedCounts).
type Counts struct {
	Web int `json:"web"`
	App int `json:"app"`
}

// SSH is how the day-2 component reaches the nodes.
// The json names are the keys of a config object that holds it (the
// project's hawebtier:onprem.ssh); the secrets are tagged "-", wired from
// secret config.
type SSH struct {
	User       string             `json:"user"` // default roles.DefaultSSHUser (root)
	Port       int                `json:"port"` // default 22
	PrivateKey pulumi.StringInput `json:"-"`
	// HostKeys pins each node's SSH host key (node name -> public key,
	// "ssh-ed25519 AAAA..."). A node without an entry accepts any key.
	HostKeys map[string]string `json:"hostKeys"`
	// CloudInitTimeoutSeconds bounds the first-contact wait for cloud-init;
	// 0 means day2.DefaultCloudInitTimeoutSeconds.
	CloudInitTimeoutSeconds int `json:"cloudInitTimeoutSeconds"`
	// AJPSecret is the secret httpd and Tomcat share with the proxy_ajp
	// and jk connectors. nil: NewWebTier generates one (random, 32
	// alphanumerics, which both httpd and Tomcat accept unquoted).
	AJPSecret pulumi.StringInput `json:"-"`
}

// WebTierArgs are the inputs of NewWebTier.
type WebTierArgs struct {
	// Topology names every node with its static address (LBs[0] is the
	// keepalived MASTER), the VIP, prefix length, interface, connector,
	// domain and environment. Topology.AJPSecret must stay empty: the
	// secret is an output (SSH.AJPSecret), never a plain string.
	Topology roles.Topology
	// DeployedCounts are the web and app counts the running tier was first
	// deployed with. The user-data of every node is rendered as if the
	// tier still had these counts (nodes beyond them get the current
	// topology), so scaling leaves existing VMs' inputs byte-identical;
	// the running nodes learn the new servers over SSH, which is then
	// required. nil: the current counts (a new tier).
	DeployedCounts *Counts
	// Gateway and DNS of the nodes' subnet.
	Gateway string
	DNS     []string

	// Placement: LookUpPlacement finds the ids and the template from the
	// inventory names, and Placement.SetOn fills these fields.
	DatacenterID     pulumi.StringInput
	ComputeClusterID pulumi.StringInput
	ResourcePoolID   pulumi.StringInput
	DatastoreID      pulumi.StringInput
	NetworkID        pulumi.StringInput
	Template         Template
	// Folder is the VM folder the tier creates, relative to the
	// datacenter; it also prefixes the tier's tag categories, DRS rules
	// and instance-ids, so two tiers in one vCenter never clash.
	Folder string
	// Sizes per role (roles.LB, Web, App, Monitor); a role left out, or a
	// zero field, takes DefaultSizes.
	Sizes map[string]Size
	// WaitForGuestNetMinutes: see NodeArgs.
	WaitForGuestNetMinutes int
	// SSH wires the day-2 component to every node. Required with the
	// proxy_ajp and jk connectors and when scaling beyond DeployedCounts.
	SSH *SSH
	// Protect protects the monitoring VM, which holds the metrics history
	// (production).
	Protect bool
}

// WebTier is the HA web tier on vSphere.
type WebTier struct {
	pulumi.ResourceState

	// VIPURL is the tier's entry point: http://VIP/.
	VIPURL pulumi.StringOutput `pulumi:"vipUrl"`
	// Nodes maps each node's name to its configured static address.
	Nodes pulumi.StringMapOutput `pulumi:"nodes"`
	// MonitoringURL is Prometheus on the monitoring node.
	MonitoringURL pulumi.StringOutput `pulumi:"monitoringUrl"`

	Folder       *vsphere.Folder
	LBs          []*Node
	Webs         []*Node
	Apps         []*Node
	Monitor      *Node
	AntiAffinity map[string]*vsphere.ComputeClusterVmAntiAffinityRule // by role
	// Hosts are the day-2 components by node name (empty without SSH).
	Hosts map[string]*day2.Host
}

// NewWebTier registers the whole tier. It validates args first and
// registers nothing when they are invalid.
func NewWebTier(ctx *pulumi.Context, name string, args *WebTierArgs, opts ...pulumi.ResourceOption) (*WebTier, error) {
	plan, err := args.plan(name)
	if err != nil {
		return nil, err
	}

	tier := &WebTier{AntiAffinity: map[string]*vsphere.ComputeClusterVmAntiAffinityRule{}, Hosts: map[string]*day2.Host{}}
	if err := ctx.RegisterComponentResource(WebTierTypeToken, name, tier, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(tier)

	tier.Folder, err = vsphere.NewFolder(ctx, name, &vsphere.FolderArgs{
		Path:         pulumi.String(args.Folder),
		Type:         pulumi.String("vm"),
		DatacenterId: args.DatacenterID,
	}, parent)
	if err != nil {
		return nil, err
	}
	tags, err := newTags(ctx, name, args, parent)
	if err != nil {
		return nil, err
	}

	byRole := map[string][]*Node{}
	for _, n := range plan.nodes {
		nodeOpts := []pulumi.ResourceOption{parent}
		if args.Protect && n.role == roles.Monitor {
			nodeOpts = append(nodeOpts, pulumi.Protect(true))
		}
		node, err := NewNode(ctx, name+"-"+n.name, &NodeArgs{
			Name:                   n.name,
			Template:               args.Template,
			CPUs:                   plan.sizes[n.role].CPUs,
			MemoryMB:               plan.sizes[n.role].MemoryMB,
			DiskGB:                 plan.sizes[n.role].DiskGB,
			ResourcePoolID:         args.ResourcePoolID,
			DatastoreID:            args.DatastoreID,
			NetworkID:              args.NetworkID,
			Folder:                 tier.Folder.Path,
			Network:                n.network,
			UserData:               n.userData,
			InstanceID:             n.instanceID,
			TagIDs:                 pulumi.StringArray{tags.role[n.role], tags.environment},
			WaitForGuestNetMinutes: args.WaitForGuestNetMinutes,
		}, nodeOpts...)
		if err != nil {
			return nil, err
		}
		byRole[n.role] = append(byRole[n.role], node)
	}
	tier.LBs, tier.Webs, tier.Apps = byRole[roles.LB], byRole[roles.Web], byRole[roles.App]
	tier.Monitor = byRole[roles.Monitor][0]

	// One rule per replicated role (LBs, webs, apps): DRS keeps them on
	// different hosts. Not mandatory: a lab with fewer hosts than web
	// servers must still power them on.
	for _, role := range []string{roles.LB, roles.Web, roles.App} {
		var ids pulumi.StringArray
		for _, n := range byRole[role] {
			ids = append(ids, n.UUID)
		}
		rule, err := vsphere.NewComputeClusterVmAntiAffinityRule(ctx, name+"-"+role, &vsphere.ComputeClusterVmAntiAffinityRuleArgs{
			Name:              pulumi.String(args.Folder + "-" + role),
			ComputeClusterId:  args.ComputeClusterID,
			VirtualMachineIds: ids,
			Enabled:           pulumi.Bool(true),
		}, parent)
		if err != nil {
			return nil, err
		}
		tier.AntiAffinity[role] = rule
	}

	if args.SSH != nil {
		if err := tier.wireDay2(ctx, name, args, plan, parent); err != nil {
			return nil, err
		}
	}

	// The outputs come from the nodes' addresses, so they resolve once
	// the VMs behind them exist.
	vip := args.Topology.VIP
	tier.VIPURL = pulumi.All(tier.LBs[0].Address, tier.LBs[1].Address).ApplyT(func([]any) string {
		return "http://" + vip + "/"
	}).(pulumi.StringOutput)
	nodes := pulumi.StringMap{}
	for i, n := range plan.nodes {
		nodes[n.name] = all(tier)[i].Address
	}
	tier.Nodes = nodes.ToStringMapOutput()
	tier.MonitoringURL = tier.Monitor.Address.ApplyT(func(a string) string {
		return "http://" + hostPort(a, monitoring.DefaultPorts.Prometheus) + "/"
	}).(pulumi.StringOutput)
	if err := ctx.RegisterResourceOutputs(tier, pulumi.Map{
		"vipUrl": tier.VIPURL, "nodes": tier.Nodes, "monitoringUrl": tier.MonitoringURL,
	}); err != nil {
		return nil, err
	}
	return tier, nil
}

type tierTags struct {
	role        map[string]pulumi.StringInput
	environment pulumi.StringInput
}

// newTags creates the tier's two tag categories (role, environment) and
// their tags. Category names are global in vCenter, hence the folder prefix.
func newTags(ctx *pulumi.Context, name string, args *WebTierArgs, parent pulumi.ResourceOption) (*tierTags, error) {
	category := func(kind, desc string) (*vsphere.TagCategory, error) {
		return vsphere.NewTagCategory(ctx, name+"-"+kind, &vsphere.TagCategoryArgs{
			Name:            pulumi.String(args.Folder + "-" + kind),
			Description:     pulumi.String(desc),
			Cardinality:     pulumi.String("SINGLE"),
			AssociableTypes: pulumi.StringArray{pulumi.String("VirtualMachine")},
		}, parent)
	}
	roleCat, err := category("role", "hawebtier: the node's role in the web tier")
	if err != nil {
		return nil, err
	}
	envCat, err := category("environment", "hawebtier: the tier's environment")
	if err != nil {
		return nil, err
	}
	tags := &tierTags{role: map[string]pulumi.StringInput{}}
	for _, role := range args.Topology.Roles() {
		tag, err := vsphere.NewTag(ctx, name+"-role-"+role, &vsphere.TagArgs{
			Name: pulumi.String(role), CategoryId: roleCat.ID(),
		}, parent)
		if err != nil {
			return nil, err
		}
		tags.role[role] = tag.ID()
	}
	env, err := vsphere.NewTag(ctx, name+"-environment-"+args.Topology.Environment, &vsphere.TagArgs{
		Name: pulumi.String(args.Topology.Environment), CategoryId: envCat.ID(),
	}, parent)
	if err != nil {
		return nil, err
	}
	tags.environment = env.ID()
	return tags, nil
}

// wireDay2 registers a day2.Host per node with that node's files from the
// current topology. Files that hold the AJP secret are rendered inside an
// apply of the secret and stay secret outputs.
func (tier *WebTier) wireDay2(ctx *pulumi.Context, name string, args *WebTierArgs, plan *tierPlan, parent pulumi.ResourceOption) error {
	ssh := args.SSH
	var secret pulumi.StringOutput
	if plan.needsSecret {
		if ssh.AJPSecret != nil {
			secret = pulumi.ToSecret(ssh.AJPSecret.ToStringOutput()).(pulumi.StringOutput)
		} else {
			pw, err := random.NewRandomPassword(ctx, name+"-ajp-secret", &random.RandomPasswordArgs{
				Length:  pulumi.Int(32),
				Special: pulumi.Bool(false),
			}, parent)
			if err != nil {
				return err
			}
			secret = pw.Result
		}
	}
	user := ssh.User
	if user == "" {
		user = roles.DefaultSSHUser
	}
	nodes := all(tier)
	for i, n := range plan.nodes {
		var files []day2.File
		for _, f := range n.files {
			df := day2.File{
				Path: f.Path, Mode: f.Permissions, Owner: f.Owner,
				Check: f.Check, Reload: f.Reload, Secret: f.Secret,
				Content: pulumi.String(f.Content),
			}
			if f.Secret {
				df.Content = secretFile(name, secret, args.Topology, n.role, n.index, f.Path)
			}
			files = append(files, df)
		}
		hostArgs := &day2.HostArgs{
			Host:                    nodes[i].Address, // waits for the VM
			Port:                    ssh.Port,
			User:                    pulumi.String(user),
			PrivateKey:              ssh.PrivateKey,
			Files:                   files,
			WaitForCloudInit:        true,
			CloudInitTimeoutSeconds: ssh.CloudInitTimeoutSeconds,
		}
		if k := ssh.HostKeys[n.name]; k != "" {
			hostArgs.HostKey = pulumi.String(k)
		}
		host, err := day2.NewHost(ctx, name+"-"+n.name+"-config", hostArgs, parent)
		if err != nil {
			return err
		}
		tier.Hosts[n.name] = host
	}
	return nil
}

// secretFile renders one file of a node with the real AJP secret, inside
// an apply so the secret never becomes a plain string outside it; name is
// the tier's, for errors.
func secretFile(name string, secret pulumi.StringOutput, t roles.Topology, role string, index int, path string) pulumi.StringOutput {
	content := secret.ApplyT(func(s string) (string, error) {
		t.AJPSecret = s
		files, err := roles.Files(t, role, index)
		if err != nil {
			return "", err
		}
		for _, f := range files {
			if f.Path == path {
				return f.Content, nil
			}
		}
		return "", problem.Errorf(webTierComponent, name, "%s[%d]: %s not rendered with the AJP secret", role, index, path)
	}).(pulumi.StringOutput)
	return pulumi.ToSecret(content).(pulumi.StringOutput)
}

// plannedNode is everything NewWebTier knows about a node before
// registering it.
type plannedNode struct {
	role, name, address string
	index               int
	network             cloudinit.StaticNetwork
	instanceID          string
	userData            string
	files               []roles.Managed // current topology, for day 2
}

type tierPlan struct {
	nodes       []plannedNode // LBs, webs, apps, monitor
	needsSecret bool
	sizes       map[string]Size // per role, defaults filled in
}

var instanceIDUnsafe = regexp.MustCompile(`[^A-Za-z0-9.-]+`)

// plan validates args and renders every node's documents; it returns
// every problem at once.
func (a *WebTierArgs) plan(name string) (*tierPlan, error) {
	if a == nil {
		return nil, problem.Errorf(webTierComponent, name, "args are required")
	}
	probs := problem.List{Component: webTierComponent, Instance: name}
	bad := probs.Add
	t := a.Topology
	if t.OnAWS() {
		bad("Topology.AppEndpoint", "set: that selects the AWS target; on-prem lists the app servers")
	}
	if err := t.Validate(); err != nil {
		probs.Include("Topology.", err)
	}
	if t.Monitor == nil {
		bad("Topology.Monitor", "required: the monitoring node")
	}
	if t.AJPSecret != "" {
		bad("Topology.AJPSecret", "must be empty: pass the secret as SSH.AJPSecret (an output that stays secret)")
	}
	if _, err := netip.ParseAddr(a.Gateway); err != nil {
		bad("Gateway", "expected an IP address, got %q", a.Gateway)
	}
	if len(a.DNS) == 0 {
		bad("DNS", "need at least one DNS server")
	}
	for name, in := range map[string]pulumi.StringInput{
		"DatacenterID": a.DatacenterID, "ComputeClusterID": a.ComputeClusterID,
		"ResourcePoolID": a.ResourcePoolID, "DatastoreID": a.DatastoreID, "NetworkID": a.NetworkID,
	} {
		if in == nil {
			bad(name, "required")
		}
	}
	if err := a.Template.validate(); err != nil {
		bad("Template", "%v", err)
	}
	if a.Folder == "" {
		bad("Folder", "required: the VM folder the tier creates")
	}
	sizes := map[string]Size{}
	for _, role := range t.Roles() {
		sizes[role] = a.Sizes[role].withDefaults(DefaultSizes[role])
		sizes[role].check("Sizes["+role+"].", bad)
	}
	for role := range a.Sizes {
		if _, ok := sizes[role]; !ok {
			bad("Sizes["+role+"]", "unknown role; expected one of %s", strings.Join(t.Roles(), ", "))
		}
	}
	needsSecret := t.Connector.UsesAJP()
	if needsSecret && a.SSH == nil {
		bad("SSH", "required with connector %q: the AJP secret reaches the nodes over SSH, never in user-data", t.Connector)
	}
	if a.SSH != nil {
		if a.SSH.PrivateKey == nil {
			bad("SSH.PrivateKey", "required")
		}
		// day2's rules, checked before any VM: the hosts come later.
		if err := day2.CheckPort(a.SSH.Port); err != nil {
			bad("SSH.Port", "%v", err)
		}
		if err := day2.CheckCloudInitTimeout(a.SSH.CloudInitTimeoutSeconds); err != nil {
			bad("SSH.CloudInitTimeoutSeconds", "%v", err)
		}
	}
	deployed := Counts{Web: len(t.Web), App: len(t.App)}
	if a.DeployedCounts != nil {
		deployed = *a.DeployedCounts
		for _, c := range []struct {
			field       string
			dep, actual int
		}{{"DeployedCounts.Web", deployed.Web, len(t.Web)}, {"DeployedCounts.App", deployed.App, len(t.App)}} {
			if c.dep < 1 || c.dep > c.actual {
				bad(c.field, "need 1 to %d (the servers in Topology), got %d", c.actual, c.dep)
			}
		}
		if a.SSH == nil && (deployed.Web < len(t.Web) || deployed.App < len(t.App)) {
			bad("SSH", "required to scale a running tier (%d web, %d app servers deployed; now %d, %d): running VMs ignore user-data changes, so the load balancers and web servers learn the new servers only over SSH",
				deployed.Web, deployed.App, len(t.Web), len(t.App))
		}
	}
	if probs.Len() > 0 {
		return nil, probs.Err()
	}

	// With the day-2 path, the files that list the tier's members reach
	// the nodes over SSH: user-data stays the same as the tier grows, so
	// it stays within the guestinfo limit at any size.
	t.MembersOverDay2 = a.SSH != nil
	// The topology the running nodes were first booted with.
	boot := t
	boot.Web, boot.App = t.Web[:deployed.Web], t.App[:deployed.App]
	prefix := strconv.Itoa(t.PrefixLen)
	iface := t.Interface
	if iface == "" {
		iface = roles.DefaultInterface
	}
	plan := &tierPlan{needsSecret: needsSecret, sizes: sizes}
	// One renderer per topology: each validates once, so planning N nodes
	// costs O(N) renders.
	bootTier, err := roles.NewTier(boot)
	if err != nil {
		bad("DeployedCounts", "the deployed topology: %v", err)
		return nil, probs.Err()
	}
	current := bootTier
	if deployed.Web < len(t.Web) || deployed.App < len(t.App) {
		if current, err = roles.NewTier(t); err != nil {
			bad("Topology", "%v", err)
			return nil, probs.Err()
		}
	}
	for _, role := range t.Roles() {
		for i, n := range t.Nodes(role) {
			ut := bootTier
			if (role == roles.Web && i >= deployed.Web) || (role == roles.App && i >= deployed.App) {
				ut = current // a new node boots with the current topology
			}
			ud, err := ut.UserData(role, i)
			if err != nil {
				bad(fmt.Sprintf("Topology.%s[%d]", role, i), "user-data: %v", err)
				continue
			}
			files, err := current.Files(role, i)
			if err != nil {
				bad(fmt.Sprintf("Topology.%s[%d]", role, i), "files: %v", err)
				continue
			}
			plan.nodes = append(plan.nodes, plannedNode{
				role: role, name: n.Name, address: n.Address, index: i,
				network: cloudinit.StaticNetwork{
					Interface: iface, Address: n.Address + "/" + prefix,
					Gateway: a.Gateway, DNS: a.DNS, SearchDomains: searchDomains(t.Domain),
				},
				instanceID: instanceIDUnsafe.ReplaceAllString(a.Folder+"-"+n.Name, "-"),
				userData:   ud,
				files:      files,
			})
		}
	}
	seen := map[string]bool{}
	for _, n := range plan.nodes {
		if seen[n.name] {
			bad("Topology", "duplicate node name %q", n.name)
		}
		seen[n.name] = true
	}
	if a.SSH != nil {
		for node := range a.SSH.HostKeys {
			if !seen[node] {
				bad("SSH.HostKeys["+node+"]", "no such node in Topology")
			}
		}
	}
	sort.SliceStable(plan.nodes, func(i, j int) bool { return roleOrder(plan.nodes[i].role) < roleOrder(plan.nodes[j].role) })
	return plan, probs.Err()
}

// all lists the tier's nodes in the order of tierPlan.nodes.
func all(tier *WebTier) []*Node {
	return append(append(append(append([]*Node{}, tier.LBs...), tier.Webs...), tier.Apps...), tier.Monitor)
}

func roleOrder(role string) int {
	for i, r := range []string{roles.LB, roles.Web, roles.App, roles.Monitor} {
		if r == role {
			return i
		}
	}
	return 99
}

func searchDomains(domain string) []string {
	if domain == "" {
		return nil
	}
	return []string{domain}
}

func hostPort(host string, port int) string {
	return host + ":" + strconv.Itoa(port)
}
