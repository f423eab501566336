package plan

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Step is one resource on the critical path.
type Step struct {
	URN        string
	Type, Name string
	// Duration is the resource's own create time; Finish is when it is
	// done, counted from the start of `pulumi up`.
	Duration, Finish time.Duration
}

// CriticalPath is the longest chain of creations: the least time a
// `pulumi up` of the whole stack can take with unlimited parallelism.
type CriticalPath struct {
	Total time.Duration
	Steps []Step // first created first
}

// ComputeCriticalPath schedules every resource as early as Pulumi can:
// a resource starts when its dependencies are done and its parent exists.
// A dependency on a component waits for everything below the component; a
// component parent exists as soon as it is registered (components take no
// time). Durations come from CreateTime.
func (p *Plan) ComputeCriticalPath() (*CriticalPath, error) {
	byURN := p.ByURN()
	below := map[string][]string{}
	for _, r := range p.Resources {
		for parent := r.Parent; byURN[parent] != nil; parent = byURN[parent].Parent {
			below[parent] = append(below[parent], r.URN)
		}
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	finish := map[string]time.Duration{}
	start := map[string]time.Duration{}
	pred := map[string]string{} // URN -> the resource whose finish set its start
	var visit func(urn string, chain []string) error
	// ready is when what a dependent waits for on urn is done, and the
	// resource that decides it.
	ready := func(urn string, chain []string, asParent bool) (time.Duration, string, error) {
		r := byURN[urn]
		if r == nil {
			return 0, "", nil // the stack, or outside the plan
		}
		if err := visit(urn, chain); err != nil {
			return 0, "", err
		}
		if r.Custom {
			return finish[urn], urn, nil
		}
		if asParent {
			return start[urn], pred[urn], nil
		}
		t, by := start[urn], pred[urn]
		for _, d := range below[urn] {
			if err := visit(d, chain); err != nil {
				return 0, "", err
			}
			if finish[d] > t {
				t, by = finish[d], d
			}
		}
		return t, by, nil
	}
	visit = func(urn string, chain []string) error {
		switch state[urn] {
		case done:
			return nil
		case visiting:
			return fmt.Errorf("plan: dependency cycle: %s -> %s", strings.Join(chain, " -> "), urn)
		}
		state[urn] = visiting
		chain = append(chain, urn)
		r := byURN[urn]
		var t time.Duration
		by := ""
		waits := append([]string(nil), r.Dependencies...)
		for _, d := range waits {
			dt, dby, err := ready(d, chain, false)
			if err != nil {
				return err
			}
			if dt > t || (by == "" && dby != "" && dt == t) {
				t, by = dt, dby
			}
		}
		pt, pby, err := ready(r.Parent, chain, true)
		if err != nil {
			return err
		}
		if pt > t || (by == "" && pby != "" && pt == t) {
			t, by = pt, pby
		}
		start[urn], pred[urn] = t, by
		finish[urn] = t + CreateTime(r)
		state[urn] = done
		return nil
	}
	var last string
	for _, r := range p.Resources {
		if err := visit(r.URN, nil); err != nil {
			return nil, err
		}
		if last == "" || finish[r.URN] > finish[last] {
			last = r.URN
		}
	}
	cp := &CriticalPath{}
	if last == "" {
		return cp, nil
	}
	cp.Total = finish[last]
	for u := last; u != ""; u = pred[u] {
		r := byURN[u]
		if d := CreateTime(r); d > 0 {
			cp.Steps = append([]Step{{URN: u, Type: r.Type, Name: r.Name, Duration: d, Finish: finish[u]}}, cp.Steps...)
		}
	}
	return cp, nil
}

// WriteText prints the total and the chain, one resource per line.
func (cp *CriticalPath) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Critical path: %s (the least time `pulumi up` of this stack can take; typical create times, see internal/plan/createtimes.go)\n", formatDuration(cp.Total))
	for i, s := range cp.Steps {
		fmt.Fprintf(&b, "  %2d. %s %s  (%s, done at %s)\n", i+1, s.Type, s.Name, formatDuration(s.Duration), formatDuration(s.Finish))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func formatDuration(d time.Duration) string {
	d = d.Round(time.Second)
	m, s := int(d/time.Minute), int((d%time.Minute)/time.Second)
	switch {
	case m == 0:
		return fmt.Sprintf("%ds", s)
	case s == 0:
		return fmt.Sprintf("%dm", m)
	}
	return fmt.Sprintf("%dm%02ds", m, s)
}
