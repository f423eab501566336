package onprem

import (
	"errors"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-vsphere/sdk/v4/go/vsphere"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Template is what a clone needs to know about its template VM. Looked up
// once (LookupTemplate) before anything is registered, so an unknown
// template fails the program early and registers nothing.
type Template struct {
	Name     string
	UUID     string // clone.templateUuid
	GuestID  string // e.g. debian12_64Guest
	Firmware string // bios or efi
	SCSIType string // e.g. pvscsi
	// AdapterType is the template's first network adapter (vmxnet3,
	// e1000e); the clone's NIC uses the same, so the guest's interface
	// name (ens192) stays what cloud-init's network config expects.
	AdapterType string
	Disks       []TemplateDisk
}

// TemplateDisk is one of the template's disks. A clone repeats every disk
// with the same label and unit number, at least as large.
type TemplateDisk struct {
	Label           string
	SizeGB          int
	UnitNumber      int
	ThinProvisioned bool
	EagerlyScrub    bool
}

// LookupTemplate reads the template name from the datacenter.
func LookupTemplate(ctx *pulumi.Context, datacenterID, name string, opts ...pulumi.InvokeOption) (*Template, error) {
	vm, err := vsphere.LookupVirtualMachine(ctx, &vsphere.LookupVirtualMachineArgs{
		Name:         pulumi.StringRef(name),
		DatacenterId: pulumi.StringRef(datacenterID),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("template %q: %w", name, err)
	}
	t := &Template{
		Name:     name,
		UUID:     vm.Uuid,
		GuestID:  vm.GuestId,
		SCSIType: vm.ScsiType,
	}
	if vm.Firmware != nil {
		t.Firmware = *vm.Firmware
	}
	if len(vm.NetworkInterfaceTypes) > 0 {
		t.AdapterType = vm.NetworkInterfaceTypes[0]
	}
	for _, d := range vm.Disks {
		t.Disks = append(t.Disks, TemplateDisk{
			Label: d.Label, SizeGB: d.Size, UnitNumber: d.UnitNumber,
			ThinProvisioned: d.ThinProvisioned, EagerlyScrub: d.EagerlyScrub,
		})
	}
	sort.Slice(t.Disks, func(i, j int) bool { return t.Disks[i].UnitNumber < t.Disks[j].UnitNumber })
	if err := t.validate(); err != nil {
		return nil, fmt.Errorf("template %q: %w", name, err)
	}
	return t, nil
}

func (t *Template) validate() error {
	var errs []error
	if t.UUID == "" {
		errs = append(errs, errors.New("uuid: empty"))
	}
	if t.GuestID == "" {
		errs = append(errs, errors.New("guestId: empty"))
	}
	if len(t.Disks) == 0 {
		errs = append(errs, errors.New("disks: the template has no disk to clone"))
	}
	for i, d := range t.Disks {
		if d.Label == "" {
			errs = append(errs, fmt.Errorf("disks[%d].label: empty", i))
		}
		if d.SizeGB < 1 {
			errs = append(errs, fmt.Errorf("disks[%d].size: %d GiB", i, d.SizeGB))
		}
	}
	return errors.Join(errs...)
}
