package layout_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// internalPath reports whether an import path has an internal segment: a
// package another module cannot import (Go's internal rule).
func internalPath(path string) bool {
	for _, seg := range strings.Split(path, "/") {
		if seg == "internal" {
			return true
		}
	}
	return false
}

// TestExamplesImportOnlyPublicPackages: an Example is documentation a user
// pastes into their own program, in their own module, where an internal
// package does not compile. Examples of internal packages (internal/lab,
// internal/plan) document themselves and are exempt; the importer module
// under internal/examples is a user's program, so all its files are held
// to the rule.
func TestExamplesImportOnlyPublicPackages(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	importer := filepath.Join(root, "internal", "examples", "importer")
	fset := token.NewFileSet()
	examples, importerFiles := 0, 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		inImporter := strings.HasPrefix(path, importer+string(filepath.Separator))
		underInternal := internalPath(filepath.ToSlash(filepath.Dir(rel)))
		if !inImporter && (underInternal || !strings.HasSuffix(path, "_test.go")) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if inImporter {
			importerFiles++
		} else if !hasExample(f) {
			return nil
		} else {
			examples++
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			if internalPath(p) {
				t.Errorf("%s imports %s: a user's program cannot; use public packages (components/testkit for the mock engine)", rel, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Twelve component packages have examples, and the renderers more.
	if examples < 12 {
		t.Errorf("checked %d files with examples: the walk missed them", examples)
	}
	if importerFiles < 2 {
		t.Errorf("checked %d files of the importer module (main.go, main_test.go)", importerFiles)
	}
}

func hasExample(f *ast.File) bool {
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Example") {
			return true
		}
	}
	return false
}

// TestTestkitCompilesNoProviderSDK: the kit answers by token strings so
// that a test importing it compiles only the Pulumi SDK and whatever the
// component under test already needs.
func TestTestkitCompilesNoProviderSDK(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "./../../components/testkit").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	providers := []string{"pulumi-aws", "pulumi-vsphere", "pulumi-command", "pulumi-random"}
	for _, d := range deps {
		for _, p := range providers {
			if strings.HasPrefix(d, "github.com/pulumi/"+p+"/") {
				t.Errorf("components/testkit depends on %s", d)
			}
		}
		if strings.HasPrefix(d, module+"/") && d != module+"/components/testkit" {
			t.Errorf("components/testkit depends on %s", d)
		}
	}
	if len(deps) < 20 {
		t.Errorf("%d dependencies: not the list of the kit's imports", len(deps))
	}
}
