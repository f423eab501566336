package plan_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/internal/plan"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

// renderDOT runs Graphviz on a DOT text and returns its exit code and
// output.
func renderDOT(t *testing.T, dot string) realtool.Result {
	t.Helper()
	path := realtool.WriteTemp(t, "graph.dot", dot)
	res, err := realtool.Run(time.Minute, "dot", "-Tsvg", "-o", path+".svg", path)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestDOTIsAcceptedByGraphviz(t *testing.T) {
	t.Parallel()
	realtool.Need(t, "dot")
	plans := map[string]*plan.Plan{"fixed program": fixedPlan(3, "10.0.0.0/16", "dev")}
	for _, stack := range shippedStacks {
		plans[stack] = evaluate(t, stack, nil, nil)
	}
	for name, p := range plans {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := p.WriteDOT(&b); err != nil {
				t.Fatal(err)
			}
			if res := renderDOT(t, b.String()); res.ExitCode != 0 {
				t.Fatalf("dot rejects the graph (exit %d): %s\n%s", res.ExitCode, res.Output(), b.String())
			}
		})
	}
	t.Run("sanity: a broken graph is rejected", func(t *testing.T) {
		t.Parallel()
		if res := renderDOT(t, "digraph x { a -> ; }\n"); res.ExitCode == 0 {
			t.Fatal("dot accepted a broken graph; the check above proves nothing")
		}
	})
}

func TestGraphGroupsByComponent(t *testing.T) {
	t.Parallel()
	p := fixedPlan(2, "10.0.0.0/16", "dev")
	var dot, mm bytes.Buffer
	if err := p.WriteDOT(&dot); err != nil {
		t.Fatal(err)
	}
	if err := p.WriteMermaid(&mm); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for i, r := range p.Resources {
		if r.Custom {
			ids[r.Name] = "n" + strconv.Itoa(i)
		} else {
			ids[r.Name] = "c" + strconv.Itoa(i)
		}
	}
	for _, want := range []string{
		"subgraph cluster_" + ids["net"] + " {",
		"subgraph cluster_" + ids["db"] + " {",
		// The subnet depends on the VPC.
		ids["web-a"] + " -> " + ids["main"] + ";",
		// The database depends on every resource of the network
		// component: the edge ends at the cluster.
		"[lhead=cluster_" + ids["net"] + "]",
	} {
		if !strings.Contains(dot.String(), want) {
			t.Errorf("DOT lacks %q:\n%s", want, dot.String())
		}
	}
	for _, want := range []string{
		"flowchart LR",
		"subgraph " + ids["net"] + `["net (hawebtier:test:Network)"]`,
		ids["primary"] + " --> " + ids["net"],
		ids["web-b"] + " --> " + ids["main"],
	} {
		if !strings.Contains(mm.String(), want) {
			t.Errorf("Mermaid lacks %q:\n%s", want, mm.String())
		}
	}
	if strings.Count(mm.String(), "subgraph") != strings.Count(mm.String(), "\n  end") {
		t.Errorf("unbalanced Mermaid subgraphs:\n%s", mm.String())
	}
}
