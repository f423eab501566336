package plan

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// treeLine is one row of the preview table before alignment.
type treeLine struct {
	op, prefix, typ, name, info string
}

// WriteTree prints the plan like `pulumi preview`: the resource tree by
// parent with `+` for creations and `>` for reads, then the count per
// type and the totals. The stack row is shown as the root but not counted,
// so the total equals the number of registered resources.
func (p *Plan) WriteTree(w io.Writer) error {
	children := map[string][]*Resource{}
	known := p.ByURN()
	root := p.StackURN()
	for _, r := range p.Resources {
		parent := r.Parent
		if known[parent] == nil {
			parent = root
		}
		children[parent] = append(children[parent], r)
	}
	for _, list := range children {
		sort.Slice(list, func(i, j int) bool {
			if list[i].Type != list[j].Type {
				return list[i].Type < list[j].Type
			}
			return list[i].Name < list[j].Name
		})
	}
	lines := []treeLine{{op: "+", typ: "pulumi:pulumi:Stack", name: p.Project + "-" + p.Stack}}
	var walk func(urn, indent string)
	walk = func(urn, indent string) {
		list := children[urn]
		for i, r := range list {
			branch, next := "├─ ", "│  "
			if i == len(list)-1 {
				branch, next = "└─ ", "   "
			}
			lines = append(lines, treeLine{op: op(r), prefix: indent + branch, typ: r.Type, name: r.Name, info: info(r)})
			walk(r.URN, indent+next)
		}
	}
	walk(root, "")

	width := len("Type")
	for _, l := range lines {
		if n := len([]rune(l.prefix)) + len(l.typ); n > width {
			width = n
		}
	}
	nameWidth := len("Name")
	for _, l := range lines {
		nameWidth = max(nameWidth, len(l.name))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Previewing stack %s offline (mock engine: no Pulumi CLI, no cloud calls)\n\n", p.Stack)
	fmt.Fprintf(&b, "     %-*s  %-*s  %s\n", width, "Type", nameWidth, "Name", "Plan")
	for _, l := range lines {
		col := l.prefix + l.typ
		pad := width - len([]rune(col))
		plan := "create"
		if l.op == ">" {
			plan = "read"
		}
		if l.info != "" {
			plan += "  " + l.info
		}
		fmt.Fprintf(&b, " %s   %s%s  %-*s  %s\n", l.op, col, strings.Repeat(" ", pad), nameWidth, l.name, plan)
	}
	b.WriteString("\nResources by type:\n")
	counts := p.CountByType()
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		fmt.Fprintf(&b, "    %4d  %s\n", counts[t], t)
	}
	creates, reads := 0, 0
	for _, r := range p.Resources {
		if r.Read {
			reads++
		} else {
			creates++
		}
	}
	b.WriteString("\nResources:\n")
	fmt.Fprintf(&b, "    + %d to create\n", creates)
	if reads > 0 {
		fmt.Fprintf(&b, "    > %d to read\n", reads)
	}
	fmt.Fprintf(&b, "    %d resources in total (the stack itself not counted)\n", len(p.Resources))
	_, err := io.WriteString(w, b.String())
	return err
}

// CountByType counts the plan's resources per type token.
func (p *Plan) CountByType() map[string]int {
	out := map[string]int{}
	for _, r := range p.Resources {
		out[r.Type]++
	}
	return out
}

func op(r *Resource) string {
	if r.Read {
		return ">"
	}
	return "+"
}

func info(r *Resource) string {
	var flags []string
	if r.Protect {
		flags = append(flags, "protected")
	}
	if r.RetainOnDelete {
		flags = append(flags, "retained on delete")
	}
	if len(flags) == 0 {
		return ""
	}
	return "[" + strings.Join(flags, ", ") + "]"
}
