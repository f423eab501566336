package mocktest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ConfigCase is one project + stack file pair and what the Pulumi CLI says
// of it: "ok", or the text of the error it stops with before the program
// runs. The harness (LoadStack) and the real CLI are both tested on every
// case, so the harness refuses exactly what the CLI refuses.
type ConfigCase struct {
	Name string
	Dir  string // holds Pulumi.yaml and stacks/Pulumi.s.yaml (stack "s")
	Want string
}

// ConfigCases reads the cases under dir, one sub-directory each with a
// want.txt.
func ConfigCases(dir string) ([]ConfigCase, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("config cases: %w", err)
	}
	var out []ConfigCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		want, err := os.ReadFile(filepath.Join(dir, e.Name(), "want.txt"))
		if err != nil {
			return nil, fmt.Errorf("config case %q: %w", e.Name(), err)
		}
		out = append(out, ConfigCase{Name: e.Name(), Dir: filepath.Join(dir, e.Name()), Want: strings.TrimSpace(string(want))})
	}
	return out, nil
}
