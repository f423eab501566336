// Package monitoring renders the monitoring of the web tier: the Prometheus
// scrape configuration, the alert rules, the Alertmanager routing, the
// blackbox exporter modules, the mtail program that turns the Apache httpd
// error log into counters, and the settings files (/etc/default/...) of the
// Debian-packaged exporters.
//
// Everything is a pure function of a typed Config: no Pulumi type is needed
// to call Render, and the same text is what cloud-init writes on vSphere VMs
// and AWS instances.
//
// A port being open is not a healthy service, so the rules look at what the
// services say: the blackbox exporter requests the health URL of every web
// server and the VIP over HTTP, the Apache exporter reads server-status,
// HAProxy's built-in exporter reports each backend server's check state, and
// mtail counts error log lines. Alerts carry a severity label, "page" (users
// are affected now) or "ticket" (redundancy or capacity is reduced), that
// Alertmanager routes on; a VIP that answers nobody inhibits the per-server
// alerts it explains.
//
// Metrics lists every metric name the rules use, with the exporter that
// serves it (MetricsOf), so a test can scrape the real exporters and prove
// each name exists: a rule on a misspelled metric never fires and never
// fails, which is the failure this package is built to avoid.
package monitoring
