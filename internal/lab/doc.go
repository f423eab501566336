// Package lab runs the web tier that components/roles renders on real
// daemons on one machine: every node of a 2 LB + 2 web + 2 app + monitor
// topology is a network namespace (internal/netns) on one bridge, with the
// real haproxy, keepalived, apache2, tomcat10, exporters, mtail, Prometheus
// and Alertmanager.
//
// Each node runs exactly the files roles.Files gives for it, at their Debian
// paths: a node has its own directory tree (Node.Root) that is bind-mounted
// over the Debian directories (/etc/apache2, /etc/haproxy, /run, ...) in a
// private mount namespace for every process of that node. So no file is
// rewritten; only Tomcat runs from a CATALINA_BASE (tomcattest.NewBase) holding the
// rendered server.xml and webapps, the layout of Debian's /var/lib/tomcat10.
// One deliberate difference: the monitor's Prometheus files are rendered with
// shorter scrape intervals and alert durations (LabTimings), through
// monitoring.Config, so alerts fire within the test's time; with zero
// timings they are byte for byte what roles.Files renders (a test checks it).
//
// The lab test (lab_test.go, run by run-lab.sh) fails servers under a steady
// load from a client namespace and counts every failed request; the benchmark
// (BenchmarkConnectors, only with -bench) measures each httpd-to-Tomcat
// connector with wrk. Only tests import this package.
package lab
