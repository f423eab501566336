package plan

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DiffSet names the two plan files of one stack to compare, or two
// directories of <stack>.json files.
type DiffSet struct {
	Stack    string // label; empty means the stack named in the plans
	Old, New string
}

// ParseDiffArgs reads the diff command line: an optional --markdown, then
// either OLD NEW (two files, or two directories) or one or more
// `--stack NAME OLD NEW` groups.
func ParseDiffArgs(args []string) (markdown bool, sets []DiffSet, err error) {
	var positional []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "--markdown", "-markdown":
			markdown = true
		case "--stack", "-stack":
			if i+3 >= len(args) || strings.HasPrefix(args[i+1], "-") {
				return false, nil, fmt.Errorf("--stack needs NAME OLD.json NEW.json")
			}
			sets = append(sets, DiffSet{Stack: args[i+1], Old: args[i+2], New: args[i+3]})
			i += 3
		default:
			if strings.HasPrefix(a, "-") {
				return false, nil, fmt.Errorf("unknown flag %s", a)
			}
			positional = append(positional, a)
		}
	}
	switch {
	case len(sets) > 0 && len(positional) > 0:
		return false, nil, fmt.Errorf("give either OLD NEW or --stack groups, not both (extra: %q)", positional)
	case len(sets) == 0 && len(positional) != 2:
		return false, nil, fmt.Errorf("want OLD NEW, got %d arguments", len(positional))
	case len(sets) == 0:
		sets = []DiffSet{{Old: positional[0], New: positional[1]}}
	}
	return markdown, sets, nil
}

// DiffFiles reads and compares each set. Two directories compare every
// <stack>.json found in either; a stack missing on one side is all
// creations (new stack) or all deletions.
func DiffFiles(sets []DiffSet) ([]*StackDiff, error) {
	var out []*StackDiff
	var errs []error
	for _, s := range sets {
		oldDir, newDir := isDir(s.Old), isDir(s.New)
		if oldDir != newDir {
			errs = append(errs, fmt.Errorf("%s and %s: both must be files or both directories", s.Old, s.New))
			continue
		}
		if oldDir {
			ds, err := diffDirs(s.Old, s.New)
			if err != nil {
				errs = append(errs, err)
			}
			out = append(out, ds...)
			continue
		}
		o, err1 := ReadFile(s.Old)
		n, err2 := ReadFile(s.New)
		if err := errors.Join(err1, err2); err != nil {
			errs = append(errs, err)
			continue
		}
		d := Diff(o, n)
		if s.Stack != "" {
			d.Stack = s.Stack
		}
		out = append(out, d)
	}
	return out, errors.Join(errs...)
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func diffDirs(oldDir, newDir string) ([]*StackDiff, error) {
	names := map[string]bool{}
	for _, dir := range []string{oldDir, newDir} {
		m, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			return nil, err
		}
		for _, f := range m {
			names[strings.TrimSuffix(filepath.Base(f), ".json")] = true
		}
	}
	stacks := make([]string, 0, len(names))
	for n := range names {
		stacks = append(stacks, n)
	}
	sort.Strings(stacks)
	var out []*StackDiff
	var errs []error
	for _, st := range stacks {
		read := func(dir string) (*Plan, error) {
			p := filepath.Join(dir, st+".json")
			if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
				return nil, nil
			}
			return ReadFile(p)
		}
		o, err1 := read(oldDir)
		n, err2 := read(newDir)
		if err := errors.Join(err1, err2); err != nil {
			errs = append(errs, err)
			continue
		}
		d := Diff(o, n)
		d.Stack = st
		out = append(out, d)
	}
	return out, errors.Join(errs...)
}

// WriteFileAtomic writes through a temporary file and renames it, so a
// failed render never leaves a broken file behind.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if err := write(f); err != nil {
		f.Close()
		_ = os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
