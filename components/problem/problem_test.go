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

// TestFormat: a problem reads `<component> "<instance>": <field>:
// <message>`, any other error of an instance `<component> "<instance>":
// <message>`; a part that is empty is left out with its separator.
func TestFormat(t *testing.T) {
	t.Parallel()
	cause := errors.New("throttled")
	tests := map[string]struct {
		err  error
		want string
	}{
		"problem of a field": {
			err:  list("database", "orders", "SubnetIDs", "required").Err(),
			want: `database "orders": SubnetIDs: required`,
		},
		"several words, a quote in the name": {
			err:  list("transit onprem link", `dc "2"`, "CustomerGatewayASN", "ASN 64602 equals TransitGatewayASN").Err(),
			want: `transit onprem link "dc \"2\"": CustomerGatewayASN: ASN 64602 equals TransitGatewayASN`,
		},
		"a pure function names no instance": {
			err:  list("roles", "", "lbs", "need exactly 2 load balancers").Err(),
			want: "roles: lbs: need exactly 2 load balancers",
		},
		"no component": {
			err:  list("", "", "Gateway", "expected an IP address").Err(),
			want: "Gateway: expected an IP address",
		},
		"an error that is not about a field": {
			err:  problem.Errorf("network", "vpc", "list availability zones: %w", cause),
			want: `network "vpc": list availability zones: throttled`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("text:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
	if err := problem.Errorf("network", "vpc", "region: %w", cause); !errors.Is(err, cause) {
		t.Errorf("Errorf does not wrap its %%w: %v", err)
	}
	if got := problem.Prefix("database", "orders"); got != `database "orders"` {
		t.Errorf("Prefix = %s", got)
	}
}

// TestIncludeTakesTheInstance: a sub-component's problems become the
// including instance's own, fields under the prefix.
func TestIncludeTakesTheInstance(t *testing.T) {
	t.Parallel()
	edge := problem.List{Component: "edge", Instance: "shop"}
	edge.Include("Shield.", list("shield", "shop", "Contacts[0].Email", "not an email address").Err())
	edge.Include("", list("roles", "", "lbs", "need exactly 2").Err())
	want := "edge \"shop\": Shield.Contacts[0].Email: not an email address\nedge \"shop\": lbs: need exactly 2"
	if got := edge.Err().Error(); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	ps, _ := problem.Of(edge.Err())
	for _, p := range ps {
		if p.Component != "edge" || p.Instance != "shop" {
			t.Errorf("included problem %+v is not the edge's", p)
		}
	}
}

func list(component, instance, field, message string) *problem.List {
	l := &problem.List{Component: component, Instance: instance}
	l.Add(field, "%s", message)
	return l
}
