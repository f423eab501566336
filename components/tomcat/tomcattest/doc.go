// Package tomcattest runs Tomcat 10 from a CATALINA_BASE it makes out of
// what components/tomcat renders (NewBase), checks it with Tomcat's own
// configtest, starts and stops it, and requests its pages from a given
// source address (GetFrom). It serves the tests and the failover lab
// (internal/lab); programs that deploy the tier never need it.
package tomcattest
