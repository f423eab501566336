package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/hawebtier/hawebtier/components/testkit"
)

// stackConfig is the stack config the program reads, as `pulumi config set`
// would pass it (project "importer"); the vCenter password is a secret
// nobody has to type here.
func stackConfig() testkit.Options {
	return testkit.Options{
		Project: "importer",
		Stack:   "production",
		Config: map[string]string{
			"importer:vpcId":              "vpc-0a1b2c3d",
			"importer:dataSubnetIds":      `["subnet-0da","subnet-0db","subnet-0dc"]`,
			"importer:appSecurityGroupId": "sg-0app",
			"importer:vcenterServer":      "vcenter.shop.example.internal",
			"importer:vcenterUser":        "pulumi@vsphere.local",
			"importer:datacenter":         "DC-Paris",
			"importer:cluster":            "Prod-Cluster",
			"importer:datastore":          "vsan-prod",
			"importer:portGroup":          "PG-Shop-40",
			"importer:template":           "debian-12-cloudinit",
		},
	}.WithPlaceholderSecrets("importer:vcenterPassword")
}

// run deploys the program under the kit's mock engine.
func run(t *testing.T, opts testkit.Options) (*testkit.Result, *deployment) {
	t.Helper()
	var d *deployment
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		var err error
		d, err = deploy(ctx)
		return err
	}, opts)
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	return res, d
}

func TestDatabaseIsMultiAZWithAManagedPassword(t *testing.T) {
	t.Parallel()
	res, _ := run(t, stackConfig())
	db := testkit.MustFind(t, res, "aws:rds/instance:Instance", "orders")
	if db.Input("multiAz") != true {
		t.Errorf("multiAz = %v, want true", db.Input("multiAz"))
	}
	// RDS generates and keeps the password: none in the inputs, so none
	// in Pulumi's state.
	if db.Input("manageMasterUserPassword") != true || db.Input("password") != nil {
		t.Errorf("manageMasterUserPassword = %v, password = %v; want RDS to manage it", db.Input("manageMasterUserPassword"), db.Input("password"))
	}
	if db.Input("deletionProtection") != true || !db.Protect {
		t.Errorf("deletionProtection %v, protect %v: a production database must survive a typo", db.Input("deletionProtection"), db.Protect)
	}
	eu := testkit.MustFind(t, res, "pulumi:providers:aws", "eu-west-1")
	if db.ProviderURN() != eu.URN {
		t.Errorf("database provider %q, want the eu-west-1 provider", db.ProviderURN())
	}
	subnets := testkit.MustFind(t, res, "aws:rds/subnetGroup:SubnetGroup", "orders")
	if got := subnets.Input("subnetIds"); !slices.Equal(anyStrings(got), []string{"subnet-0da", "subnet-0db", "subnet-0dc"}) {
		t.Errorf("subnet group subnets %v, want the configured data subnets", got)
	}
	// The endpoint the app tier reads is the canned RDS answer.
	if got, _ := db.Output("endpoint").(string); !strings.HasPrefix(got, db.Output("identifier").(string)+".") || !strings.HasSuffix(got, ":3306") {
		t.Errorf("endpoint %q, want <identifier>....:3306", got)
	}
}

func TestTierHasItsVMsFromTheLookedUpTemplate(t *testing.T) {
	t.Parallel()
	res, _ := run(t, stackConfig())
	vms := res.OfType("vsphere:index/virtualMachine:VirtualMachine")
	var names []string
	vc := testkit.MustFind(t, res, "pulumi:providers:vsphere", "vcenter")
	for _, vm := range vms {
		names = append(names, vm.String("name"))
		clone, _ := vm.Input("clone").(map[string]any)
		if clone["templateUuid"] != testkit.VSphereTemplateUUIDOf("debian-12-cloudinit") {
			t.Errorf("%s clones %v, want the configured template's uuid", vm.Name, clone["templateUuid"])
		}
		if vm.ProviderURN() != vc.URN {
			t.Errorf("%s provider %q, want the vcenter provider", vm.Name, vm.ProviderURN())
		}
		// Protect guards the state the tier keeps: the metrics history on
		// the monitoring node. The others are rebuilt from the template.
		if want := vm.String("name") == "mon-1"; vm.Protect != want {
			t.Errorf("%s protect = %v, want %v", vm.Name, vm.Protect, want)
		}
	}
	slices.Sort(names)
	want := []string{"app-1", "app-2", "lb-1", "lb-2", "mon-1", "web-1", "web-2"}
	if !slices.Equal(names, want) {
		t.Errorf("VMs %v, want %v", names, want)
	}
	// The placement was looked up by the configured names, in vCenter.
	for _, inv := range res.InvokesOf("vsphere:index/getDatastore:getDatastore") {
		if inv.Args["name"] != "vsan-prod" || inv.ProviderURN() != vc.URN {
			t.Errorf("datastore lookup %v through %q, want vsan-prod through vcenter", inv.Args, inv.ProviderURN())
		}
	}
}

func TestDMZConfigBalancesOverTheWebServers(t *testing.T) {
	t.Parallel()
	_, d := run(t, stackConfig())
	for _, line := range []string{
		"server web-1 10.40.0.21:80",
		"server web-2 10.40.0.22:80",
		"http-check send meth GET uri /healthz",
		"bind 192.0.2.80:80",
	} {
		if !strings.Contains(d.DMZConfig, line) {
			t.Errorf("haproxy.cfg lacks %q:\n%s", line, d.DMZConfig)
		}
	}
	if strings.Contains(d.DMZConfig, "10.40.0.31") {
		t.Errorf("haproxy.cfg sends traffic to an app server:\n%s", d.DMZConfig)
	}
}

// TestMissingConfigIsNamed: a stack without its settings stops with every
// key it lacks, before anything is registered, and without a panic.
func TestMissingConfigIsNamed(t *testing.T) {
	t.Parallel()
	opts := stackConfig()
	delete(opts.Config, "importer:vpcId")
	delete(opts.Config, "importer:template")
	res, err := testkit.Run(context.Background(), func(ctx *pulumi.Context) error {
		_, err := deploy(ctx)
		return err
	}, opts)
	testkit.RequireErrorMentions(t, err, "importer:vpcId", "importer:template")
	if strings.Contains(err.Error(), "panic") {
		t.Errorf("missing config panicked: %v", err)
	}
	testkit.RequireNothingRegistered(t, res)
}

func anyStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}
