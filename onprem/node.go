package onprem

import (
	"net/netip"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-vsphere/sdk/v4/go/vsphere"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/cloudinit"
	"github.com/hawebtier/hawebtier/components/problem"
)

// NodeTypeToken is the Pulumi type of a Node.
const NodeTypeToken = "hawebtier:onprem:Node"

// nodeComponent is how errors name a Node: `onprem node "<name>": ...`.
const nodeComponent = "onprem node"

// Guestinfo keys cloud-init's VMware datasource reads from extraConfig.
const (
	GuestinfoUserData         = "guestinfo.userdata"
	GuestinfoUserDataEncoding = "guestinfo.userdata.encoding"
	GuestinfoMetadata         = "guestinfo.metadata"
	GuestinfoMetadataEncoding = "guestinfo.metadata.encoding"
)

// IgnoredChanges are the VM properties NewNode puts in ignoreChanges:
// the guestinfo keys and the template (cloud-init reads them on first boot
// only; a change must neither reboot nor replace a running VM, the day-2
// SSH path carries later changes), and attributes vSphere reports as
// changed on every preview. Map keys with dots are addressed in brackets.
var IgnoredChanges = []string{
	`extraConfig["` + GuestinfoUserData + `"]`,
	`extraConfig["` + GuestinfoUserDataEncoding + `"]`,
	`extraConfig["` + GuestinfoMetadata + `"]`,
	`extraConfig["` + GuestinfoMetadataEncoding + `"]`,
	"clone.templateUuid",
	"clone.ovfNetworkMap",
	"clone.ovfStorageMap",
	"swapPlacementPolicy",
	"eptRviMode",
	"hvMode",
}

// NodeArgs are the inputs of NewNode.
type NodeArgs struct {
	// Name is the VM's name and the guest's host name (a DNS label).
	Name     string
	Template Template
	CPUs     int
	MemoryMB int
	// DiskGB is the size of the first disk; it is never smaller than the
	// template's (a clone cannot shrink a disk). Other disks keep the
	// template's sizes.
	DiskGB int
	// Placement, from lookups or other resources.
	ResourcePoolID pulumi.StringInput
	DatastoreID    pulumi.StringInput
	NetworkID      pulumi.StringInput // the port group
	// Folder is the VM folder path relative to the datacenter; nil: the
	// datacenter's root VM folder.
	Folder pulumi.StringInput
	// Network is the guest's static address (Address in CIDR form, the
	// one address everything downstream uses).
	Network cloudinit.StaticNetwork
	// UserData is the #cloud-config the node boots with. It is readable by
	// anyone who can read the VM's configuration: never a secret.
	UserData string
	// InstanceID is cloud-init's instance-id, unique per VM and stable:
	// a new one makes cloud-init run again. Default "iid-" + Name.
	InstanceID string
	// TagIDs are vSphere tag ids attached to the VM (role, environment).
	TagIDs pulumi.StringArrayInput
	// WaitForGuestNetMinutes is how long the provider waits for VMware
	// Tools to report a routable address; 0 does not wait (labs without
	// Tools must not hang).
	WaitForGuestNetMinutes int
}

// Node is one VM cloned from a template.
type Node struct {
	pulumi.ResourceState

	// Name is the VM's name.
	Name pulumi.StringOutput `pulumi:"name"`
	// Address is the configured static IP (never defaultIpAddress); it
	// resolves when the VM exists.
	Address pulumi.StringOutput `pulumi:"address"`
	// UUID is the VM's id, what DRS rules and other VM lists want.
	UUID pulumi.StringOutput `pulumi:"uuid"`

	VM *vsphere.VirtualMachine
	// InstanceID and Metadata are what the node boots with (metadata is
	// the decoded guestinfo.metadata document).
	InstanceID string
	Metadata   string
}

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// NewNode registers a VM cloned from args.Template with its cloud-init in
// guestinfo. It validates args first and registers nothing when they are
// invalid.
func NewNode(ctx *pulumi.Context, name string, args *NodeArgs, opts ...pulumi.ResourceOption) (*Node, error) {
	args, metadata, err := args.withInstanceID().validate(name)
	if err != nil {
		return nil, err
	}

	node := &Node{InstanceID: args.InstanceID, Metadata: metadata}
	if err := ctx.RegisterComponentResource(NodeTypeToken, name, node, opts...); err != nil {
		return nil, err
	}

	vmArgs := &vsphere.VirtualMachineArgs{
		Name:                   pulumi.String(args.Name),
		ResourcePoolId:         args.ResourcePoolID,
		DatastoreId:            args.DatastoreID,
		Folder:                 args.Folder,
		NumCpus:                pulumi.Int(args.CPUs),
		Memory:                 pulumi.Int(args.MemoryMB),
		GuestId:                pulumi.String(args.Template.GuestID),
		Disks:                  cloneDisks(args.Template.Disks, args.DiskGB),
		NetworkInterfaces:      vsphere.VirtualMachineNetworkInterfaceArray{nic(args)},
		Clone:                  &vsphere.VirtualMachineCloneArgs{TemplateUuid: pulumi.String(args.Template.UUID)},
		ExtraConfig:            guestinfo(args.UserData, metadata),
		WaitForGuestNetTimeout: pulumi.Int(args.WaitForGuestNetMinutes),
		WaitForGuestIpTimeout:  pulumi.Int(args.WaitForGuestNetMinutes),
	}
	if args.Template.Firmware != "" {
		vmArgs.Firmware = pulumi.String(args.Template.Firmware)
	}
	if args.Template.SCSIType != "" {
		vmArgs.ScsiType = pulumi.String(args.Template.SCSIType)
	}
	if args.TagIDs != nil {
		vmArgs.Tags = args.TagIDs
	}
	vm, err := vsphere.NewVirtualMachine(ctx, name, vmArgs,
		pulumi.Parent(node),
		pulumi.IgnoreChanges(IgnoredChanges),
		// A replacement takes over the static IP and the VM name.
		pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return nil, err
	}
	node.VM = vm
	node.Name = pulumi.String(args.Name).ToStringOutput()
	// The configured address, resolved once the VM exists: whoever uses
	// it (SSH, checks) then waits for the VM without a dependsOn.
	addr := hostAddress(args.Network.Address)
	node.Address = vm.ID().ApplyT(func(pulumi.ID) string { return addr }).(pulumi.StringOutput)
	node.UUID = vm.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(node, pulumi.Map{
		"name": node.Name, "address": node.Address, "uuid": node.UUID,
	}); err != nil {
		return nil, err
	}
	return node, nil
}

