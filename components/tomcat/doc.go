// Package tomcat renders the configuration of an app server of the tier
// (Tomcat 10.1): server.xml with the HTTP and/or AJP connector bound to the
// node's address, the AJP secret, the Engine jvmRoute that sticky sessions
// use, and a status endpoint restricted to the monitoring addresses. It
// also ships the small webapps the tier needs (Webapps): /app/hello.jsp (a
// dynamic page that names the node), /app/session.jsp (stickiness),
// /app/health.jsp (what httpd's balancer health checks GET) and
// /status/metrics.jsp (Prometheus text format, from Tomcat's own MBeans).
//
// RenderServerXML is a pure function that returns every problem at once.
// NewBase builds a CATALINA_BASE from a Config (server.xml, the Debian
// package's other conf files, the webapps, ownership) and Base starts,
// checks and stops Tomcat in it: for the tests, the failover lab, and real
// hosts.
//
// # The AJP secret
//
// server.xml carries the AJP secret (Tomcat has no include mechanism that
// is worth its complexity here). A server.xml with an AJP connector is
// therefore never put in user-data, not even rendered with
// SecretPlaceholder (a placeholder is public, and Tomcat would accept AJP
// requests presenting it): components/roles withholds it, Tomcat keeps its
// packaged configuration, and the SSH step installs the real server.xml and
// restarts Tomcat. SecretPlaceholder serves checks only. Files holding the
// secret are written 0640 root:tomcat by NewBase.
package tomcat
