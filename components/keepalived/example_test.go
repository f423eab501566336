package keepalived_test

import (
	"fmt"

	"github.com/hawebtier/hawebtier/components/keepalived"
)

// Render the MASTER of a pair of load balancers. The BACKUP is the same
// with State "BACKUP", its own SourceIP and CheckURL, and lb1 as its peer.
func ExampleRender() {
	conf, err := keepalived.Render(keepalived.Config{
		RouterID:  51,
		Interface: "ens192",
		VIP:       "10.20.30.10/24",
		State:     "MASTER",
		SourceIP:  "10.20.30.11",
		Peers:     []string{"10.20.30.12"},
		CheckURL:  "http://10.20.30.11:8404/healthz", // HAProxy's monitor URL
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(conf)
	// Output:
	// # keepalived.conf rendered by hawebtier (components/keepalived); changes by hand are overwritten.
	// #
	// # SECURITY: VRRPv3 has no authentication (RFC 5798 removed it): any host on this
	// # segment could claim the VIP. Adverts are unicast to the peers below and accepted
	// # only from them (check_unicast_src); the host firewall should admit IP protocol 112
	// # (VRRP) from these peers only.
	// global_defs {
	//     router_id lb-10.20.30.11
	//     vrrp_version 3
	//     # The check script runs unprivileged and only if no one but root can change it.
	//     script_user keepalived_script
	//     enable_script_security
	// }
	//
	// # The local HAProxy must answer over HTTP (not merely exist as a process); after
	// # 2 failures this node goes to FAULT and releases the VIP to its peer.
	// vrrp_script chk_haproxy {
	//     script "/etc/keepalived/check_haproxy.sh"
	//     interval 1
	//     timeout 2
	//     fall 2
	//     rise 2
	//     # After a boot, not eligible for the VIP before HAProxy has answered.
	//     init_fail
	// }
	//
	// # haproxy.service writes 1 here when HAProxy stops (killed, crashed or stopped)
	// # and 0 once it runs again; keepalived reads it on every change (inotify), so
	// # the MASTER goes to FAULT at once and its last advert (priority 0) hands the
	// # VIP to the peer without waiting for the check script.
	// vrrp_track_file haproxy_stopped {
	//     file "/run/hawebtier-haproxy.state"
	//     weight 0
	//     init_file 0
	// }
	//
	// vrrp_instance VI_51 {
	//     # Role MASTER. Every node starts as BACKUP (needed for preempt_delay);
	//     # the priority decides who is master.
	//     state BACKUP
	//     interface ens192
	//     virtual_router_id 51
	//     priority 150
	//     advert_int 0.2
	//     # A returning higher-priority node waits 30 s before taking the VIP back: a
	//     # crash-looping HAProxy moves the VIP at most once per delay instead of flapping it.
	//     preempt_delay 30
	//     unicast_src_ip 10.20.30.11
	//     check_unicast_src
	//     unicast_peer {
	//         10.20.30.12
	//     }
	//     virtual_ipaddress {
	//         10.20.30.10/24 dev ens192
	//     }
	//     track_script {
	//         chk_haproxy
	//     }
	//     track_file {
	//         haproxy_stopped weight 0
	//     }
	// }
}

// The check script keepalived runs as its unprivileged script user.
func ExampleCheckScript() {
	fmt.Print(keepalived.CheckScript(keepalived.Config{CheckURL: "http://10.20.30.11:8404/healthz"}))
	// Output:
	// #!/bin/sh
	// # Rendered by hawebtier (components/keepalived); keepalived runs it as keepalived_script.
	// # Exit 0 while the local HAProxy answers over HTTP. Checked over HTTP, not by
	// # process name: a hung HAProxy still has a process, and network namespaces and
	// # containers share one process table.
	// exec curl -fsS --max-time 1 -o /dev/null 'http://10.20.30.11:8404/healthz'
}

func ExampleSysctl() {
	fmt.Print(keepalived.Sysctl())
	// Output:
	// # Rendered by hawebtier (components/keepalived). HAProxy on the BACKUP binds the
	// # VIP it does not hold yet, so it is already listening when keepalived moves the
	// # VIP here.
	// net.ipv4.ip_nonlocal_bind = 1
}
