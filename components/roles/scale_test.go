package roles_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hawebtier/hawebtier/components/cloudinit"
	"github.com/hawebtier/hawebtier/components/cloudinit/cloudinittest"
	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/roles"
)

// scaled is the lab topology with n web and n app servers in a /22.
func scaled(n int, c httpd.Connector) roles.Topology {
	t := onPrem(c)
	t.PrefixLen = 22
	t.Web, t.App = nil, nil
	for i := range n {
		t.Web = append(t.Web, roles.Node{Name: fmt.Sprintf("web-%d", i+1), Address: fmt.Sprintf("10.20.29.%d", i+1)})
		t.App = append(t.App, roles.Node{Name: fmt.Sprintf("app-%d", i+1), Address: fmt.Sprintf("10.20.31.%d", i+1)})
	}
	return t
}

// TestFilesThatListMembersAreMarked: exactly the files that name the
// tier's members are marked, per connector.
func TestFilesThatListMembersAreMarked(t *testing.T) {
	t.Parallel()
	want := map[httpd.Connector]map[string][]string{
		httpd.ProxyHTTP: {roles.LB: {"/etc/haproxy/haproxy.cfg"}, roles.Web: {"/etc/apache2/apache2.conf"}, roles.Monitor: {"/etc/prometheus/prometheus.yml"}},
		httpd.ProxyAJP:  {roles.LB: {"/etc/haproxy/haproxy.cfg"}, roles.Web: {"/etc/apache2/apache2.conf"}, roles.Monitor: {"/etc/prometheus/prometheus.yml"}},
		httpd.JK:        {roles.LB: {"/etc/haproxy/haproxy.cfg"}, roles.Web: {"/etc/apache2/apache2.conf", "/etc/apache2/hawebtier/workers.properties"}, roles.Monitor: {"/etc/prometheus/prometheus.yml"}},
	}
	for c, byRole := range want {
		for _, role := range []string{roles.LB, roles.Web, roles.App, roles.Monitor} {
			files, err := roles.Files(scaled(2, c), role, 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range files {
				if f.Members {
					got = append(got, f.Path)
				}
			}
			slices.Sort(got)
			if strings.Join(got, ",") != strings.Join(byRole[role], ",") {
				t.Errorf("%s %s: files that list members %v, want %v", c, role, got, byRole[role])
			}
		}
	}
}

// TestUserDataDoesNotGrowWithTheTier: with the member lists delivered over
// day 2, a node's user-data at 10 and 100 web and app servers is the same
// document as at 2, and fits vSphere's guestinfo limit; the services whose
// files are left out are enabled but not started before day 2.
func TestUserDataDoesNotGrowWithTheTier(t *testing.T) {
	t.Parallel()
	for _, c := range []httpd.Connector{httpd.ProxyHTTP, httpd.JK} {
		for _, role := range []string{roles.LB, roles.Web, roles.App, roles.Monitor} {
			var first string
			for _, n := range []int{2, 10, 100} {
				topo := scaled(n, c)
				topo.MembersOverDay2 = true
				doc, err := roles.UserData(topo, role, 0)
				if err != nil {
					t.Fatalf("%s %s at N=%d: %v", c, role, n, err)
				}
				if err := cloudinit.VSphereGuestinfo.Check("user-data", doc); err != nil {
					t.Errorf("%s %s at N=%d: %v", c, role, n, err)
				}
				if n == 2 {
					first = doc
					continue
				}
				if doc != first {
					t.Errorf("%s %s: user-data at N=%d differs from N=2 (%d vs %d bytes)", c, role, n, len(doc), len(first))
				}
			}
		}
	}
	topo := scaled(2, httpd.ProxyHTTP)
	topo.MembersOverDay2 = true
	doc, err := roles.UserData(topo, roles.LB, 0)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := cloudinittest.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range cc.Files {
		if f.Path == "/etc/haproxy/haproxy.cfg" {
			t.Errorf("haproxy.cfg, which lists the web servers, is in the user-data")
		}
	}
	for _, cmd := range cc.RunCmd {
		if strings.Join(cmd, " ") == "systemctl restart haproxy" {
			t.Errorf("haproxy is restarted at boot without its configuration: %v", cc.RunCmd)
		}
	}
}

// TestUserDataLimitPerTarget: without the day-2 path the member lists stay
// in user-data; on vSphere they fit far beyond AWS's 16 KB, and past the
// guestinfo limit the error says what to do.
func TestUserDataLimitPerTarget(t *testing.T) {
	t.Parallel()
	// 20 web and app servers: the monitor's user-data is over AWS's 16384
	// bytes (the old, wrong limit) but within vSphere's.
	doc, err := roles.UserData(scaled(20, httpd.ProxyHTTP), roles.Monitor, 0)
	if err != nil {
		t.Fatalf("N=20 refused on vSphere: %v", err)
	}
	if len(doc) <= cloudinit.MaxUserDataBytes {
		t.Fatalf("the N=20 monitor user-data is %d bytes: pick a larger N to show the AWS limit is not applied", len(doc))
	}
	_, err = roles.UserData(scaled(100, httpd.ProxyHTTP), roles.Monitor, 0)
	if err == nil || !strings.Contains(err.Error(), "vSphere guestinfo value limit") || !strings.Contains(err.Error(), "MembersOverDay2") {
		t.Fatalf("N=100 without the day-2 path: want the guestinfo limit and the way out, got %v", err)
	}
}

// BenchmarkRoleFilesAtScale renders one node's files of each role in a
// tier of N web and N app servers (HAProxy's 100 servers, httpd's 100
// balancer members, Prometheus' 200 web and app targets at N = 100; the
// real validators check them in TestChecksRunOnInstalledFiles) and
// reports the size of the largest file.
func BenchmarkRoleFilesAtScale(b *testing.B) {
	for _, n := range []int{2, 100} {
		for _, role := range []string{roles.LB, roles.Web, roles.Monitor} {
			b.Run(fmt.Sprintf("N=%d/%s", n, role), func(b *testing.B) {
				topo := scaled(n, httpd.ProxyHTTP)
				largest := 0
				for b.Loop() {
					files, err := roles.Files(topo, role, 0)
					if err != nil {
						b.Fatal(err)
					}
					largest = 0
					for _, f := range files {
						largest = max(largest, len(f.Content))
					}
				}
				b.ReportMetric(float64(largest), "largest-file-B")
			})
		}
	}
}
