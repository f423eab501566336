package lab

import (
	"syscall"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/components/haproxy/haproxytest"
	"github.com/hawebtier/hawebtier/components/tomcat"
)

// TestLabScaledOut runs the tier with MaxWeb web servers (as many as the
// lab's address plan holds; the machine holds more): every one is UP on
// both load balancers, a steady load reaches each of them through the VIP,
// and killing one under load fails no request.
func TestLabScaledOut(t *testing.T) {
	if testing.Short() {
		t.Skip("the scaled-out lab takes about a minute; run without -short")
	}
	l := Start(t, Options{Web: MaxWeb})
	if len(l.Web) != MaxWeb {
		t.Fatalf("%d web servers started, want %d", len(l.Web), MaxWeb)
	}
	lb1 := l.Node("lb1")
	load := func(d time.Duration) *Running {
		return Load{Client: Client(l.Client, 5*time.Second), URL: "http://" + VIP + tomcat.HelloPath, Rate: rate, Duration: d, Expect: "hello from "}.Start()
	}
	before, err := l.ServerSessions(lb1)
	if err != nil {
		t.Fatal(err)
	}
	res := load(4 * time.Second).Wait()
	if res.Failed() != 0 || res.Sent == 0 {
		t.Fatalf("%d of %d requests failed: %s", res.Failed(), res.Sent, res.Reasons())
	}
	after, err := l.ServerSessions(lb1)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range l.Web {
		if after[w.Name] <= before[w.Name] {
			t.Errorf("%s got no request of %d through the VIP (sessions %d -> %d)", w.Name, res.Sent, before[w.Name], after[w.Name])
		}
	}

	victim := l.Web[len(l.Web)/2]
	run := load(6 * time.Second)
	time.Sleep(1500 * time.Millisecond)
	if n := victim.Signal("apache2", syscall.SIGKILL); n == 0 {
		t.Fatalf("no apache2 process in %s", victim.Name)
	}
	killed := time.Now()
	if _, ok := haproxytest.Poll(15*time.Second, 10*time.Millisecond, func() bool {
		return l.ServerStatus(lb1, victim.Name) != "UP"
	}); !ok {
		t.Fatalf("lb1 never took %s out: %q", victim.Name, l.ServerStatus(lb1, victim.Name))
	}
	t.Logf("MEASURED %d web servers: %s marked down after %v", len(l.Web), victim.Name, time.Since(killed).Round(10*time.Millisecond))
	res = run.Wait()
	if res.Failed() != 0 {
		t.Errorf("%s killed under load: %d of %d requests failed: %s", victim.Name, res.Failed(), res.Sent, res.Reasons())
	}
}
