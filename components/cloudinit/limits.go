package cloudinit

import (
	"encoding/base64"
	"fmt"
)

// Limit is a target's limit on one first-boot document, with where it
// comes from. The two targets measure differently: AWS counts the raw
// document, vSphere the value as written into the VM's extraConfig.
type Limit struct {
	Target string // e.g. "AWS EC2 user data"
	// Bytes is the most the target takes.
	Bytes int
	// Encoded: Bytes counts the base64 value (guestinfo.userdata with
	// encoding "base64"), not the document.
	Encoded bool
	// Headroom is the share of Bytes a document may use, so that a node
	// can grow a little (a longer name, one more key) without failing at
	// the limit; a check refuses more.
	Headroom float64
	Source   string
}

var (
	// AWSUserData is EC2's limit: "User data is limited to 16 KB, in raw
	// form, before it is base64-encoded" (Amazon EC2 User Guide, "Run
	// commands when you launch an EC2 instance with user data input").
	AWSUserData = Limit{
		Target: "AWS EC2 user data", Bytes: MaxUserDataBytes, Headroom: 1,
		Source: "Amazon EC2 User Guide: user data is limited to 16 KB, in raw form, before it is base64-encoded",
	}
	// VSphereGuestinfo is the limit of one guestinfo value. vSphere's API,
	// the Terraform provider's extra_config and cloud-init's VMware
	// datasource check no size: the guest reads the value over the tools
	// RPC channel (vmware-rpctool "info-get guestinfo.userdata"), whose
	// guest-to-host message open-vm-tools caps at 64 KiB
	// (lib/include/guest_msg_def.h GUESTMSG_MAX_IN_SIZE (64 * 1024); the
	// Guest SDK: "no more than 64KB, including overhead"), and VMware's
	// vm-operator, by the author of the datasource, caps each of userdata
	// and metadata at 64 KiB after encoding (vmware-tanzu/vm-operator#148).
	// The whole VMX file is limited to 1 MB by default
	// (tools.setInfo.sizeLimit). A document is allowed three quarters of
	// the 64 KiB, for the RPC overhead and to warn before the edge.
	VSphereGuestinfo = Limit{
		Target: "vSphere guestinfo value", Bytes: 64 * 1024, Encoded: true, Headroom: 0.75,
		Source: "open-vm-tools GUESTMSG_MAX_IN_SIZE (64 * 1024) for what the guest reads over the tools RPC; vmware-tanzu/vm-operator#148 (64 KiB per guestinfo value after encoding)",
	}
)

// Size is what the limit counts of doc: its length, or the length of its
// base64 encoding (Encode) when the limit counts the encoded value.
func (l Limit) Size(doc string) int {
	if l.Encoded {
		return base64.StdEncoding.EncodedLen(len(doc))
	}
	return len(doc)
}

// Allowed is the most Size may be: Bytes less the headroom.
func (l Limit) Allowed() int {
	if l.Headroom <= 0 || l.Headroom >= 1 {
		return l.Bytes
	}
	return int(float64(l.Bytes) * l.Headroom)
}

// Check returns an error naming what and the sizes when doc does not fit.
func (l Limit) Check(what, doc string) error {
	size, allowed := l.Size(doc), l.Allowed()
	if size <= allowed {
		return nil
	}
	counted := "bytes"
	if l.Encoded {
		counted = "bytes base64-encoded"
	}
	return fmt.Errorf("cloudinit: %s is %d %s, over the %d allowed of the %d-byte %s limit (%s)", what, size, counted, allowed, l.Bytes, l.Target, l.Source)
}
