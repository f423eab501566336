package roles_test

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/roles"
)

// TestIdleTimeoutsCloseFromTheSideThatWaits reads the rendered files: on
// every hop the side that sends requests (httpd to Tomcat or to the
// internal ALB; the public ALB to httpd) gives up an idle connection
// before the side that answers does, so no request is sent on a
// connection the other end is closing.
func TestIdleTimeoutsCloseFromTheSideThatWaits(t *testing.T) {
	t.Parallel()
	number := func(t *testing.T, content, pattern string) int {
		t.Helper()
		m := regexp.MustCompile(pattern).FindStringSubmatch(content)
		if m == nil {
			t.Fatalf("no %s in:\n%s", pattern, content)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	file := func(t *testing.T, topo roles.Topology, role, path string) string {
		t.Helper()
		files, err := roles.Files(topo, role, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.Path == path {
				return f.Content
			}
		}
		t.Fatalf("%s has no %s", role, path)
		return ""
	}
	const conf, serverXML = "/etc/apache2/apache2.conf", "/etc/tomcat10/server.xml"

	t.Run("on-prem: httpd before Tomcat", func(t *testing.T) {
		topo := onPrem(httpd.ProxyHTTP)
		ttl := number(t, file(t, topo, roles.Web, conf), `BalancerMember "http://[^"]+" .*\bttl=(\d+)`)
		tomcatMs := number(t, file(t, topo, roles.App, serverXML), `keepAliveTimeout="(\d+)"`)
		if ttl*1000 >= tomcatMs {
			t.Errorf("httpd keeps idle pooled connections %d s, Tomcat closes them after %d ms: httpd must give up first", ttl, tomcatMs)
		}
		if !regexp.MustCompile(`maxKeepAliveRequests="-1"`).MatchString(file(t, topo, roles.App, serverXML)) {
			t.Error("Tomcat ends kept-alive connections after a number of requests: httpd's pool pays for new ones")
		}
	})
	t.Run("aws: httpd before the internal ALB, the public ALB before httpd", func(t *testing.T) {
		c := file(t, onAWS(), roles.Web, conf)
		if ttl := number(t, c, `BalancerMember "http://[^"]+" .*\bttl=(\d+)`); ttl >= roles.ALBIdleTimeoutSeconds {
			t.Errorf("httpd keeps idle connections to the internal ALB %d s, the ALB closes them after %d s", ttl, roles.ALBIdleTimeoutSeconds)
		}
		if ka := number(t, c, `(?m)^KeepAliveTimeout (\d+)$`); ka <= roles.ALBIdleTimeoutSeconds {
			t.Errorf("httpd closes idle client connections after %d s, before the public ALB (%d s) does", ka, roles.ALBIdleTimeoutSeconds)
		}
	})
}
