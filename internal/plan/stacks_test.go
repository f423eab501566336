package plan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/hawebtier/hawebtier/internal/mocktest"
	"github.com/hawebtier/hawebtier/internal/plan"
	"github.com/hawebtier/hawebtier/stacks"
)

const projectDir = "../.."

// shippedStacks are the stack files under stacks/.
var shippedStacks = []string{"onprem-dev", "aws-staging", "aws-production"}

func evaluate(t *testing.T, stack string, cfg, secret map[string]string) *plan.Plan {
	t.Helper()
	p, err := plan.Evaluate(context.Background(), stacks.Run, plan.EvalOptions{
		ProjectDir: projectDir, Stack: stack, Config: cfg, SecretConfig: secret,
		PlaceholderSecrets: stacks.OperatorSecretKeys(),
	})
	if err != nil {
		t.Fatalf("stack %s: %v", stack, err)
	}
	return p
}

// goldenLines reads the stack's golden resource list, kept by the stacks
// package: one line per registered resource.
func goldenLines(t *testing.T, stack string) int {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(projectDir, "stacks", "testdata", stack+".golden"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}

func TestPlanListsEveryResourceOfTheGoldenList(t *testing.T) {
	t.Parallel()
	for _, stack := range shippedStacks {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			want := goldenLines(t, stack)
			p := evaluate(t, stack, nil, nil)
			if len(p.Resources) != want {
				t.Errorf("plan has %d resources, golden list %d", len(p.Resources), want)
			}
			var tree bytes.Buffer
			if err := p.WriteTree(&tree); err != nil {
				t.Fatal(err)
			}
			rows := 0
			for _, l := range strings.Split(tree.String(), "\n") {
				if (strings.HasPrefix(l, " +   ") || strings.HasPrefix(l, " >   ")) && !strings.Contains(l, "pulumi:pulumi:Stack ") {
					rows++
				}
			}
			if rows != want {
				t.Errorf("tree lists %d resources, golden list %d:\n%s", rows, want, tree.String())
			}
			var js bytes.Buffer
			if err := p.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			back, err := plan.ReadJSON(&js)
			if err != nil {
				t.Fatal(err)
			}
			if len(back.Resources) != want {
				t.Errorf("JSON has %d resources, golden list %d", len(back.Resources), want)
			}
			if diff := cmp.Diff(p, back); diff != "" {
				t.Errorf("JSON round trip (-memory +file):\n%s", diff)
			}
		})
	}
}

func TestConfigErrorIsTheProgramsOwn(t *testing.T) {
	t.Parallel()
	_, err := plan.Evaluate(context.Background(), stacks.Run, plan.EvalOptions{
		ProjectDir: projectDir, Stack: "onprem-dev", Config: map[string]string{"hawebtier:web": `{"count":1}`},
	})
	var ce *stacks.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("want a *stacks.ConfigError, got %T %v", err, err)
	}
	if !ce.Has("hawebtier:web.count", "need at least 2") {
		t.Errorf("config error does not name web.count: %v", ce)
	}
}

// Known plaintexts the secret test sets; none may appear in any output.
const (
	sshKeyPlain   = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAPLAINTEXTKEY\n-----END OPENSSH PRIVATE KEY-----"
	legacyDBPlain = "legacy-Db-Pa55-plaintext"
)

// everyOutput renders everything the tool can print about p, and its diff
// against other (text and Markdown).
func everyOutput(t *testing.T, p, other *plan.Plan) map[string]string {
	t.Helper()
	out := map[string]string{}
	render := func(name string, f func(*bytes.Buffer) error) {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = b.String()
	}
	render("plan", func(b *bytes.Buffer) error { return p.WriteTree(b) })
	render("plan --json", func(b *bytes.Buffer) error { return p.WriteJSON(b) })
	render("plan --critical-path", func(b *bytes.Buffer) error {
		cp, err := p.ComputeCriticalPath()
		if err != nil {
			return err
		}
		return cp.WriteText(b)
	})
	render("graph dot", func(b *bytes.Buffer) error { return p.WriteDOT(b) })
	render("graph mermaid", func(b *bytes.Buffer) error { return p.WriteMermaid(b) })
	for name, d := range map[string]*plan.StackDiff{
		"diff from nothing": plan.Diff(nil, p),
		"diff to nothing":   plan.Diff(p, nil),
		"diff other":        plan.Diff(other, p),
	} {
		render(name, func(b *bytes.Buffer) error { return d.WriteText(b) })
		render(name+" --markdown", func(b *bytes.Buffer) error { return plan.WriteMarkdown(b, []*plan.StackDiff{d}) })
	}
	return out
}

func assertNoPlaintext(t *testing.T, outputs map[string]string, secrets ...string) {
	t.Helper()
	for name, text := range outputs {
		for _, s := range secrets {
			for _, piece := range strings.Split(s, "\n") {
				if len(piece) >= 8 && strings.Contains(text, piece) {
					t.Errorf("%s shows secret plaintext %q", name, piece)
				}
			}
		}
	}
}

