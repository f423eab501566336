package cloudinit_test

import (
	"fmt"

	"github.com/hawebtier/hawebtier/components/cloudinit"
)

func ExampleRender() {
	doc, err := cloudinit.Render(cloudinit.UserData{
		Hostname: "lb-1",
		FQDN:     "lb-1.example.internal",
		Packages: []string{"haproxy"},
		Files: []cloudinit.File{{
			Path:        "/etc/haproxy/haproxy.cfg",
			Content:     "global\n    maxconn 4096\n",
			Permissions: "0644",
			Owner:       "root:root",
		}},
		Sysctl: map[string]string{"net.ipv4.ip_nonlocal_bind": "1"},
		RunCmd: [][]string{{"systemctl", "restart", "haproxy"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(doc)
	// Output:
	// #cloud-config
	// hostname: lb-1
	// fqdn: lb-1.example.internal
	// manage_etc_hosts: true
	// packages:
	//   - haproxy
	// write_files:
	//   - path: /etc/haproxy/haproxy.cfg
	//     owner: root:root
	//     permissions: "0644"
	//     defer: true
	//     content: |
	//       global
	//           maxconn 4096
	//   - path: /etc/sysctl.d/60-hawebtier.conf
	//     owner: root:root
	//     permissions: "0644"
	//     defer: true
	//     content: |
	//       # Written by cloud-init (hawebtier).
	//       net.ipv4.ip_nonlocal_bind = 1
	// runcmd:
	//   - [sysctl, -p, /etc/sysctl.d/60-hawebtier.conf]
	//   - [systemctl, restart, haproxy]
}

func ExampleRenderMetadata() {
	md, err := cloudinit.RenderMetadata("hawebtier-dev-web-1", "web-1", cloudinit.StaticNetwork{
		Interface: "ens192",
		Address:   "10.20.30.21/24",
		Gateway:   "10.20.30.1",
		DNS:       []string{"10.20.30.2"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(md)
	// For guestinfo: guestinfo.metadata = cloudinit.Encode(md),
	// guestinfo.metadata.encoding = "base64".
	// Output:
	// instance-id: hawebtier-dev-web-1
	// local-hostname: web-1
	// network:
	//   version: 2
	//   ethernets:
	//     ens192:
	//       dhcp4: false
	//       addresses:
	//         - 10.20.30.21/24
	//       gateway4: 10.20.30.1
	//       nameservers:
	//         addresses:
	//           - 10.20.30.2
}
