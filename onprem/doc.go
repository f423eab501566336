// Package onprem deploys the HA web tier on VMware vSphere
// (pulumi-vsphere v4).
//
// NewNode clones one VM from a template and hands it its role's cloud-init
// through guestinfo (userdata and metadata with a static network and a
// unique instance-id). NewWebTier builds the whole tier in a folder: two
// load balancers (HAProxy + keepalived sharing the VIP), the web servers,
// the app servers and a monitoring node, with DRS anti-affinity rules so
// the members of each role land on different ESXi hosts, vSphere tags for
// role and environment, and, when SSH is configured, the day-2 component
// (package day2) on every node.
//
// # Lifecycle
//
// A VM's guestinfo keys and clone.templateUuid are in ignoreChanges: a new
// template or a user-data change must not reboot or replace running VMs.
// cloud-init reads user-data on first boot only, so anything that changes
// later (a new web server behind the load balancers, the AJP secret)
// reaches running nodes through the day-2 SSH path, which renders from the
// same source (roles.Files).
//
// To keep previews honest as well as harmless, a running VM's user-data is
// rendered from the topology the tier was first deployed with
// (WebTierArgs.DeployedCounts): scaling web 2 -> 3 leaves the inputs of
// every existing VM byte-identical, and only the new VM, the web
// anti-affinity rule and the day-2 files that list web servers change.
// Scaling beyond the deployed counts therefore requires SSH.
//
// VMs are DeleteBeforeReplace: a replacement reuses the static address and
// the VM name, which would clash with the old VM still running. Addresses
// used downstream (HAProxy backends, SSH, outputs) are the configured
// static IPs, never the defaultIpAddress VMware Tools reports.
package onprem
