package httpd_test

import (
	"fmt"
	"strings"

	"github.com/hawebtier/hawebtier/components/httpd"
)

// A web server in front of two Tomcats over mod_proxy_http: the balancer
// with health checks and sticky sessions by jvmRoute.
func ExampleRender() {
	files, err := httpd.Render(httpd.Config{
		ServerName: "web1.example.internal",
		Listen:     "10.20.30.21:80",
		AppServers: []httpd.AppServer{
			{Route: "app1", Address: "10.20.30.31"},
			{Route: "app2", Address: "10.20.30.32"},
		},
		StatusAllow: []string{"10.20.30.50"},
		Layout:      httpd.DebianLayout(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(files.Names())
	for _, line := range strings.Split(files["httpd.conf"], "\n") {
		if strings.Contains(line, "Balancer") || strings.Contains(line, "ProxySet") || strings.Contains(line, "ProxyPass ") {
			fmt.Println(strings.TrimSpace(line))
		}
	}
	// Output:
	// [healthz httpd.conf]
	// BalancerMember "http://10.20.30.31:8080" route=app1 connectiontimeout=2 retry=5 ttl=20 hcmethod=GET hcuri=/app/health.jsp hcinterval=5 hcpasses=2 hcfails=2
	// BalancerMember "http://10.20.30.32:8080" route=app2 connectiontimeout=2 retry=5 ttl=20 hcmethod=GET hcuri=/app/health.jsp hcinterval=5 hcpasses=2 hcfails=2
	// ProxySet lbmethod=byrequests stickysession=JSESSIONID|jsessionid
	// ProxyPass "/app/" "balancer://app/app/"
}

// Every problem is reported at once, each naming its field.
func ExampleRender_errors() {
	_, err := httpd.Render(httpd.Config{
		Listen:    "web1:80",
		Connector: httpd.JK,
		Layout:    httpd.DebianLayout(),
	})
	fmt.Println(err)
	// Output:
	// httpd: listen: "web1:80": "web1" is not an IP address (or *)
	// httpd: ajp_secret: required for connector jk (use SecretPlaceholder in user-data)
	// httpd: app_servers: at least one app server is required
}

// User-data carries the configuration rendered with the placeholder; the
// SSH step delivers the secret file alone.
func ExampleRenderSecretFile() {
	files, _ := httpd.Render(httpd.Config{
		Listen:     "10.20.30.21:80",
		Connector:  httpd.ProxyAJP,
		AJPSecret:  httpd.SecretPlaceholder,
		AppServers: []httpd.AppServer{{Route: "app1", Address: "10.20.30.31"}},
		Layout:     httpd.DebianLayout(),
	})
	fmt.Println("user-data:", files.Public().Names())
	secret, _ := httpd.RenderSecretFile("generated-by-pulumi-random-0123")
	fmt.Print("over SSH to ", httpd.DebianLayout().Path(httpd.SecretFile), ":\n", secret)
	// Output:
	// user-data: [healthz httpd.conf]
	// over SSH to /etc/apache2/hawebtier/ajp-secret.conf:
	// # AJP secret shared with Tomcat (hawebtier). Mode 0600: this file is a secret.
	// Define HAWEBTIER_AJP_SECRET generated-by-pulumi-random-0123
}
