package problem_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hawebtier/hawebtier/components/problem"
)

func TestListErrAndOf(t *testing.T) {
	t.Parallel()
	web := problem.List{Component: "webtier"}
	if web.Err() != nil {
		t.Fatal("an empty list is not an error")
	}
	web.Add("Web.InstanceType", "expected an EC2 instance type, got %q", "m6i")
	waf := problem.List{Component: "waf"}
	waf.Add("RateLimit", "expected 10-2000000000, got %d", 5)
	edge := problem.List{Component: "edge"}
	edge.Add("Domain", "not a name")
	edge.Include("WAF.", waf.Err())
	edge.Include("Shield.", errors.New("plain"))

	err := fmt.Errorf("aws: %w", errors.Join(web.Err(), edge.Err()))
	want := "aws: webtier: Web.InstanceType: expected an EC2 instance type, got \"m6i\"\nedge: Domain: not a name\nedge: WAF.RateLimit: expected 10-2000000000, got 5\nedge: Shield: plain"
	if err.Error() != want {
		t.Errorf("text:\n%s\nwant:\n%s", err, want)
	}
	ps, ok := problem.Of(err)
	if !ok {
		t.Fatal("Of found no problems")
	}
	got := make([]string, len(ps))
	for i, p := range ps {
		got[i] = p.Component + "|" + p.Field
	}
	if diff := cmp.Diff([]string{"webtier|Web.InstanceType", "edge|Domain", "edge|WAF.RateLimit", "edge|Shield"}, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if _, ok := problem.Of(errors.New("plain")); ok {
		t.Error("a plain error carries no problems")
	}
}
