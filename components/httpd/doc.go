// Package httpd renders the Apache httpd 2.4 configuration of a web
// server of the tier: event MPM, a virtual host that serves static content
// from DocumentRoot itself and sends the application paths to the app
// servers (Tomcat) through one of three connectors, a balancer over every
// app server with health checks and sticky sessions by jvmRoute, the
// health URL that HAProxy checks (answered by httpd itself, so one failed
// Tomcat never ejects every web server), and server-status for monitoring.
//
// Connectors:
//
//   - ProxyHTTP (default): mod_proxy_http + mod_proxy_balancer, health
//     checks by mod_proxy_hcheck (GET of the app's health page). Works with
//     any app server and with an AWS internal ALB as the only member.
//   - ProxyAJP: mod_proxy_ajp with the shared AJP secret; members are
//     health-checked with an AJP CPing (ping=) and a TCP check, since
//     mod_proxy_hcheck speaks HTTP only.
//   - JK: mod_jk with workers.properties: an lb worker over one ajp13
//     worker per app server (named by its route), sticky sessions, CPing
//     probes, JkMount per application path.
//
// Render is a pure function: it validates every field first, returns all
// problems at once, and never returns a broken file. The real program
// checks what it renders in the tests (apache2 -t, then requests through a
// running httpd to a running Tomcat).
//
// # The AJP secret
//
// httpd.conf never contains the AJP secret. For ProxyAJP and JK it includes
// SecretFile (ajp-secret.conf, mode 0600), which holds a single
// `Define HAWEBTIER_AJP_SECRET <secret>` line; the connector configuration
// refers to ${HAWEBTIER_AJP_SECRET}. So:
//
//   - user-data (cloud-init, guestinfo, launch templates) never carries the
//     secret file, not even with SecretPlaceholder in it: a placeholder is
//     public (it is in this source), and Tomcat would accept AJP requests
//     that present it. components/roles withholds every file that holds the
//     secret from user-data (Files.Public); httpd keeps Debian's default
//     configuration until the secret arrives;
//   - the SSH step (day 2) writes RenderSecretFile(secret) to
//     Layout.Path(SecretFile), then httpd.conf, and reloads httpd
//     (apache2ctl graceful).
//
// SecretPlaceholder exists for checks that need a syntactically complete
// tree without the real secret (apache2 -t in tests).
//
// Files.Public returns the files without the secret file, for callers that
// prefer not to ship even the placeholder.
package httpd
