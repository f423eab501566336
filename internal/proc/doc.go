// Package proc answers questions about local processes that the helpers
// starting daemons (httpd, Tomcat) share.
package proc
