package datatier_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/aws/internal/datatier"
)

func TestPlacementCheck(t *testing.T) {
	t.Parallel()
	full := datatier.Placement{
		SubnetIDs:               pulumi.ToStringArray([]string{"subnet-a", "subnet-b"}),
		VpcID:                   pulumi.String("vpc-1"),
		AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{"sg-was"}),
	}
	tests := map[string]struct {
		placement datatier.Placement
		want      []string
	}{
		"complete": {placement: full},
		"empty": {want: []string{
			"SubnetIDs: required: the data subnets, in at least two AZs",
			"VpcID: required",
		}},
		"no vpc": {
			placement: datatier.Placement{SubnetIDs: full.SubnetIDs, AllowedSecurityGroupIDs: full.AllowedSecurityGroupIDs},
			want:      []string{"VpcID: required"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got []string
			tc.placement.Check(func(field, format string, args ...any) {
				got = append(got, field+": "+fmt.Sprintf(format, args...))
			})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFinalSnapshotIdentifier(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ prefix, name, want string }{
		"plain":          {"db", "orders", "orders-final"},
		"mixed case":     {"db", "Prod_Orders.DB", "prod-orders-db-final"},
		"digit first":    {"cache", "2nd", "cache-2nd-final"},
		"nothing usable": {"cache", "__", "cache-final"},
		"edges trimmed":  {"db", "-a--b-", "a-b-final"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := datatier.FinalSnapshotIdentifier(tc.prefix, tc.name); got != tc.want {
				t.Errorf("FinalSnapshotIdentifier(%q, %q) = %q, want %q", tc.prefix, tc.name, got, tc.want)
			}
		})
	}
}

func ExampleFinalSnapshotIdentifier() {
	fmt.Println(datatier.FinalSnapshotIdentifier("db", "Production DB"))
	// Output: production-db-final
}
