package haproxy_test

import (
	"fmt"
	"strings"

	"github.com/hawebtier/hawebtier/components/haproxy"
)

// Render a load balancer for two web servers with the default health check
// timing (inter 500 ms, fall 2: a dead server is out in about 1 s).
func ExampleRender() {
	cfg, err := haproxy.Render(haproxy.Config{
		Bind:      "10.20.30.10:80",   // the VIP
		AdminBind: "10.20.30.11:8404", // this node: /stats, /metrics, /healthz
		Servers: []haproxy.Server{
			{Name: "web1", Address: "10.20.30.21", Port: 80},
			{Name: "web2", Address: "10.20.30.22", Port: 80},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Print the backend section.
	section := cfg[strings.Index(cfg, "\nbackend web")+1:]
	fmt.Print(section[:strings.Index(section, "\n\n")+1])
	// Output:
	// backend web
	//     balance roundrobin
	//     # Active checks of a URL httpd serves itself: one Tomcat failing never ejects every web server.
	//     option httpchk
	//     http-check send meth GET uri /healthz
	//     http-check expect status 200
	//     # Down after 2 failed checks 500 ms apart; host names that do not resolve yet do not stop HAProxy.
	//     default-server check inter 500ms fall 2 rise 2 init-addr last,libc,none
	//     server web1 10.20.30.21:80
	//     server web2 10.20.30.22:80
}

// Render reports every problem at once, each naming its field.
func ExampleRender_errors() {
	_, err := haproxy.Render(haproxy.Config{
		AdminBind: "*:8404",
		Servers:   []haproxy.Server{{Name: "web1", Address: "10.20.30.21", Port: 0}},
		Check:     haproxy.Check{InterMs: 1000, Rise: 2},
	})
	fmt.Println(err)
	// Output:
	// haproxy: bind: is empty
	// haproxy: adminBind: "*:8404": must be one address of this node, not a wildcard
	// haproxy: servers[0].port: port 0 is out of range 1-65535
	// haproxy: check.fall: 0: must be at least 1
}
