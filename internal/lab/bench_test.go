package lab

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/components/tomcat"
	"github.com/hawebtier/hawebtier/internal/realtool"
)

// wrk settings of the benchmark: bounded in time and connections.
var wrkArgs = []string{"-t2", "-c16", "-d8s", "--latency"}

// benchRounds is how many times every path is measured; the table shows
// the median round of each. The paths take turns within a round, so a
// change of the machine's load (the two cores are shared by wrk and every
// daemon) falls on all of them alike.
const benchRounds = 3

// BenchmarkConnectors measures the dynamic page with wrk: Tomcat served
// directly, through one web server with each connector, and the full path
// (VIP -> HAProxy -> httpd -> Tomcat). It runs once (about 4 minutes);
// only `go test -bench Connectors` runs it, never a plain `go test`.
//
// The lab's Tomcats run the proxy_ajp topology's server.xml (HTTP and AJP
// connectors, one AJP secret); web1's httpd is reconfigured with each
// connector's files from roles.Files. Every path is warmed up first (the
// JVM compiles the page's code under load), then measured benchRounds
// times.
func BenchmarkConnectors(b *testing.B) {
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		b.Fatal(err)
	}
	ajpSecret := hex.EncodeToString(secret)
	l := Start(b, Options{Connector: httpd.ProxyAJP, AJPSecret: ajpSecret})
	realtool.Need(b, "wrk")
	web1, app1 := l.Node("web1"), l.Node("app1")

	direct := fmt.Sprintf("http://%s:%d%s", app1.Host.IP(), roles.AppHTTPPort, tomcat.HelloPath)
	// A benchPath is measured at url after setUp configures the lab for it.
	type benchPath struct {
		name, url string
		setUp     func()
	}
	paths := []benchPath{{name: "Tomcat directly (app1:8080)", url: direct, setUp: func() {}}}
	for _, c := range httpd.Connectors {
		secret := ajpSecret
		if c == httpd.ProxyHTTP {
			secret = ""
		}
		paths = append(paths, benchPath{"httpd (web1) -> Tomcat x2, " + string(c), "http://" + web1.Host.IP() + tomcat.HelloPath, func() { l.reconfigureWeb(b, web1, c, secret) }})
	}
	paths = append(paths, benchPath{"VIP -> HAProxy -> httpd x2 (proxy_http) -> Tomcat x2", "http://" + VIP + tomcat.HelloPath, func() {
		// The default full path: both web servers on proxy_http.
		l.reconfigureWeb(b, web1, httpd.ProxyHTTP, "")
		l.reconfigureWeb(b, l.Node("web2"), httpd.ProxyHTTP, "")
	}})

	results := make([][]wrkResult, len(paths))
	for i := 0; i < b.N; i++ {
		for _, a := range l.App {
			if _, err := l.wrk(fmt.Sprintf("http://%s:%d%s", a.Host.IP(), roles.AppHTTPPort, tomcat.HelloPath)); err != nil {
				b.Fatal(err)
			}
		}
		for round := 0; round < benchRounds; round++ {
			for j, p := range paths {
				p.setUp()
				before := l.cpuByProgram()
				r, err := l.wrk(p.url)
				if err != nil {
					b.Fatal(err)
				}
				r.cpu = cpuPerRequest(before, l.cpuByProgram(), r.requests)
				results[j] = append(results[j], r)
			}
		}
	}
	b.StopTimer()
	medians := make([]wrkResult, len(paths))
	var t strings.Builder
	fmt.Fprintf(&t, "| Path (GET %s, wrk %s, median of %d rounds) | Requests/s | p50 | p99 | Errors | Rounds (requests/s) |\n|---|---|---|---|---|---|\n",
		tomcat.HelloPath, strings.Join(wrkArgs[:3], " "), benchRounds)
	for j, p := range paths {
		medians[j] = median(results[j])
		var all []string
		for _, r := range results[j] {
			all = append(all, fmt.Sprintf("%.0f", r.rps))
		}
		m := medians[j]
		fmt.Fprintf(&t, "| %s | %.0f | %s | %s | %d | %s |\n", p.name, m.rps, m.p50, m.p99, m.errors, strings.Join(all, ", "))
		b.Logf("CPU per request, %s: %s", p.name, m.cpu)
	}
	byName := map[string]float64{}
	for j, p := range paths {
		byName[p.name] = medians[j].rps
	}
	fmt.Fprintf(&t, "\nproxy_http / jk = %.2f; full path / Tomcat directly = %.2f\n",
		byName[paths[1].name]/byName[paths[3].name], byName[paths[4].name]/byName[paths[0].name])
	b.Logf("connector table:\n<!-- bench-table -->\n%s<!-- /bench-table -->", t.String())
}

// median is the round with the median requests/s.
func median(rs []wrkResult) wrkResult {
	sorted := append([]wrkResult(nil), rs...)
	slices.SortFunc(sorted, func(a, b wrkResult) int { return cmp.Compare(a.rps, b.rps) })
	return sorted[len(sorted)/2]
}

