package tomcat_test

import (
	"fmt"
	"strings"

	"github.com/hawebtier/hawebtier/components/tomcat"
)

// An app server with both connectors on its own address; the monitoring
// node may read /status.
func ExampleRenderServerXML() {
	xml, err := tomcat.RenderServerXML(tomcat.Config{
		Address:     "10.20.30.31",
		HTTPPort:    8080,
		AJPPort:     8009,
		AJPSecret:   tomcat.SecretPlaceholder,
		JvmRoute:    "app1",
		StatusAllow: `10\.20\.30\.50`,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(xml, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "<Connector") || strings.HasPrefix(line, "<Engine") || strings.Contains(line, "RemoteAddrValve") {
			fmt.Println(line)
		}
	}
	// Output:
	// <Connector protocol="HTTP/1.1" address="10.20.30.31" port="8080"
	// <Connector protocol="AJP/1.3" address="10.20.30.31" port="8009"
	// <Engine name="Catalina" defaultHost="localhost" jvmRoute="app1">
	// <Valve className="org.apache.catalina.valves.RemoteAddrValve" allow="127\.0\.0\.1|::1|0:0:0:0:0:0:0:1|(?:10\.20\.30\.50)" />
}

// The webapps every app server installs under CATALINA_BASE/webapps.
func ExampleWebapps() {
	for _, name := range tomcat.Webapps().Names() {
		fmt.Println(name)
	}
	// Output:
	// app/WEB-INF/jspf/route.jspf
	// app/health.jsp
	// app/hello.jsp
	// app/index.html
	// app/session.jsp
	// status/WEB-INF/jspf/route.jspf
	// status/metrics.jsp
}
