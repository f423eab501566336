// Package boot boots nodes of an on-prem stack for real: a Debian 12 template
// image built here (mmdebstrap), QEMU (TCG) VMs that boot from the exact
// user-data and network config the program renders (a NoCloud seed standing in
// for vSphere's guestinfo), on a bridge inside a network namespace the test
// creates, with a local flat apt repository as the only package source; then
// the day-2 commands the plan registers, run over real SSH, and the chain
// VIP -> HAProxy -> httpd -> Tomcat asserted to serve.
//
// Nothing here is copied text: the user-data, the metadata, the day-2 scripts
// and their stdin come from evaluating the program offline (internal/plan and
// internal/mocktest), so a change to any renderer is what boots.
//
// The image is cached under /var/cache/hawebtier/boot/<hash of its inputs>
// (the package list and build-image.sh) and rebuilt only when they change.
// README-section.md states the template contract the image satisfies and how
// to build such a template for vSphere.
//
// The test is slow (QEMU without KVM) and runs as its own CI stage:
// go test -count=1 -timeout 45m ./internal/boot/...
package boot
