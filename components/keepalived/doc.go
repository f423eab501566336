// Package keepalived renders the configuration that lets two load balancers
// share the virtual IP: unicast VRRPv3 with sub-second adverts, a check
// script (run as an unprivileged user under enable_script_security) that
// puts a node whose HAProxy stops answering over HTTP into FAULT so its peer
// takes the VIP, and the sysctl that lets HAProxy on the BACKUP bind the VIP
// before it holds it.
//
// VRRPv3 (RFC 5798) has no authentication. The rendered file says so,
// sends adverts only to the listed peers and accepts them only from those
// peers (check_unicast_src); the host firewall should admit IP protocol 112
// from the peers only.
//
// Preemption: by default a returning node of higher priority takes the VIP
// back only after PreemptDelaySec (30 s) of seeing the lower-priority
// master, so a node whose HAProxy crash-loops moves the VIP at most once per
// delay instead of flapping it, and the VIP still comes home to the
// designated MASTER once it is stable. NoPreempt leaves the VIP wherever it
// is. Both need keepalived's initial state to be BACKUP, so every node is
// rendered `state BACKUP`; State only picks the default priority (MASTER
// 150, BACKUP 100), and the priority decides who is master.
//
// Render validates every field first and returns all problems at once.
// Tests check the output with `keepalived -t` in a network namespace that
// has the named interface, and run two nodes for real.
package keepalived
