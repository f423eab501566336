package lab

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
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
var wrkArgs = []string{"-t2", "-c16", "-d10s", "--latency"}

// BenchmarkConnectors measures the dynamic page with wrk: Tomcat served
// directly, through one web server with each connector, and the full path
// (VIP -> HAProxy -> httpd -> Tomcat). It runs once (about 2 minutes);
// only `go test -bench Connectors` runs it, never a plain `go test`.
//
// The lab's Tomcats run the proxy_ajp topology's server.xml (HTTP and AJP
// connectors, one AJP secret); web1's httpd is reconfigured with each
// connector's files from roles.Files.
func BenchmarkConnectors(b *testing.B) {
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		b.Fatal(err)
	}
	ajpSecret := hex.EncodeToString(secret)
	l := Start(b, Options{Connector: httpd.ProxyAJP, AJPSecret: ajpSecret})
	realtool.Need(b, "wrk")
	web1, app1 := l.Node("web1"), l.Node("app1")

	type row struct {
		path string
		wrk  wrkResult
	}
	var rows []row
	measure := func(path, url string) {
		r, err := l.wrk(url)
		if err != nil {
			b.Fatal(err)
		}
		rows = append(rows, row{path, r})
	}
	for i := 0; i < b.N; i++ {
		rows = nil
		measure("Tomcat directly (app1:8080)", fmt.Sprintf("http://%s:%d%s", app1.Host.IP(), roles.AppHTTPPort, tomcat.HelloPath))
		for _, c := range httpd.Connectors {
			secret := ajpSecret
			if c == httpd.ProxyHTTP {
				secret = ""
			}
			l.reconfigureWeb(b, web1, c, secret)
			measure("httpd (web1) -> Tomcat x2, "+string(c), "http://"+web1.Host.IP()+tomcat.HelloPath)
		}
		// web1 is proxy_http now; so must web2 be for the default full path.
		l.reconfigureWeb(b, l.Node("web2"), httpd.ProxyHTTP, "")
		measure("VIP -> HAProxy -> httpd x2 (proxy_http) -> Tomcat x2", "http://"+VIP+tomcat.HelloPath)
	}
	b.StopTimer()
	var t strings.Builder
	fmt.Fprintf(&t, "| Path (GET %s, wrk %s) | Requests/s | p50 | p99 | Errors |\n|---|---|---|---|---|\n", tomcat.HelloPath, strings.Join(wrkArgs[:3], " "))
	for _, r := range rows {
		fmt.Fprintf(&t, "| %s | %.0f | %s | %s | %d |\n", r.path, r.wrk.rps, r.wrk.p50, r.wrk.p99, r.wrk.errors)
	}
	b.Logf("connector table:\n<!-- bench-table -->\n%s<!-- /bench-table -->", t.String())
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
	p50, p99 string
	errors   int // non-2xx/3xx responses and socket errors
}

var (
	rpsRE     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	pctRE     = regexp.MustCompile(`(?m)^\s+(50|99)%\s+(\S+)`)
	non2xxRE  = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	socketsRE = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
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
			want: wrkResult{rps: 6838.31, p50: "1.93ms", p99: "10.12ms"},
		},
		"errors": {
			out:  header + latency + "  100 requests in 10.00s\n  Socket errors: connect 1, read 2, write 0, timeout 3\n  Non-2xx or 3xx responses: 4\nRequests/sec:     10.00\n",
			want: wrkResult{rps: 10, p50: "1.93ms", p99: "10.12ms", errors: 10},
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