func TestNoSecretPlaintextInAnyOutput(t *testing.T) {
	t.Parallel()
	secrets := map[string]string{"hawebtier:sshPrivateKey": sshKeyPlain, "hawebtier:legacyDbPassword": legacyDBPlain}
	for _, stack := range shippedStacks {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			p := evaluate(t, stack, nil, secrets)
			other := evaluate(t, stack, nil, map[string]string{"hawebtier:sshPrivateKey": "other-key-value", "hawebtier:legacyDbPassword": "other-password"})
			assertNoPlaintext(t, everyOutput(t, p, other), sshKeyPlain, legacyDBPlain, "other-key-value", "other-password")
		})
	}
	t.Run("program with secret inputs", func(t *testing.T) {
		t.Parallel()
		opts := fixedOptions()
		res, err := mocktest.Run(context.Background(), fixedProgram(2, "10.0.0.0/16", "dev"), opts)
		if err != nil {
			t.Fatal(err)
		}
		// The plaintexts really are in the recorded inputs, so masking has
		// something to do.
		raw, _ := json.Marshal(mocktest.PlainMap(res.Find("aws:rds/instance:Instance", "primary").Inputs))
		for _, s := range []string{fixedPassword, programSecret} {
			if !strings.Contains(string(raw), s) {
				t.Fatalf("test program does not pass %q as an input: %s", s, raw)
			}
		}
		p, err := plan.FromResult(res, plan.SecretValues(opts))
		if err != nil {
			t.Fatal(err)
		}
		outs := everyOutput(t, p, fixedPlan(3, "10.1.0.0/16", "prod"))
		assertNoPlaintext(t, outs, fixedPassword, programSecret)
		if !strings.Contains(outs["plan --json"], `"password": "[secret]"`) {
			t.Errorf("plan --json does not show the masked password:\n%s", outs["plan --json"])
		}
	})
	t.Run("program that unwraps a secret into a plain input", func(t *testing.T) {
		t.Parallel()
		opts := fixedOptions()
		res, err := mocktest.Run(context.Background(), leakyProgram, opts)
		if err != nil {
			t.Fatal(err)
		}
		r := res.Find("aws:ec2/instance:Instance", "leaky")
		if r == nil || !strings.Contains(r.String("userData"), fixedPassword) || len(r.SecretPaths) != 0 {
			t.Fatalf("leaky program does not leak as intended: %+v", r)
		}
		p, err := plan.FromResult(res, plan.SecretValues(opts))
		if err != nil {
			t.Fatal(err)
		}
		assertNoPlaintext(t, everyOutput(t, p, p), fixedPassword)
	})
}

