package lab

import (
	"fmt"

	"github.com/hawebtier/hawebtier/components/httpd"
	"github.com/hawebtier/hawebtier/components/monitoring"
	"github.com/hawebtier/hawebtier/components/roles"
	"github.com/hawebtier/hawebtier/components/tomcat"
)

// Addresses of the lab, in 10.98.0.0/24 inside its namespaces.
const (
	VIP       = "10.98.0.10"
	PrefixLen = 24
	ClientIP  = "10.98.0.5"
	RouterID  = 51
)

// MaxWeb is the most web servers a lab can have (TopologyOf): the
// addresses 10.98.0.21 to .29, below the app servers'.
const MaxWeb = 9

// Topology is the lab's deployment for connector: lb1 (the MASTER) and lb2,
// web1 and web2, app1 and app2, mon. ajpSecret is required by the AJP
// connectors and must be empty for proxy_http.
func Topology(connector httpd.Connector, ajpSecret string) roles.Topology {
	return TopologyOf(connector, ajpSecret, 2)
}

// TopologyOf is Topology with web web servers, web1 to web<web> at
// 10.98.0.21 upwards (2 to MaxWeb).
func TopologyOf(connector httpd.Connector, ajpSecret string, web int) roles.Topology {
	var webs []roles.Node
	for i := 1; i <= min(max(web, 1), MaxWeb); i++ {
		webs = append(webs, roles.Node{Name: fmt.Sprintf("web%d", i), Address: fmt.Sprintf("10.98.0.%d", 20+i)})
	}
	mon := roles.Node{Name: "mon", Address: "10.98.0.40"}
	return roles.Topology{
		Environment:  "lab",
		Domain:       "lab.internal",
		Connector:    connector,
		VIP:          VIP,
		PrefixLen:    PrefixLen,
		Interface:    roles.DefaultInterface,
		VRRPRouterID: RouterID,
		LBs:          []roles.Node{{Name: "lb1", Address: "10.98.0.11"}, {Name: "lb2", Address: "10.98.0.12"}},
		Web:          webs,
		App:          []roles.Node{{Name: "app1", Address: "10.98.0.31"}, {Name: "app2", Address: "10.98.0.32"}},
		Monitor:      &mon,
		AJPSecret:    ajpSecret,
	}
}

// Timings are the monitoring settings the lab shortens so alerts fire
// within a test: scrape and evaluation intervals and alert durations.
type Timings struct {
	ScrapeInterval, EvaluationInterval string
	Thresholds                         monitoring.Thresholds
}

// LabTimings fire WebServerNotServing about 10 s after a web server dies
// and ApacheErrorLogGrowing within about 10 s of a burst of error lines.
// RateWindow stays at four scrape intervals, as monitoring.Thresholds asks.
// Over an 8 s window the default 10 lines a minute would be crossed by the
// two or three lines httpd logs when a Tomcat dies, so the lab's threshold
// is 2 lines a second: only a real burst crosses it.
var LabTimings = Timings{
	ScrapeInterval:     "2s",
	EvaluationInterval: "1s",
	Thresholds: monitoring.Thresholds{
		For:                    "4s",
		WebServerDownFor:       "4s",
		RateWindow:             "8s",
		ErrorLogLinesPerMinute: 120,
	},
}

// MonitoringConfig is the monitoring.Config roles.Files renders for t (the
// same fields, from the same topology), with timings applied. Zero timings
// give exactly roles.Files' monitor files; package roles has no field for
// them yet.
func MonitoringConfig(t roles.Topology, timings Timings) monitoring.Config {
	target := func(n roles.Node) monitoring.Target { return monitoring.Target{Name: n.Name, Address: n.Address} }
	targets := func(ns []roles.Node) []monitoring.Target {
		var out []monitoring.Target
		for _, n := range ns {
			out = append(out, target(n))
		}
		return out
	}
	health := t.HealthPath
	if health == "" {
		health = roles.DefaultHealthPath
	}
	return monitoring.Config{
		Environment:             t.Environment,
		LBs:                     targets(t.LBs),
		Web:                     targets(t.Web),
		App:                     targets(t.App),
		VIP:                     t.VIP,
		HealthPath:              health,
		AppPath:                 tomcat.HelloPath,
		AppStatusPath:           tomcat.StatusPath,
		Monitor:                 target(*t.Monitor),
		Alertmanager:            t.Alertmanager,
		ApacheMaxRequestWorkers: httpd.DefaultMaxRequestWorkers,
		ScrapeInterval:          timings.ScrapeInterval,
		EvaluationInterval:      timings.EvaluationInterval,
		Thresholds:              timings.Thresholds,
	}
}
