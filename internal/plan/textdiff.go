package plan

import (
	"fmt"
	"strings"
)

// maxTextLines bounds the line diff of multi-line values (user-data,
// rendered configuration files); longer texts are summarised instead.
const (
	maxTextLines     = 2000
	maxShownLineDiff = 40
)

// lineDiff returns the changed lines of two multi-line texts as "- old"
// and "+ new" entries, in order (a longest-common-subsequence diff), or nil
// when either text is not multi-line or too long to compare.
func lineDiff(a, b string) []string {
	if !strings.Contains(a, "\n") && !strings.Contains(b, "\n") {
		return nil
	}
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(x) > maxTextLines || len(y) > maxTextLines {
		return nil
	}
	// lcs[i][j] is the LCS length of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			i++
			j++
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			// Removals before additions, as diff(1) prints them.
			out = append(out, "- "+x[i])
			i++
		default:
			out = append(out, "+ "+y[j])
			j++
		}
	}
	if len(out) > maxShownLineDiff {
		more := len(out) - maxShownLineDiff
		out = append(out[:maxShownLineDiff], fmt.Sprintf("… %d more changed lines", more))
	}
	return out
}
