package plan

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// graph is the architecture view of a plan: components become nested
// groups, custom resources become nodes, dependencies become edges. Inputs
// never appear, so no secret can.
type graph struct {
	p        *Plan
	byURN    map[string]*Resource
	children map[string][]*Resource // component URN (or the stack) -> members
	ids      map[string]string      // URN -> node or cluster id
	edges    [][2]string            // from node URN, to node-or-component URN
}

// shown reports whether a resource is drawn as a node: custom resources
// the program creates, not providers and not reads.
func shown(r *Resource) bool { return r.Custom && !r.Read && !r.IsProvider() }

func newGraph(p *Plan) *graph {
	g := &graph{p: p, byURN: p.ByURN(), children: map[string][]*Resource{}, ids: map[string]string{}}
	root := p.StackURN()
	for i, r := range p.Resources {
		if r.Custom {
			g.ids[r.URN] = fmt.Sprintf("n%d", i)
		} else {
			g.ids[r.URN] = fmt.Sprintf("c%d", i)
		}
		if !shown(r) && r.Custom {
			continue
		}
		// A custom resource parented by another custom resource is drawn
		// in the nearest enclosing component.
		parent := r.Parent
		for parent != root {
			pr := g.byURN[parent]
			if pr == nil {
				parent = root
				break
			}
			if !pr.Custom {
				break
			}
			parent = pr.Parent
		}
		g.children[parent] = append(g.children[parent], r)
	}
	// The SDK expands a dependency on a component into its custom
	// descendants; fold such a complete set back into one edge to the
	// component, the largest component first, so the picture says "the
	// database waits for the network" instead of drawing ten arrows.
	comps := []*Resource{}
	nodesBelow := map[string][]string{}
	for _, r := range p.Resources {
		if !r.Custom {
			nodesBelow[r.URN] = g.nodesBelow(r.URN)
			if len(nodesBelow[r.URN]) >= 2 {
				comps = append(comps, r)
			}
		}
	}
	sort.SliceStable(comps, func(i, j int) bool { return len(nodesBelow[comps[i].URN]) > len(nodesBelow[comps[j].URN]) })
	set := map[[2]string]bool{}
	for _, r := range p.Resources {
		if !shown(r) {
			continue
		}
		deps := map[string]bool{}
		for _, d := range r.Dependencies {
			dep := g.byURN[d]
			if dep == nil || (dep.Custom && !shown(dep)) || (!dep.Custom && !g.hasNodes(dep.URN)) {
				continue
			}
			deps[d] = true
		}
		for _, c := range comps {
			all := true
			for _, n := range nodesBelow[c.URN] {
				all = all && deps[n]
			}
			if !all {
				continue
			}
			for _, n := range nodesBelow[c.URN] {
				delete(deps, n)
			}
			deps[c.URN] = true
		}
		for d := range deps {
			set[[2]string{r.URN, d}] = true
		}
	}
	for e := range set {
		g.edges = append(g.edges, e)
	}
	sort.Slice(g.edges, func(i, j int) bool {
		if g.edges[i][0] != g.edges[j][0] {
			return g.edges[i][0] < g.edges[j][0]
		}
		return g.edges[i][1] < g.edges[j][1]
	})
	return g
}

// hasNodes reports whether a component has a drawn node somewhere below.
func (g *graph) hasNodes(urn string) bool {
	for _, c := range g.children[urn] {
		if c.Custom || g.hasNodes(c.URN) {
			return true
		}
	}
	return false
}

// nodesBelow lists the drawn nodes inside a component, nested ones too.
func (g *graph) nodesBelow(urn string) []string {
	var out []string
	for _, c := range g.children[urn] {
		if c.Custom {
			out = append(out, c.URN)
			continue
		}
		out = append(out, g.nodesBelow(c.URN)...)
	}
	return out
}

// firstNode is a node inside a component, the anchor of edges that point
// at the component as a whole.
func (g *graph) firstNode(urn string) string {
	for _, c := range g.children[urn] {
		if c.Custom {
			return c.URN
		}
		if n := g.firstNode(c.URN); n != "" {
			return n
		}
	}
	return ""
}

