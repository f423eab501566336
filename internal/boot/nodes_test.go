package boot_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/hawebtier/hawebtier/internal/boot"
	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/internal/plan"
	"github.com/hawebtier/hawebtier/stacks"
)

// TestNodesFromPlanOffline checks, without QEMU or root, what the boot test
// reads from the program: each node's documents and its day-2 chain, the
// cloud-init wait first, every command after the one it depends on.
func TestNodesFromPlanOffline(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	eo := plan.EvalOptions{ProjectDir: root, Stack: "onprem-dev", PlaceholderSecrets: stacks.OperatorSecretKeys()}
	p, err := plan.Evaluate(ctx, stacks.Run, eo)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := mocktest.LoadStack(root, "onprem-dev")
	if err != nil {
		t.Fatal(err)
	}
	opts = opts.WithPlaceholderSecrets(stacks.OperatorSecretKeys()...)
	opts.Preview, opts.StackOutputs = true, plan.DefaultStackOutputs()
	res, err := mocktest.Run(ctx, stacks.Run, opts)
	if err != nil {
		t.Fatal(err)
	}
	nodes, err := boot.NodesFromPlan(p, res, "lb-1", "web-1", "app-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if !strings.HasPrefix(n.UserData, "#cloud-config\n") {
			t.Errorf("%s: user-data is not cloud-config", n.Name)
		}
		if !strings.Contains(n.MetaData, "local-hostname: "+n.Name) || strings.Contains(n.MetaData, "network") {
			t.Errorf("%s: meta-data:\n%s", n.Name, n.MetaData)
		}
		if !strings.Contains(n.NetworkConfig, "version: 2") || !strings.Contains(n.NetworkConfig, n.Address+"/24") {
			t.Errorf("%s: network-config:\n%s", n.Name, n.NetworkConfig)
		}
		if len(n.Day2) < 2 || !strings.Contains(n.Day2[0].Create, "cloud-init status --wait") {
			t.Errorf("%s: day 2 does not start with the cloud-init wait: %d commands", n.Name, len(n.Day2))
		}
		for _, c := range n.Day2[1:] {
			if c.Stdin == "" || c.Host != n.Address || c.User != "root" {
				t.Errorf("%s: %s: stdin %d bytes, connection %s@%s", n.Name, c.Name, len(c.Stdin), c.User, c.Host)
			}
		}
		if s, err := boot.EnabledServices(n.UserData); err != nil || len(s) == 0 {
			t.Errorf("%s: enabled services %v, %v", n.Name, s, err)
		}
	}
	pkgs, err := boot.RolePackages(nodes)
	if err != nil || len(pkgs) == 0 {
		t.Fatalf("role packages %v, %v", pkgs, err)
	}
}

// TestBreakKeepsCloudConfig checks the test-only breakage knob yields valid
// cloud-config with the entry added.
func TestBreakKeepsCloudConfig(t *testing.T) {
	t.Parallel()
	ud := "#cloud-config\nruncmd:\n  - [true]\nwrite_files:\n  - path: /etc/x\n    content: x\n"
	for how, want := range map[string]string{"runcmd": "exit 1", "owner": "hawebtier-nosuchuser"} {
		out, err := boot.Break(ud, how)
		if err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		var doc map[string][]any
		if err := yaml.Unmarshal([]byte(out), &doc); err != nil || !strings.HasPrefix(out, "#cloud-config\n") || !strings.Contains(out, want) {
			t.Errorf("%s: %v\n%s", how, err, out)
		}
		if len(doc["runcmd"])+len(doc["write_files"]) != 3 {
			t.Errorf("%s: want one entry added:\n%s", how, out)
		}
	}
	if _, err := boot.Break(ud, "bogus"); err == nil {
		t.Error("an unknown breakage is accepted")
	}
}
