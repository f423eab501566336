package pulumicli

import (
	"fmt"
	"regexp"
	"strings"
)

// DeploySteps are the commands of the README's deploy block (between
// <!-- deploy-steps --> and <!-- /deploy-steps -->), one per line, with
// the shell comments cut off.
func DeploySteps(readme string) ([]string, error) {
	block, err := section(readme, "deploy-steps")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(block, "\n") {
		if i := strings.Index(l, "#"); i >= 0 {
			l = l[:i]
		}
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "pulumi ") {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("README: no pulumi commands between the deploy-steps markers")
	}
	return out, nil
}

// StackSettings is one row of the README's stack-settings table: the
// config an operator sets in a shipped stack before a preview.
type StackSettings struct {
	Stack  string
	Plain  []string
	Secret []string
}

var backticked = regexp.MustCompile("`([^`]+)`")

// ReadStackSettings reads the README's stack-settings table.
func ReadStackSettings(readme string) (map[string]StackSettings, error) {
	block, err := section(readme, "stack-settings")
	if err != nil {
		return nil, err
	}
	out := map[string]StackSettings{}
	for _, l := range strings.Split(block, "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(l), "|"), "|")
		if len(cells) < 3 || strings.HasPrefix(strings.TrimSpace(cells[0]), "---") || strings.TrimSpace(cells[0]) == "stack" {
			continue
		}
		names := func(cell string) []string {
			var ks []string
			for _, m := range backticked.FindAllStringSubmatch(cell, -1) {
				ks = append(ks, m[1])
			}
			return ks
		}
		stack := names(cells[0])
		if len(stack) != 1 {
			return nil, fmt.Errorf("README stack-settings: row %q names no stack", l)
		}
		out[stack[0]] = StackSettings{Stack: stack[0], Plain: names(cells[1]), Secret: names(cells[2])}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("README: no rows between the stack-settings markers")
	}
	return out, nil
}

func section(readme, name string) (string, error) {
	open, closing := "<!-- "+name+" -->", "<!-- /"+name+" -->"
	i := strings.Index(readme, open)
	j := strings.Index(readme, closing)
	if i < 0 || j < i {
		return "", fmt.Errorf("README: no %s ... %s section", open, closing)
	}
	return readme[i+len(open) : j], nil
}
