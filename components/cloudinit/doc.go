// Package cloudinit renders the cloud-init documents a node boots with:
// the #cloud-config user-data (packages, files, sysctl settings, users,
// commands) and, for vSphere, the guestinfo metadata that cloud-init's
// VMware datasource reads (instance id, hostname, static network).
//
// User-data is readable by anyone who can read the VM's guestinfo or the
// launch template, so it never carries a secret. Render refuses content
// that holds SecretPlaceholder or a private key: a caller that renders a
// file with a placeholder instead of a secret (see package roles) cannot
// ship it in user-data by mistake. Secrets reach on-prem nodes over SSH and
// AWS instances through Secrets Manager at boot.
//
// Each target limits first-boot data its own way (Limit): AWS takes 16384
// bytes of raw user-data, a vSphere guestinfo value is read over the tools
// RPC channel of 64 KiB. Render applies neither; the caller that knows the
// target checks the document against AWSUserData or VSphereGuestinfo.
package cloudinit
