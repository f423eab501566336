package layout_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/hawebtier/hawebtier"

// deps lists the module-internal and pulumi-aws packages pkg depends on.
func deps(t *testing.T, pattern string) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, pattern).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pattern, err)
	}
	res := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(f[0], module+"/") {
			continue
		}
		res[f[0]] = f[1:]
	}
	return res
}

func TestImportRules(t *testing.T) {
	t.Parallel()
	rules := map[string][]string{ // package prefix -> forbidden prefixes
		module + "/components": {module + "/onprem", module + "/aws", module + "/stacks"},
		module + "/onprem":     {module + "/aws", module + "/stacks"},
		module + "/aws":        {module + "/onprem", module + "/stacks"},
	}
	all := deps(t, "./../../...")
	checked := 0
	for pkg, ds := range all {
		for prefix, forbidden := range rules {
			if pkg != prefix && !strings.HasPrefix(pkg, prefix+"/") {
				continue
			}
			checked++
			for _, d := range ds {
				for _, f := range forbidden {
					if d == f || strings.HasPrefix(d, f+"/") {
						t.Errorf("%s imports %s: data flows stacks -> onprem|aws -> components only", pkg, d)
					}
				}
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d packages: the rule matched nothing", checked)
	}
}

// A program that needs only a database compiles only what the database
// uses: no aws sub-package drags in the pulumi-aws packages of another.
func TestDatabaseCompilesOnlyWhatItUses(t *testing.T) {
	t.Parallel()
	const awsSDK = "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/"
	var used []string
	for _, d := range deps(t, "./../../aws/database")[module+"/aws/database"] {
		if strings.HasPrefix(d, awsSDK) && !strings.HasPrefix(d, awsSDK+"internal") {
			used = append(used, strings.TrimPrefix(d, awsSDK))
		}
	}
	// ec2 for its security group, vpc for the rules that admit later tiers,
	// rds, and secretsmanager (a small package) for the generated master
	// password's secret.
	allowed := map[string]bool{"ec2": true, "vpc": true, "rds": true, "secretsmanager": true}
	for _, u := range used {
		if !allowed[u] {
			t.Errorf("aws/database compiles pulumi-aws package %s", u)
		}
	}
	if len(used) == 0 {
		t.Error("aws/database uses no pulumi-aws package: the check looks at the wrong list")
	}
}
