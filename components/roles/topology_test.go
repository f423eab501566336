package roles_test

import (
	"strings"
	"testing"

	"github.com/hawebtier/hawebtier/components/roles"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		topo   func() roles.Topology
		want   []string // each must be in the error; none: valid
		errors int      // number of problems reported (lines)
	}{
		"on-prem ok":        {func() roles.Topology { return onPrem("proxy_http") }, nil, 0},
		"on-prem jk ok":     {func() roles.Topology { t := onPrem("jk"); t.AJPSecret = knownSecret; return t }, nil, 0},
		"aws ok":            {onAWS, nil, 0},
		"default connector": {func() roles.Topology { t := onPrem(""); return t }, nil, 0},
		"one lb": {func() roles.Topology { t := onPrem("proxy_http"); t.LBs = t.LBs[:1]; return t },
			[]string{"roles: lbs: need exactly 2 load balancers"}, 1},
		"counts": {func() roles.Topology {
			t := onPrem("proxy_http")
			t.Web, t.App, t.Monitor = t.Web[:1], nil, nil
			return t
		}, []string{"roles: web: need at least 2 web servers", "roles: app: need at least 2 app servers", "roles: monitor: required on-prem"}, 3},
		"duplicate address and name": {func() roles.Topology {
			t := onPrem("proxy_http")
			t.App[1] = roles.Node{Name: "web-1", Address: "10.20.30.21"}
			return t
		}, []string{`roles: app[1].name: duplicate name "web-1", already web[0]`, "roles: app[1].address: duplicate address 10.20.30.21, already web[0]"}, 2},
		"vip collision": {func() roles.Topology { t := onPrem("proxy_http"); t.Web[1].Address = t.VIP; return t },
			[]string{"roles: web[1].address: 10.20.30.10 is the VIP"}, 1},
		"outside subnet": {func() roles.Topology { t := onPrem("proxy_http"); t.App[0].Address = "10.20.31.5"; return t },
			[]string{"roles: app[0].address: 10.20.31.5 is outside the subnet 10.20.30.0/24"}, 1},
		"broadcast": {func() roles.Topology { t := onPrem("proxy_http"); t.LBs[1].Address = "10.20.30.255"; return t },
			[]string{"roles: lbs[1].address: 10.20.30.255 is the network or broadcast address"}, 1},
		"bad connector": {func() roles.Topology { return onPrem("mod_cluster") },
			[]string{`roles: connector: unknown connector "mod_cluster", expected one of proxy_http, proxy_ajp, jk`}, 1},
		"ajp on aws": {func() roles.Topology { t := onAWS(); t.Connector = "proxy_ajp"; return t },
			[]string{`roles: connector: "proxy_ajp" cannot be used on AWS`}, 1},
		"aws with nodes": {func() roles.Topology {
			t := onAWS()
			t.App, t.LBs = onPrem("").App, onPrem("").LBs
			t.Monitor, t.VIP = onPrem("").Monitor, "10.0.0.10"
			return t
		}, []string{"roles: lbs: must be empty on AWS", "roles: app: must be empty on AWS", "roles: monitor: must be empty on AWS", "roles: vip: must be empty on AWS"}, 4},
		"app secrets on-prem": {func() roles.Topology { t := onPrem("proxy_http"); t.AppSecrets = onAWS().AppSecrets; return t },
			[]string{"roles: appSecrets: AWS only"}, 1},
		"bad app secrets": {func() roles.Topology {
			t := onAWS()
			t.AppSecrets.Region, t.AppSecrets.DatabaseSecretARN, t.AppSecrets.CacheEndpoint = "europe", "arn:aws:s3:::bucket", ""
			return t
		}, []string{"roles: appSecrets.region:", "roles: appSecrets.databaseSecretArn:", "roles: appSecrets: cacheSecretArn and cacheEndpoint go together"}, 3},
		"secret without ajp": {func() roles.Topology { t := onPrem("proxy_http"); t.AJPSecret = knownSecret; return t },
			[]string{"roles: ajpSecret: set, but connector proxy_http does not use AJP"}, 1},
		"placeholder as secret": {func() roles.Topology {
			t := onPrem("jk")
			t.AJPSecret = "HAWEBTIER-AJP-SECRET-NOT-YET-DELIVERED"
			return t
		},
			[]string{"roles: ajpSecret: is a placeholder"}, 1},
		"short secret": {func() roles.Topology { t := onPrem("proxy_ajp"); t.AJPSecret = "short"; return t },
			[]string{"roles: ajpSecret: expected 16-128 characters"}, 1},
		"private key": {func() roles.Topology {
			t := onPrem("proxy_http")
			t.SSHAuthorizedKeys = []string{"-----BEGIN OPENSSH PRIVATE KEY-----"}
			return t
		}, []string{"roles: sshAuthorizedKeys[0]: expected one OpenSSH public key line"}, 1},
		"everything at once": {func() roles.Topology {
			return roles.Topology{Connector: "x", VIP: "nope", HealthPath: "healthz", SSHUser: "Root"}
		}, []string{"roles: environment:", "roles: connector:", "roles: healthPath:", "roles: sshUser:", "roles: domain:",
			"roles: vrrpRouterId:", "roles: lbs:", "roles: web:", "roles: app:", "roles: monitor:", "roles: vip:"}, 11},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := tc.topo().Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("valid topology rejected: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("invalid topology accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if n := len(strings.Split(err.Error(), "\n")); n != tc.errors {
				t.Errorf("%d problems reported, want %d:\n%v", n, tc.errors, err)
			}
		})
	}
}

func TestFilesRejectsRoleAndIndex(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		topo  roles.Topology
		role  string
		index int
		want  string
	}{
		"lb on aws":        {onAWS(), roles.LB, 0, `roles: role "lb": the aws target has roles web, app`},
		"index on aws":     {onAWS(), roles.Web, 1, "roles: web[1]: on AWS every instance of a role shares one configuration"},
		"index too large":  {onPrem("jk"), roles.App, 2, "roles: app[2]: the topology has 2 app nodes"},
		"unknown role":     {onPrem("jk"), "was", 0, `roles: role "was"`},
		"invalid topology": {roles.Topology{}, roles.Web, 0, "roles: environment:"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := roles.Files(tc.topo, tc.role, tc.index); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Files: got %v, want an error containing %q", err, tc.want)
			}
			if _, err := roles.UserData(tc.topo, tc.role, tc.index); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("UserData: got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
