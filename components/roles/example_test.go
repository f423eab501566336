package roles_test

import (
	"fmt"
	"strings"

	"github.com/hawebtier/hawebtier/components/cloudinit"
	"github.com/hawebtier/hawebtier/components/cloudinit/cloudinittest"
	"github.com/hawebtier/hawebtier/components/roles"
)

func ExampleFiles() {
	t := roles.Topology{
		Environment:  "dev",
		Domain:       "example.internal",
		Connector:    "proxy_http",
		VIP:          "10.20.30.10",
		PrefixLen:    24,
		VRRPRouterID: 51,
		LBs:          []roles.Node{{Name: "lb-1", Address: "10.20.30.11"}, {Name: "lb-2", Address: "10.20.30.12"}},
		Web:          []roles.Node{{Name: "web-1", Address: "10.20.30.21"}, {Name: "web-2", Address: "10.20.30.22"}},
		App:          []roles.Node{{Name: "app-1", Address: "10.20.30.31"}, {Name: "app-2", Address: "10.20.30.32"}},
		Monitor:      &roles.Node{Name: "mon-1", Address: "10.20.30.41"},
	}
	files, err := roles.Files(t, roles.LB, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range files {
		line := fmt.Sprintf("%-38s %s %-9s check: %-26.26s reload: %s", f.Path, f.Permissions, f.Owner, f.Check, f.Reload)
		fmt.Println(strings.TrimSpace(line))
	}
	// Output:
	// /etc/sysctl.d/60-hawebtier-lb.conf     0644 root:root check:                            reload: sysctl -p {path}
	// /etc/haproxy/hawebtier-vip-guard.nft   0644 root:root check: nft -c -f {path}           reload: nft -f {path}
	// /etc/systemd/system/haproxy.service.d/hawebtier-failover.conf 0644 root:root check:                            reload: systemctl daemon-reload
	// /etc/keepalived/check_haproxy.sh       0755 root:root check: sh -n {path}               reload:
	// /etc/haproxy/haproxy.cfg               0644 root:root check: haproxy -c -f {path}       reload: systemctl reload-or-restart haproxy
	// /etc/keepalived/keepalived.conf        0644 root:root check: sh -c 'trap "" TERM; exec  reload: systemctl reload-or-restart keepalived
	// /etc/default/prometheus-node-exporter  0644 root:root check:                            reload: systemctl restart prometheus-node-exporter
}

func ExampleUserData() {
	t := roles.Topology{
		Environment: "staging",
		AppEndpoint: "internal-was-1234567890.eu-central-1.elb.amazonaws.com",
	}
	doc, err := roles.UserData(t, roles.Web, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	u, _ := cloudinittest.Parse(doc)
	fmt.Println("packages:", strings.Join(u.Packages, " "))
	for _, f := range u.Files {
		fmt.Println("file:", f.Path)
	}
	for _, c := range u.RunCmd {
		fmt.Println("run:", strings.Join(c, " "))
	}
	fmt.Println("base64 for the launch template:", len(cloudinit.Encode(doc)) > len(doc))
	// Output:
	// packages: apache2
	// file: /etc/apache2/hawebtier/healthz
	// file: /etc/apache2/apache2.conf
	// run: systemctl daemon-reload
	// run: systemctl enable apache2
	// run: systemctl restart apache2
	// base64 for the launch template: true
}
