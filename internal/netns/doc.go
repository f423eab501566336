// Package netns makes test hosts: Linux network namespaces joined by a
// bridge in another namespace, so tests can run real daemons (keepalived,
// haproxy, sshd) on their own addresses without touching the machine's
// network. Everything a Lab creates is removed by Close, which tests
// register with t.Cleanup.
//
// Addresses come from 127.0.0.0/8-free private test ranges chosen by the
// caller; traffic never leaves the namespaces the test made.
package netns