// shortType turns "aws:ec2/subnet:Subnet" into "aws:ec2:Subnet" and
// "vsphere:index/virtualMachine:VirtualMachine" into "vsphere:VirtualMachine".
func shortType(t string) string {
	parts := strings.Split(t, ":")
	if len(parts) != 3 {
		return t
	}
	mod := parts[1]
	if i := strings.Index(mod, "/"); i >= 0 {
		mod = mod[:i]
	}
	if mod == "index" {
		return parts[0] + ":" + parts[2]
	}
	return parts[0] + ":" + mod + ":" + parts[2]
}

func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// WriteDOT writes the architecture as a Graphviz digraph: one cluster per
// component (nested as the components are), one box per custom resource,
// an edge from each resource to what it depends on. An edge to a component
// ends at the component's border (compound edges).
func (p *Plan) WriteDOT(w io.Writer) error {
	g := newGraph(p)
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(p.Project+"-"+p.Stack))
	b.WriteString("  compound=true;\n  rankdir=LR;\n  fontname=\"Helvetica\";\n")
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f5f5\", fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("  edge [color=\"#555555\", arrowsize=0.6];\n")
	fmt.Fprintf(&b, "  label=%s;\n  labelloc=t;\n", dotQuote("stack "+p.Stack))
	var write func(urn, indent string)
	write = func(urn, indent string) {
		for _, r := range g.children[urn] {
			if r.Custom {
				fmt.Fprintf(&b, "%s%s [label=%s];\n", indent, g.ids[r.URN], dotQuote(r.Name+"\n"+shortType(r.Type)))
				continue
			}
			if !g.hasNodes(r.URN) {
				continue
			}
			fmt.Fprintf(&b, "%ssubgraph cluster_%s {\n", indent, g.ids[r.URN])
			fmt.Fprintf(&b, "%s  label=%s;\n%s  style=\"rounded\";\n%s  color=\"#3b7dd8\";\n", indent, dotQuote(r.Name+" ("+shortType(r.Type)+")"), indent, indent)
			write(r.URN, indent+"  ")
			fmt.Fprintf(&b, "%s}\n", indent)
		}
	}
	write(p.StackURN(), "  ")
	for _, e := range g.edges {
		from, to := e[0], e[1]
		if dep := g.byURN[to]; !dep.Custom {
			fmt.Fprintf(&b, "  %s -> %s [lhead=cluster_%s];\n", g.ids[from], g.ids[g.firstNode(to)], g.ids[to])
			continue
		}
		fmt.Fprintf(&b, "  %s -> %s;\n", g.ids[from], g.ids[to])
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func mermaidText(s string) string {
	return `"` + strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", "<br/>").Replace(s) + `"`
}

// WriteMermaid writes the same graph as a Mermaid flowchart, which GitHub
// renders in Markdown: components are subgraphs, an edge to a component
// points at the subgraph.
func (p *Plan) WriteMermaid(w io.Writer) error {
	g := newGraph(p)
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	var write func(urn, indent string)
	write = func(urn, indent string) {
		for _, r := range g.children[urn] {
			if r.Custom {
				fmt.Fprintf(&b, "%s%s[%s]\n", indent, g.ids[r.URN], mermaidText(r.Name+"\n"+shortType(r.Type)))
				continue
			}
			if !g.hasNodes(r.URN) {
				continue
			}
			fmt.Fprintf(&b, "%ssubgraph %s[%s]\n", indent, g.ids[r.URN], mermaidText(r.Name+" ("+shortType(r.Type)+")"))
			write(r.URN, indent+"  ")
			fmt.Fprintf(&b, "%send\n", indent)
		}
	}
	write(p.StackURN(), "  ")
	for _, e := range g.edges {
		fmt.Fprintf(&b, "  %s --> %s\n", g.ids[e[0]], g.ids[e[1]])
	}
	_, err := io.WriteString(w, b.String())
	return err
}
