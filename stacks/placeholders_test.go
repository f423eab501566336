package stacks_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/hawebtier/hawebtier/stacks"
)

// TestUpRefusesPlaceholders: the shipped AWS stacks hold documentation
// addresses, example domains and a domain without a hosted zone, so they
// plan offline; `pulumi up` refuses each under its key before registering
// anything, while a preview of the same stack goes through.
func TestUpRefusesPlaceholders(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"aws-staging": {"hawebtier:aws.transit.vpn.customerGatewayIp", "hawebtier:aws.alarms.email"},
		"aws-production": {
			"hawebtier:aws.transit.vpn.customerGatewayIp", "hawebtier:aws.alarms.email",
			"hawebtier:aws.edge.domain", "hawebtier:aws.edge.hostedZoneId",
			"hawebtier:aws.edge.shield.alarmEmail", "hawebtier:aws.edge.shield.contacts[0].email", "hawebtier:aws.edge.shield.contacts[0].phone",
		},
		"onprem-dev": nil,
	}
	for stack, keys := range cases {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			opts := loadStack(t, stack)
			opts.Preview = false
			res, err := run(t, opts)
			if len(keys) == 0 {
				if err != nil {
					t.Fatalf("pulumi up refuses a stack without placeholders: %v", err)
				}
				return
			}
			var ce *stacks.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *stacks.ConfigError", err)
			}
			for _, k := range keys {
				if !ce.Has(k, "") {
					t.Errorf("no problem under %s:\n%v", k, err)
				}
			}
			if len(ce.Problems) != len(keys) {
				t.Errorf("%d problems, want %d:\n%v", len(ce.Problems), len(keys), err)
			}
			for _, r := range res.Resources {
				if r.Type != "pulumi:pulumi:Stack" {
					t.Errorf("registered %s %s before refusing", r.Type, r.Name)
				}
			}
		})
	}
}

func TestReservedValues(t *testing.T) {
	t.Parallel()
	addrs := map[string]bool{
		"198.51.100.10": true, "192.0.2.1": true, "203.0.113.254": true, "2001:db8::1": true,
		"198.51.101.10": false, "52.95.110.1": false, "10.20.0.1": false,
	}
	for a, want := range addrs {
		if got := stacks.IsDocumentationAddress(netip.MustParseAddr(a)); got != want {
			t.Errorf("IsDocumentationAddress(%s) = %v, want %v", a, got, want)
		}
	}
	domains := map[string]bool{
		"www.example.com": true, "example.org": true, "shop.example": true, "a.test": true, "EXAMPLE.NET.": true,
		"myexample.com": false, "example.com.au": false, "lab.example.internal": false, "shop.eu": false,
	}
	for d, want := range domains {
		if got := stacks.IsReservedDomain(d); got != want {
			t.Errorf("IsReservedDomain(%s) = %v, want %v", d, got, want)
		}
	}
}