// setJSON returns a stack's JSON config value with a change applied.
func setJSON(t testing.TB, stack, key string, change func(map[string]any)) string {
	t.Helper()
	opts, err := mocktest.LoadStack(projectDir, stack)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if raw := opts.Config[key]; raw != "" {
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
	}
	change(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// runRaw evaluates a stack straight through the harness, without the plan
// package, so the expected difference does not come from the code under
// test.
func runRaw(t *testing.T, stack string, cfg map[string]string) *mocktest.Result {
	t.Helper()
	opts, err := mocktest.LoadStack(projectDir, stack)
	if err != nil {
		t.Fatal(err)
	}
	opts = opts.WithPlaceholderSecrets(stacks.OperatorSecretKeys()...)
	for k, v := range cfg {
		opts.Config[k] = v
	}
	opts.Preview = true
	opts.StackOutputs = plan.DefaultStackOutputs()
	res, err := mocktest.Run(context.Background(), stacks.Run, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// rawState is what decides whether the engine sees a change: masked
// inputs and resource options.
func rawState(r *mocktest.Resource) any {
	b, _ := json.Marshal(map[string]any{
		"inputs": mocktest.Masked(r.Inputs), "protect": r.Protect, "retain": r.RetainOnDelete,
		"dbr": r.DeleteBeforeReplace, "ignore": r.IgnoreChanges, "provider": r.Provider,
	})
	var v any
	_ = json.Unmarshal(b, &v)
	return v
}

// ignoringChanges returns r with its ignoreChanges paths reset to their
// values in o, by the engine's own Reset, as `pulumi preview` does before
// the provider diffs.
func ignoringChanges(t *testing.T, o, r *mocktest.Resource) *mocktest.Resource {
	t.Helper()
	c := *r
	c.Inputs = r.Inputs.Copy()
	for _, ic := range r.IgnoreChanges {
		p, err := resource.ParsePropertyPath(ic)
		if err != nil {
			continue
		}
		if !p.Reset(o.Inputs, c.Inputs) {
			t.Fatalf("%s: ignoreChanges %q: path missing", r.URN, ic)
		}
	}
	return &c
}

func TestWebCountChangeDiffsExactlyTheAddedServers(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		stack string
		cfg   func(t *testing.T) map[string]string
	}{
		"onprem-dev": {stack: "onprem-dev", cfg: func(t *testing.T) map[string]string {
			return map[string]string{
				"hawebtier:web": `{"count":3}`,
				"hawebtier:onprem": setJSON(t, "onprem-dev", "hawebtier:onprem", func(m map[string]any) {
					addrs := m["addresses"].(map[string]any)
					addrs["web"] = append(addrs["web"].([]any), "10.20.30.23")
				}),
			}
		}},
		"aws-staging": {stack: "aws-staging", cfg: func(t *testing.T) map[string]string {
			return map[string]string{"hawebtier:web": `{"count":3}`}
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := tc.cfg(t)
			if n := countWeb(t, tc.stack); n != 2 {
				t.Fatalf("stack %s ships %d web servers; the test changes 2 to 3", tc.stack, n)
			}
			oldRaw, newRaw := runRaw(t, tc.stack, nil), runRaw(t, tc.stack, cfg)
			var wantAdd, wantDel, wantMod []string
			for _, r := range newRaw.Resources {
				o := oldRaw.ByURN(r.URN)
				switch {
				case o == nil:
					wantAdd = append(wantAdd, r.URN)
				case !reflect.DeepEqual(rawState(o), rawState(ignoringChanges(t, o, r))):
					wantMod = append(wantMod, r.URN)
				}
			}
			for _, r := range oldRaw.Resources {
				if newRaw.ByURN(r.URN) == nil {
					wantDel = append(wantDel, r.URN)
				}
			}

			d := plan.Diff(evaluate(t, tc.stack, nil, nil), evaluate(t, tc.stack, cfg, nil))
			got := map[plan.Op][]string{}
			for _, c := range d.Changes {
				got[c.Op] = append(got[c.Op], c.URN)
				if c.Op == plan.OpUpdate && len(c.Properties) == 0 {
					t.Errorf("update of %s lists no changed property", c.URN)
				}
			}
			for _, l := range [][]string{wantAdd, wantDel, wantMod} {
				sort.Strings(l)
			}
			if diff := cmp.Diff(wantAdd, got[plan.OpCreate]); diff != "" {
				t.Errorf("creates (-want +got):\n%s", diff)
			}
			if len(wantDel) != 0 || len(got[plan.OpDelete]) != 0 {
				t.Errorf("one more web server deletes resources: program %v, diff %v", wantDel, got[plan.OpDelete])
			}
			// Only the day-2 commands may be replaced: pulumi-command replaces
			// a command whose triggers (the content hash) change, which runs
			// the install script again; no server is replaced.
			for _, urn := range got[plan.OpReplace] {
				if !strings.Contains(urn, "command:remote:Command::") {
					t.Errorf("one more web server replaces %s", urn)
				}
			}
			changed := append(append([]string{}, got[plan.OpUpdate]...), got[plan.OpReplace]...)
			sort.Strings(changed)
			if diff := cmp.Diff(wantMod, changed); diff != "" {
				t.Errorf("updates and replacements (-want +got):\n%s", diff)
			}
			// Once the stack builds servers, a third one must show.
			if customResources(oldRaw) > 0 && len(wantAdd)+len(wantMod) == 0 {
				t.Errorf("stack %s builds %d custom resources but web.count 2 -> 3 changes nothing", tc.stack, customResources(oldRaw))
			}
			var text bytes.Buffer
			if err := d.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s", text.String())
		})
	}
}

// countWeb reads the shipped web count of a stack.
func countWeb(t *testing.T, stack string) int {
	t.Helper()
	opts, err := mocktest.LoadStack(projectDir, stack)
	if err != nil {
		t.Fatal(err)
	}
	var web struct{ Count int }
	if err := json.Unmarshal([]byte(opts.Config["hawebtier:web"]), &web); err != nil {
		t.Fatal(err)
	}
	return web.Count
}

func customResources(r *mocktest.Result) int {
	n := 0
	for _, res := range r.Resources {
		if res.Custom && !strings.HasPrefix(res.Type, "pulumi:providers:") {
			n++
		}
	}
	return n
}

// The diagrams the README embeds (stacks/graphs/<stack>.dot and .svg) must
// show what the stack deploys today.
func TestCommittedGraphsAreCurrent(t *testing.T) {
	t.Parallel()
	for _, stack := range shippedStacks {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := evaluate(t, stack, nil, nil).WriteDOT(&b); err != nil {
				t.Fatal(err)
			}
			committed, err := os.ReadFile(filepath.Join(projectDir, "stacks", "graphs", stack+".dot"))
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(committed) {
				t.Errorf("stacks/graphs/%s.dot is stale; regenerate it and its SVG:\n"+
					"  go run ./cmd/hawebtier graph --stack %s --out stacks/graphs/%s.dot && dot -Tsvg stacks/graphs/%s.dot -o stacks/graphs/%s.svg",
					stack, stack, stack, stack, stack)
			}
		})
	}
}
