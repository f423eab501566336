// Package haproxy renders the configuration of the load balancers' HAProxy:
// an HTTP frontend on the VIP, a backend of the web servers with active HTTP
// health checks, retries with redispatch, and an admin listener (stats page,
// built-in Prometheus exporter, a monitor URL for keepalived's check) bound
// to the node's admin address only.
//
// Render is a pure function of Config: it validates every field first and
// returns all problems at once instead of writing a file HAProxy would
// reject. The output is checked with `haproxy -c -dW` (warnings fatal) in
// this package's tests, and run for real in network namespaces.
//
// The health URL (Config.HealthPath) must be served by httpd itself, not
// proxied to Tomcat: one Tomcat failing must never make every web server
// look dead.
package haproxy
