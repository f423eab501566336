package netns_test

import (
	"strings"
	"testing"

	"github.com/hawebtier/hawebtier/internal/netns"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

func TestHostsReachEachOtherAndCleanUp(t *testing.T) {
	realtool.NeedRoot(t)
	realtool.Need(t, "ip", "ping")
	lab, err := netns.New("t")
	if err != nil {
		t.Fatal(err)
	}
	a, err := lab.AddHost("a", "ens192", "10.99.0.1/24")
	if err != nil {
		lab.Close()
		t.Fatal(err)
	}
	b, err := lab.AddHost("b", "ens192", "10.99.0.2/24")
	if err != nil {
		lab.Close()
		t.Fatal(err)
	}
	if out, err := a.Run("ping", "-c", "1", "-W", "2", b.IP()); err != nil {
		t.Errorf("a cannot reach b: %v %s", err, out)
	}
	lab.Close()
	out, _ := realtool.Run(5e9, "ip", "netns", "list")
	if strings.Contains(out.Stdout, a.Name) || strings.Contains(out.Stdout, b.Name) {
		t.Errorf("namespaces left after Close:\n%s", out.Stdout)
	}
}