// validate checks args and returns the rendered metadata.
// Validate reports every problem of args for a node called name (the
// name NewNode will get), as NewNode would, without registering anything.
func (a *NodeArgs) Validate(name string) error {
	_, _, err := a.withInstanceID().validate(name)
	return err
}

// withInstanceID is a copy of a with the default InstanceID, iid-<Name>.
func (a *NodeArgs) withInstanceID() *NodeArgs {
	if a == nil || a.InstanceID != "" {
		return a
	}
	c := *a
	c.InstanceID = "iid-" + a.Name
	return &c
}

// validate returns a, the guestinfo metadata, and every problem at once.
func (a *NodeArgs) validate(name string) (*NodeArgs, string, error) {
	if a == nil {
		return nil, "", problem.Errorf(nodeComponent, name, "args are required")
	}
	probs := problem.List{Component: nodeComponent, Instance: name}
	bad := probs.Add
	if !dnsLabel.MatchString(a.Name) {
		bad("Name", "%q is not a DNS label (lower-case letters, digits, '-')", a.Name)
	}
	if err := a.Template.validate(); err != nil {
		bad("Template", "%v", err)
	}
	Size{CPUs: a.CPUs, MemoryMB: a.MemoryMB, DiskGB: a.DiskGB}.check("", bad)
	if a.ResourcePoolID == nil {
		bad("ResourcePoolID", "required")
	}
	if a.DatastoreID == nil {
		bad("DatastoreID", "required")
	}
	if a.NetworkID == nil {
		bad("NetworkID", "required")
	}
	if a.WaitForGuestNetMinutes < 0 {
		bad("WaitForGuestNetMinutes", "need 0 (don't wait) or more, got %d", a.WaitForGuestNetMinutes)
	}
	if !strings.HasPrefix(a.UserData, cloudinit.Header) {
		bad("UserData", "not a cloud-config document (no %q header)", strings.TrimSpace(cloudinit.Header))
	}
	if strings.Contains(a.UserData, cloudinit.SecretMarker) || strings.Contains(a.UserData, "PRIVATE KEY") {
		bad("UserData", "holds a secret or its placeholder; secrets reach nodes over SSH (package day2), never in guestinfo")
	}
	metadata, err := cloudinit.RenderMetadata(a.InstanceID, a.Name, a.Network)
	if err != nil {
		bad("Network", "%v", err)
	}
	return a, metadata, probs.Err()
}

// cloneDisks repeats the template's disks, the first at least sizeGB.
func cloneDisks(disks []TemplateDisk, firstGB int) vsphere.VirtualMachineDiskArray {
	out := make(vsphere.VirtualMachineDiskArray, 0, len(disks))
	for i, d := range disks {
		size := d.SizeGB
		if i == 0 && firstGB > size {
			size = firstGB
		}
		out = append(out, vsphere.VirtualMachineDiskArgs{
			Label:           pulumi.String(d.Label),
			Size:            pulumi.Int(size),
			UnitNumber:      pulumi.Int(d.UnitNumber),
			ThinProvisioned: pulumi.Bool(d.ThinProvisioned),
			EagerlyScrub:    pulumi.Bool(d.EagerlyScrub),
		})
	}
	return out
}

func nic(a *NodeArgs) vsphere.VirtualMachineNetworkInterfaceArgs {
	n := vsphere.VirtualMachineNetworkInterfaceArgs{NetworkId: a.NetworkID}
	if a.Template.AdapterType != "" {
		n.AdapterType = pulumi.String(a.Template.AdapterType)
	}
	return n
}

func guestinfo(userData, metadata string) pulumi.StringMap {
	return pulumi.StringMap{
		GuestinfoUserData:         pulumi.String(cloudinit.Encode(userData)),
		GuestinfoUserDataEncoding: pulumi.String("base64"),
		GuestinfoMetadata:         pulumi.String(cloudinit.Encode(metadata)),
		GuestinfoMetadataEncoding: pulumi.String("base64"),
	}
}

// hostAddress is the IP of a CIDR address ("10.20.30.11/24" -> "10.20.30.11").
func hostAddress(cidr string) string {
	if p, err := netip.ParsePrefix(cidr); err == nil {
		return p.Addr().String()
	}
	return cidr
}
