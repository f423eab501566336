package onprem_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/problem"
	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/onprem"
)

func TestLookUpPlacementReportsEveryMissingNameUnderItsField(t *testing.T) {
	t.Parallel()
	lab := onprem.PlacementNames{Datacenter: "LabDC", Cluster: "LabCluster", Datastore: "vsanDatastore", PortGroup: "VM-Web-30", Template: "debian-12-cloudinit"}
	cases := map[string]struct {
		names      func(onprem.PlacementNames) onprem.PlacementNames
		wantFields []string
	}{
		"all found": {func(n onprem.PlacementNames) onprem.PlacementNames { return n }, nil},
		"two missing at once": {func(n onprem.PlacementNames) onprem.PlacementNames {
			n.Datastore, n.PortGroup = "nope-ds", "nope-pg"
			return n
		}, []string{"Datastore", "PortGroup"}},
		"no datacenter stops there": {func(n onprem.PlacementNames) onprem.PlacementNames {
			n.Datacenter, n.Template = "nope-dc", "nope-tpl"
			return n
		}, []string{"Datacenter"}},
		"template": {func(n onprem.PlacementNames) onprem.PlacementNames { n.Template = "nope-tpl"; return n }, []string{"Template"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var place *onprem.Placement
			var lookErr error
			_, err := mocktest.Run(context.Background(), func(ctx *pulumi.Context) error {
				place, lookErr = onprem.LookUpPlacement(ctx, tc.names(lab))
				return nil
			}, mocktest.Options{Inventory: mocktest.LabInventory()})
			if err != nil {
				t.Fatal(err)
			}
			var fields []string
			if ps, ok := problem.Of(lookErr); ok {
				for _, p := range ps {
					fields = append(fields, p.Field)
				}
			} else if lookErr != nil {
				t.Fatalf("not a problem list: %v", lookErr)
			}
			if d := cmp.Diff(tc.wantFields, fields); d != "" {
				t.Errorf("fields (-want +got):\n%s\n%v", d, lookErr)
			}
			if tc.wantFields == nil && (place == nil || place.Template.UUID != mocktest.VSphereTemplateUUID || place.DatacenterID == "") {
				t.Errorf("placement %+v", place)
			}
		})
	}
}
