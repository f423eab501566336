package lab

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Load is a bounded, fixed-rate load: exactly Rate*Duration GET requests,
// request i sent at start + i/Rate whether or not earlier ones have
// answered (an open model, like independent users). A request fails on a
// transport error or timeout, a status other than 200, or a body without
// Expect.
type Load struct {
	Client   *http.Client
	URL      string
	Rate     int           // requests per second
	Duration time.Duration // the load sends Rate*Duration requests
	Expect   string        // a substring of every good body, e.g. "hello from"
}

// Failure is one failed request.
type Failure struct {
	At     time.Time // when it was sent
	Reason string
}

// Result counts what a load got.
type Result struct {
	// Planned is Rate*Duration; Sent counts the requests that ended
	// (answered, failed or timed out): Wait returns only when they match.
	Planned, Sent, OK int
	Failures          []Failure
	// Latencies of the successful requests, sorted.
	Latencies []time.Duration
	Start     time.Time
}

// Failed is the number of failed requests.
func (r Result) Failed() int { return len(r.Failures) }

// Percentile returns the p-th percentile (0-100) of the successful
// requests' latencies.
func (r Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(r.Latencies)-1))
	return r.Latencies[i]
}

// Reasons summarises the failures: reason -> count, as "reason xN, ...".
func (r Result) Reasons() string {
	m := map[string]int{}
	for _, f := range r.Failures {
		m[f.Reason]++
	}
	var out []string
	for k, v := range m {
		out = append(out, fmt.Sprintf("%s x%d", k, v))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// Running is a load in progress.
type Running struct {
	done chan struct{}
	res  Result
}

// Start begins the load in the background; Wait returns its result once
// every request has ended (at most Duration plus the client's timeout).
func (l Load) Start() *Running {
	r := &Running{done: make(chan struct{})}
	n := int(l.Duration.Seconds() * float64(l.Rate))
	interval := time.Second / time.Duration(l.Rate)
	start := time.Now()
	r.res.Start = start
	r.res.Planned = n
	go func() {
		defer close(r.done)
		var (
			mu sync.Mutex
			wg sync.WaitGroup
		)
		for i := 0; i < n; i++ {
			time.Sleep(time.Until(start.Add(time.Duration(i) * interval)))
			wg.Add(1)
			go func() {
				defer wg.Done()
				at := time.Now()
				reason := l.one()
				took := time.Since(at)
				mu.Lock()
				defer mu.Unlock()
				r.res.Sent++
				if reason == "" {
					r.res.OK++
					r.res.Latencies = append(r.res.Latencies, took)
				} else {
					r.res.Failures = append(r.res.Failures, Failure{At: at, Reason: reason})
				}
			}()
		}
		wg.Wait()
		sort.Slice(r.res.Latencies, func(i, j int) bool { return r.res.Latencies[i] < r.res.Latencies[j] })
		sort.Slice(r.res.Failures, func(i, j int) bool { return r.res.Failures[i].At.Before(r.res.Failures[j].At) })
	}()
	return r
}

// one sends one request and returns why it failed, or "".
func (l Load) one() string {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, l.URL, nil)
	if err != nil {
		return err.Error()
	}
	resp, err := l.Client.Do(req)
	if err != nil {
		return errorKind(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	switch {
	case err != nil:
		return "body: " + errorKind(err)
	case resp.StatusCode != http.StatusOK:
		return fmt.Sprintf("status %d", resp.StatusCode)
	case !strings.Contains(string(body), l.Expect):
		return "unexpected body"
	}
	return ""
}

// errorKind shortens a transport error to its kind, so failures group.
func errorKind(err error) string {
	s := err.Error()
	for _, k := range []string{"connection refused", "connection reset", "timeout", "Client.Timeout", "EOF", "no route to host"} {
		if strings.Contains(s, k) {
			return k
		}
	}
	return s
}

// Wait returns the result once every request has ended.
func (r *Running) Wait() Result {
	<-r.done
	return r.res
}
