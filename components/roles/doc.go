// Package roles maps one web-tier topology to what each node runs: the
// configuration files of its role (rendered by the haproxy, keepalived,
// httpd, tomcat and monitoring packages) with the command that validates
// each file and the one that makes its service pick it up, the packages,
// users and services of the role, and the cloud-init user-data that sets a
// node up on first boot.
//
// Roles: LB (HAProxy + keepalived sharing the VIP), Web (Apache httpd),
// App (Tomcat) and Monitor (Prometheus, Alertmanager, blackbox exporter).
// On AWS there are only Web and App: ALBs replace the load balancers, the
// web servers proxy to the internal ALB (Topology.AppEndpoint) with
// proxy_http, and CloudWatch replaces the monitoring node.
//
// Files is the source of truth for both paths that put configuration on a
// node: UserData (first boot, cloud-init) and the day-2 SSH component
// (later changes, secrets). The two never disagree because both come from
// Files.
//
// # Secrets
//
// UserData never renders a secret: it renders with placeholders
// (httpd.SecretPlaceholder, which holds cloudinit.SecretMarker) and leaves
// out every file that holds one, and cloudinit.Render refuses the marker as
// a second guard. With the proxy_ajp and jk connectors this leaves out
// httpd's ajp-secret.conf and Tomcat's server.xml: httpd and Tomcat keep
// the Debian packages' defaults (no AJP connector, HAProxy's health check
// keeps the web server out) until the day-2 step delivers the real files
// from Files with Topology.AJPSecret set, and reloads. On AWS the app
// servers fetch their secrets at boot from Secrets Manager with their
// instance profile (Topology.AppSecrets carries ARNs, never values).
package roles