// reconfigureWeb installs web's files for connector, checks them with
// their validators, restarts httpd and waits until both app servers
// answer through it.
func (l *Lab) reconfigureWeb(b *testing.B, web *Node, connector httpd.Connector, secret string) {
	b.Helper()
	topo := Topology(connector, secret)
	idx := map[string]int{"web1": 0, "web2": 1}[web.Name]
	files, err := roles.Files(topo, roles.Web, idx)
	if err != nil {
		b.Fatal(err)
	}
	web.Stop("apache2", 10*time.Second)
	if err := web.Install(files); err != nil {
		b.Fatal(err)
	}
	if err := web.Check(); err != nil {
		b.Fatal(err)
	}
	l.StartHTTPD(web)
	for _, a := range l.App {
		if _, err := l.WaitPage("http://"+web.Host.IP()+tomcat.HelloPath, "hello from "+a.Name, 60*time.Second); err != nil {
			b.Fatalf("%s with %s: %v", web.Name, connector, err)
		}
	}
}

type wrkResult struct {
	rps      float64
	requests int
	p50, p99 string
	errors   int    // non-2xx/3xx responses and socket errors
	cpu      string // CPU time per request by program, e.g. "java 41us, apache2 90us"
}

// cpuByProgram sums user+system CPU time of every process of the lab's
// namespaces (the client's wrk included) by command name.
func (l *Lab) cpuByProgram() map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, h := range l.Net.Hosts() {
		pids, err := exec.Command("ip", "netns", "pids", h.Name).Output()
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(pids)) {
			stat, err := os.ReadFile("/proc/" + f + "/stat")
			if err != nil {
				continue
			}
			// comm is in parentheses and may hold spaces; the fields after
			// it are space-separated: utime and stime are 14 and 15.
			s := string(stat)
			open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
			if open < 0 || closing < open {
				continue
			}
			fields := strings.Fields(s[closing+1:])
			if len(fields) < 13 {
				continue
			}
			ut, _ := strconv.Atoi(fields[11])
			st, _ := strconv.Atoi(fields[12])
			out[s[open+1:closing]] += time.Duration(ut+st) * 10 * time.Millisecond // USER_HZ 100
		}
	}
	return out
}

// cpuPerRequest is the CPU each program spent per request between two
// cpuByProgram readings, the largest first.
func cpuPerRequest(before, after map[string]time.Duration, requests int) string {
	if requests == 0 {
		return "-"
	}
	type use struct {
		prog string
		d    time.Duration
	}
	var uses []use
	for prog, d := range after {
		if per := (d - before[prog]) / time.Duration(requests); per > 0 {
			uses = append(uses, use{prog, per})
		}
	}
	slices.SortFunc(uses, func(a, b use) int { return cmp.Compare(b.d, a.d) })
	var parts []string
	for _, u := range uses {
		parts = append(parts, fmt.Sprintf("%s %v", u.prog, u.d.Round(time.Microsecond)))
	}
	return strings.Join(parts, ", ")
}

var (
	rpsRE      = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	requestsRE = regexp.MustCompile(`(?m)^\s+(\d+) requests in `)
	pctRE      = regexp.MustCompile(`(?m)^\s+(50|99)%\s+(\S+)`)
	non2xxRE   = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	socketsRE  = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

// wrk runs wrk from the client host against url and parses its summary.
func (l *Lab) wrk(url string) (wrkResult, error) {
	args := append(append([]string{"wrk"}, wrkArgs...), url)
	out, err := l.Client.Cmd(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %w\n%s", url, err, out)
	}
	return parseWrk(string(out))
}

func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	m := rpsRE.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("wrk: no Requests/sec in:\n%s", out)
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	if m := requestsRE.FindStringSubmatch(out); m != nil {
		r.requests, _ = strconv.Atoi(m[1])
	}
	for _, p := range pctRE.FindAllStringSubmatch(out, -1) {
		if p[1] == "50" {
			r.p50 = p[2]
		} else {
			r.p99 = p[2]
		}
	}
	if m := non2xxRE.FindStringSubmatch(out); m != nil {
		n, _ := strconv.Atoi(m[1])
		r.errors += n
	}
	if m := socketsRE.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.errors += n
		}
	}
	return r, nil
}

func TestParseWrk(t *testing.T) {
	t.Parallel()
	const header = "Running 10s test @ http://10.98.0.21/app/hello.jsp\n  2 threads and 16 connections\n"
	const latency = "  Latency Distribution\n     50%    1.93ms\n     75%    2.61ms\n     90%    3.52ms\n     99%   10.12ms\n"
	tests := map[string]struct {
		out     string
		want    wrkResult
		wantErr bool
	}{
		"clean": {
			out:  header + latency + "  68390 requests in 10.00s, 15.72MB read\nRequests/sec:   6838.31\nTransfer/sec:      1.57MB\n",
			want: wrkResult{rps: 6838.31, requests: 68390, p50: "1.93ms", p99: "10.12ms"},
		},
		"errors": {
			out:  header + latency + "  100 requests in 10.00s\n  Socket errors: connect 1, read 2, write 0, timeout 3\n  Non-2xx or 3xx responses: 4\nRequests/sec:     10.00\n",
			want: wrkResult{rps: 10, requests: 100, p50: "1.93ms", p99: "10.12ms", errors: 10},
		},
		"no summary": {out: "unable to connect to 10.98.0.21:80 Connection refused\n", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := parseWrk(tc.out)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err == nil && got != tc.want {
				t.Errorf("parseWrk = %+v, want %+v", got, tc.want)
			}
		})
	}
}
