package account_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The AWS rules table (aws/RULES.md) lists, for every AWS resource type the
// project registers, the provider's and AWS's rules, each with its source
// and the check that enforces it. This test keeps the table honest: every
// registered type has rows, every row names a source, and every check it
// names exists in the code (or says why the rule cannot be checked
// offline).

type ruleRow struct {
	line                      int
	typ, rule, source, checks string
}

var (
	backtick = regexp.MustCompile("`([^`]+)`")
	ident    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)
)

func readRulesTable(t *testing.T) []ruleRow {
	t.Helper()
	f, err := os.Open(filepath.Join(projectDir, "aws", "RULES.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var rows []ruleRow
	inTable := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "| resource type | rule | source | check |":
			inTable = true
			continue
		case !strings.HasPrefix(l, "|"):
			inTable = false
			continue
		case !inTable || strings.HasPrefix(l, "|---"):
			continue
		}
		cells := strings.Split(strings.Trim(l, "|"), "|")
		if len(cells) != 4 {
			t.Errorf("aws/RULES.md:%d: %d cells, want 4 (escape | inside a cell): %s", n, len(cells), l)
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, ruleRow{n, cells[0], cells[1], cells[2], cells[3]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// goFuncs are the names of every function and method declared in the
// repo's Go files.
func goFuncs(t *testing.T) map[string]bool {
	t.Helper()
	decl := regexp.MustCompile(`(?m)^func (?:\([^)]*\) )?([A-Za-z_][A-Za-z0-9_]*)[\[(]`)
	out := map[string]bool{}
	err := filepath.WalkDir(projectDir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != projectDir {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range decl.FindAllStringSubmatch(string(b), -1) {
			out[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRulesTableCoversEveryTypeWithASourceAndACheck(t *testing.T) {
	t.Parallel()
	rows := readRulesTable(t)
	funcs := goFuncs(t)
	covered := map[string]int{}
	for _, r := range rows {
		types := backtick.FindAllStringSubmatch(r.typ, -1)
		if len(types) != 1 || !strings.HasPrefix(types[0][1], "aws:") {
			t.Errorf("aws/RULES.md:%d: resource type %q: want one `aws:...` token", r.line, r.typ)
			continue
		}
		covered[types[0][1]]++
		if len(r.rule) < 10 || len(r.source) < 10 {
			t.Errorf("aws/RULES.md:%d: %s: a row needs a rule and its source", r.line, types[0][1])
		}
		ids := backtick.FindAllStringSubmatch(r.checks, -1)
		if strings.HasPrefix(r.checks, "not offline:") {
			if len(strings.TrimSpace(strings.TrimPrefix(r.checks, "not offline:"))) < 10 {
				t.Errorf("aws/RULES.md:%d: say why the rule cannot be checked offline", r.line)
			}
		} else if len(ids) == 0 {
			t.Errorf("aws/RULES.md:%d: %s: no check named (a backticked function or test, or \"not offline: why\")", r.line, types[0][1])
		}
		for _, id := range ids {
			if !ident.MatchString(id[1]) {
				t.Errorf("aws/RULES.md:%d: check %q is not a Go identifier", r.line, id[1])
				continue
			}
			parts := strings.Split(id[1], ".")
			if name := parts[len(parts)-1]; !funcs[name] {
				t.Errorf("aws/RULES.md:%d: check %q: no function or method %s in the repo", r.line, id[1], name)
			}
		}
	}
	golden, err := filepath.Glob(filepath.Join(projectDir, "stacks", "testdata", "*.golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range golden {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			typ, _, _ := strings.Cut(l, " ")
			if strings.HasPrefix(typ, "aws:") && covered[typ] == 0 {
				t.Errorf("%s registers %s, which aws/RULES.md has no row for", filepath.Base(g), typ)
				covered[typ] = -1 // once
			}
		}
	}
}
