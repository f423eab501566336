// Package cloudinittest checks rendered cloud-init documents with the real
// cloud-init program, for the tests of packages that produce user-data
// and guestinfo metadata (roles, onprem, aws).
package cloudinittest
