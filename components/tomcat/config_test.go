package tomcat_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/components/tomcat"
)

const testSecret = "s3cret-for-tests-only-0123456789"

func valid() tomcat.Config {
	return tomcat.Config{Address: "10.20.30.31", HTTPPort: 8080, AJPPort: 8009, AJPSecret: testSecret, JvmRoute: "app1"}
}

func TestRenderServerXMLRejectsBadInput(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		mutate func(*tomcat.Config)
		want   []string // every line of the error, in order
	}{
		"ajp without secret": {
			mutate: func(c *tomcat.Config) { c.AJPSecret = "" },
			want:   []string{"tomcat: ajp_secret: required when the AJP connector is enabled (use SecretPlaceholder in user-data)"},
		},
		"secret with a quote": {
			mutate: func(c *tomcat.Config) { c.AJPSecret = `abcdefghijklmnop"` },
			want:   []string{"tomcat: ajp_secret: must be 16-128 characters of A-Z a-z 0-9 . _ ~ - (got 17 characters)"},
		},
		"secret without ajp": {
			mutate: func(c *tomcat.Config) { c.AJPPort = 0 },
			want:   []string{"tomcat: ajp_secret: set but the AJP connector is disabled"},
		},
		"no connector": {
			mutate: func(c *tomcat.Config) { c.HTTPPort, c.AJPPort, c.AJPSecret = 0, 0, "" },
			want:   []string{"tomcat: http_port: both connectors disabled (http_port and ajp_port are 0)"},
		},
		"everything wrong at once": {
			mutate: func(c *tomcat.Config) {
				*c = tomcat.Config{Address: "app1.example", HTTPPort: 70000, AJPPort: 8009, JvmRoute: "app 1", StatusAllow: "10.0.0.(", ShutdownPort: 8009}
			},
			want: []string{
				`tomcat: address: "app1.example" is not an IP address`,
				"tomcat: http_port: 70000 is not a TCP port (0 disables the connector)",
				"tomcat: shutdown_port: 8009 is also a connector's port",
				"tomcat: ajp_secret: required when the AJP connector is enabled (use SecretPlaceholder in user-data)",
				`tomcat: jvm_route: "app 1": want letters, digits, _ and -, starting with a letter or digit`,
				"tomcat: status_allow: not a regular expression: error parsing regexp: missing closing ): `10.0.0.(`",
			},
		},
		"same port twice": {
			mutate: func(c *tomcat.Config) { c.AJPPort = 8080 },
			want:   []string{"tomcat: ajp_port: 8080 is also http_port"},
		},
		"no route": {
			mutate: func(c *tomcat.Config) { c.JvmRoute = "" },
			want:   []string{"tomcat: jvm_route: required (sticky sessions and the balancer's route= use it)"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := valid()
			tc.mutate(&c)
			xml, err := tomcat.RenderServerXML(c)
			if err == nil {
				t.Fatalf("no error; rendered:\n%s", xml)
			}
			if xml != "" {
				t.Errorf("rendered text despite the error")
			}
			if diff := cmp.Diff(tc.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderServerXML(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cfg      tomcat.Config
		contains []string
		absent   []string
	}{
		"both connectors": {
			cfg: valid(),
			contains: []string{
				`<Server port="-1" shutdown="SHUTDOWN">`,
				`<Connector protocol="HTTP/1.1" address="10.20.30.31" port="8080"`,
				`<Connector protocol="AJP/1.3" address="10.20.30.31" port="8009"`,
				`secretRequired="true" secret="` + testSecret + `"`,
				`jvmRoute="app1"`,
				`allow="127\.0\.0\.1|::1|0:0:0:0:0:0:0:1"`,
			},
		},
		"http only, monitoring allowed": {
			cfg:      tomcat.Config{Address: "10.20.30.31", HTTPPort: 8080, JvmRoute: "app2", StatusAllow: `10\.20\.30\.50`},
			contains: []string{`port="8080"`, `allow="127\.0\.0\.1|::1|0:0:0:0:0:0:0:1|(?:10\.20\.30\.50)"`},
			absent:   []string{"AJP/1.3", "secret"},
		},
		"ajp only": {
			cfg:      tomcat.Config{Address: "10.20.30.31", AJPPort: 8009, AJPSecret: tomcat.SecretPlaceholder, JvmRoute: "app1", ShutdownPort: 8005},
			contains: []string{`<Server port="8005"`, `secret="` + tomcat.SecretPlaceholder + `"`},
			absent:   []string{"HTTP/1.1"},
		},
		"regex metacharacters are escaped for XML": {
			cfg:      tomcat.Config{Address: "10.20.30.31", HTTPPort: 8080, JvmRoute: "app1", StatusAllow: `10\.0\.0\.[1-9]|<x>&`},
			contains: []string{`(?:10\.0\.0\.[1-9]|&lt;x&gt;&amp;)`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			xml, err := tomcat.RenderServerXML(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.contains {
				if !strings.Contains(xml, s) {
					t.Errorf("missing %q in:\n%s", s, xml)
				}
			}
			for _, s := range tc.absent {
				if strings.Contains(xml, s) {
					t.Errorf("unexpected %q in:\n%s", s, xml)
				}
			}
		})
	}
}
