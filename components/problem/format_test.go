package problem_test

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestComponentErrorsKeepTheFormat keeps the one format from drifting
// back: no fmt.Errorf or errors.New in a component package (every package
// under aws/ and onprem/, and any other that registers a
// ComponentResource) starts its text with a bare component prefix, the
// old `database: ...`, `transit: %s: ...` or `network %s: ...`. An error
// of an instance goes through problem.Errorf (or a problem.List), which
// writes `database "orders": ...`; a message without such a prefix (one
// a caller wraps, a pure check's) is fine.
func TestComponentErrorsKeepTheFormat(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	files := map[string][]*ast.File{} // by directory, relative to root
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
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = append(files[filepath.ToSlash(rel)], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	var dirs []string
	names := map[string]bool{} // the component packages' names: the old prefixes
	for dir, fs := range files {
		if strings.HasPrefix(dir, "aws/") || dir == "onprem" || slices.ContainsFunc(fs, registersComponent) {
			dirs = append(dirs, dir)
			names[fs[0].Name.Name] = true
		}
	}
	sort.Strings(dirs)
	for _, want := range []string{"aws/database", "aws/transit", "onprem", "components/day2"} {
		if !slices.Contains(dirs, want) {
			t.Fatalf("%s is not among the component packages found (%v): the walk is broken", want, dirs)
		}
	}
	words := slices.Sorted(func(yield func(string) bool) {
		for n := range names {
			if !yield(regexp.QuoteMeta(n)) {
				return
			}
		}
	})
	// A component's name, maybe an instance formatted by hand, then ": ".
	old := regexp.MustCompile(`^(` + strings.Join(words, "|") + `)( %[sqv])?: `)

	checked := 0
	for _, dir := range dirs {
		for _, f := range files[dir] {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				if isCall(call, "problem", "Errorf") {
					checked++ // the format itself
					return true
				}
				if !isCall(call, "fmt", "Errorf") && !isCall(call, "errors", "New") {
					return true
				}
				text, ok := stringConstant(call.Args[0])
				if !ok {
					return true
				}
				checked++
				if m := old.FindString(text); m != "" {
					t.Errorf("%s: %q starts with the bare component prefix %q: use problem.Errorf(component, name, ...), which writes `<component> \"<name>\": ...`",
						fset.Position(call.Pos()), text, m)
				}
				return true
			})
		}
	}
	t.Logf("checked %d error texts in %d component packages: %v", checked, len(dirs), dirs)
	if checked < 50 {
		t.Errorf("checked only %d error texts in %v: the walk misses the components' errors", checked, dirs)
	}
}

// registersComponent reports whether f calls RegisterComponentResource.
func registersComponent(f *ast.File) bool {
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "RegisterComponentResource" {
			found = true
		}
		return !found
	})
	return found
}

// isCall reports whether call is pkg.fn(...).
func isCall(call *ast.CallExpr, pkg, fn string) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != fn {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}

// stringConstant is the value of a string literal, or of literals joined
// with +.
func stringConstant(e ast.Expr) (string, bool) {
	tv, err := types.Eval(token.NewFileSet(), nil, token.NoPos, types.ExprString(e))
	if err != nil || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}
