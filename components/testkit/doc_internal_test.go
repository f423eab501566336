package testkit

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestDocListsExactlyTheTokensAnswered: doc.go promises users the outputs
// each component can read; a token it names without an answer, or an
// answer it does not name, is a promise that has drifted from the code.
func TestDocListsExactlyTheTokensAnswered(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	// Tokens are written whole in the doc (module/member:Name), so a
	// token's prefix in a sentence ("aws:*") does not count.
	re := regexp.MustCompile(`\b(?:aws|vsphere|random|command):[A-Za-z0-9]+(?:/[A-Za-z0-9]+)?:[A-Za-z0-9]+\b`)
	documented := map[string]bool{}
	for _, tok := range re.FindAllString(string(src), -1) {
		documented[tok] = true
	}
	if len(documented) < 30 {
		t.Fatalf("found %d tokens in doc.go; the pattern is broken", len(documented))
	}
	registryMu.RLock()
	answered := map[string]bool{}
	for tok := range states {
		if !strings.HasSuffix(tok, "*") {
			answered[tok] = true
		}
	}
	for tok := range invokes {
		answered[tok] = true
	}
	registryMu.RUnlock()
	for _, tok := range sortedKeys(documented) {
		if !answered[tok] {
			t.Errorf("doc.go names %s, which the kit does not answer", tok)
		}
	}
	for _, tok := range sortedKeys(answered) {
		if !documented[tok] {
			t.Errorf("the kit answers %s, which doc.go does not name", tok)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
