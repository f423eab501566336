// Command mutate is CI's mutation step: it applies each mutation of
// mutations.txt to the working tree, one at a time, runs the tests of the
// packages the mutation names, and restores the file. A mutation none of
// those tests notices survives: the step lists the survivors and fails.
//
//	go run ./.ci/mutate [-list .ci/mutate/mutations.txt]
//
// Run it from the repository root on a clean checkout (CI's clone): it
// refuses files with uncommitted changes, since it rewrites them.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

type mutation struct {
	line           int
	file, from, to string
	packages       []string
}

func main() {
	list := flag.String("list", ".ci/mutate/mutations.txt", "the mutations")
	flag.Parse()
	muts, err := read(*list)
	if err != nil {
		fail(err)
	}
	var survivors []string
	for i, m := range muts {
		start := time.Now()
		caught, err := try(m)
		if err != nil {
			fail(fmt.Errorf("%s:%d: %w", *list, m.line, err))
		}
		verdict := "caught"
		if !caught {
			verdict = "SURVIVED"
			survivors = append(survivors, fmt.Sprintf("%s:%d %s: %q -> %q", *list, m.line, m.file, m.from, m.to))
		}
		fmt.Printf("mutation %d/%d (%s:%d) of %s: %s in %s\n", i+1, len(muts), *list, m.line, m.file, verdict, time.Since(start).Round(time.Second))
	}
	if len(survivors) > 0 {
		fmt.Printf("%d of %d mutations survived (no test of their packages failed):\n  %s\n", len(survivors), len(muts), strings.Join(survivors, "\n  "))
		os.Exit(1)
	}
	fmt.Printf("%d passed, 0 failed: every mutation was caught by a test\n", len(muts))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mutate:", err)
	os.Exit(2)
}

// try applies m, runs its packages' tests and restores the file. It
// reports whether a test failed.
func try(m mutation) (bool, error) {
	if out, err := exec.Command("git", "diff", "--quiet", "--", m.file).CombinedOutput(); err != nil {
		return false, fmt.Errorf("%s has uncommitted changes (or is not in git): %s", m.file, out)
	}
	orig, err := os.ReadFile(m.file)
	if err != nil {
		return false, err
	}
	if n := strings.Count(string(orig), m.from); n != 1 {
		return false, fmt.Errorf("%s: the text to replace occurs %d times, want once: %q", m.file, n, m.from)
	}
	mutated := strings.Replace(string(orig), m.from, m.to, 1)
	if err := os.WriteFile(m.file, []byte(mutated), 0o644); err != nil {
		return false, err
	}
	defer func() { _ = os.WriteFile(m.file, orig, 0o644) }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", append([]string{"test", "-count=1", "-timeout", "8m"}, m.packages...)...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return false, nil
	case strings.Contains(string(out), "[build failed]") || strings.Contains(string(out), "[setup failed]"):
		// A mutation must be a program that builds: one that does not
		// tests nothing.
		return false, fmt.Errorf("the mutated code does not build:\n%s", out)
	case errors.As(err, &exit) && strings.Contains(string(out), "FAIL"):
		return true, nil
	}
	return false, fmt.Errorf("go test: %v\n%s", err, out)
}

func read(path string) ([]mutation, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	var muts []mutation
	var block []string
	start := 0
	flush := func() error {
		if len(block) == 0 {
			return nil
		}
		if len(block) != 4 {
			return fmt.Errorf("%s:%d: a mutation is 4 lines (file, text, replacement, packages), got %d", path, start, len(block))
		}
		nl := func(s string) string { return strings.ReplaceAll(s, `\n`, "\n") }
		muts = append(muts, mutation{line: start, file: block[0], from: nl(block[1]), to: nl(block[2]), packages: strings.Fields(block[3])})
		block = nil
		return nil
	}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "#"):
		case strings.TrimSpace(l) == "":
			if err := flush(); err != nil {
				return nil, err
			}
		default:
			if len(block) == 0 {
				start = n
			}
			block = append(block, l)
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return muts, sc.Err()
}
