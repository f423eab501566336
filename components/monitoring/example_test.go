package monitoring_test

import (
	"fmt"
	"slices"

	"github.com/hawebtier/hawebtier/components/monitoring"
)

// Render gives every file of the tier's monitoring; RoleFiles picks what a
// web node writes, and InstallPath says where.
func ExampleRender() {
	files, err := monitoring.Render(monitoring.Config{
		Environment: "staging",
		LBs:         []monitoring.Target{{Name: "lb1", Address: "10.20.30.11"}, {Name: "lb2", Address: "10.20.30.12"}},
		Web:         []monitoring.Target{{Name: "web1", Address: "10.20.30.21"}, {Name: "web2", Address: "10.20.30.22"}},
		App:         []monitoring.Target{{Name: "app1", Address: "10.20.30.31"}, {Name: "app2", Address: "10.20.30.32"}},
		VIP:         "10.20.30.10",
		Monitor:     monitoring.Target{Name: "mon", Address: "10.20.30.41"},
		Alertmanager: monitoring.AlertmanagerConfig{
			Page: monitoring.Receiver{Kind: monitoring.ReceiverWebhook, URL: "https://pager.example.org/hook"},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	web, _ := monitoring.RoleFiles(files, monitoring.RoleWeb)
	var keys []string
	for k := range web {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Println(monitoring.InstallPath(k))
	}
	// Output:
	// /etc/default/mtail
	// /etc/default/prometheus-apache-exporter
	// /etc/default/prometheus-node-exporter
	// /etc/mtail/apache_errors.mtail
}

// Bad input is an error naming each field, never a broken file.
func ExampleRender_invalid() {
	_, err := monitoring.Render(monitoring.Config{
		Environment: "staging",
		LBs:         []monitoring.Target{{Name: "lb1", Address: "10.20.30.11:8404"}},
		App:         []monitoring.Target{{Name: "app1", Address: "10.20.30.31"}},
		VIP:         "10.20.30.10",
		Monitor:     monitoring.Target{Name: "mon", Address: "10.20.30.41"},
		Thresholds:  monitoring.Thresholds{BusyWorkersRatio: 80},
		Alertmanager: monitoring.AlertmanagerConfig{
			Page: monitoring.Receiver{Kind: "sms"},
		},
	})
	fmt.Println(err)
	// Output:
	// monitoring: alertmanager.page.kind: unknown receiver kind "sms" (want email, webhook or none)
	// monitoring: lbs[0].address: "10.20.30.11:8404" is neither an IP address nor a host name (no port, no scheme)
	// monitoring: thresholds.busyWorkersRatio: 80 is not in (0, 1]
	// monitoring: web: no targets: the web tier has at least one of each role
}

// Metrics lists what the rules read, so a test can check each name in a
// real scrape of its exporter.
func ExampleMetricsOf() {
	for _, e := range []string{monitoring.ExporterHAProxy, monitoring.ExporterApache, monitoring.ExporterMtail, monitoring.ExporterBlackbox} {
		fmt.Println(e, monitoring.MetricsOf(e))
	}
	// Output:
	// haproxy [haproxy_backend_active_servers haproxy_backend_http_responses_total haproxy_server_status]
	// apache [apache_up apache_workers]
	// mtail [apache_error_log_lines_total]
	// blackbox [probe_success]
}
