// Package httpdtest runs Apache httpd from files rendered by
// components/httpd on this host: install them in a layout, check them with
// `apache2 -t`, start and stop httpd. It serves the tests, the failover lab
// (internal/lab) and people trying a configuration by hand; programs that
// deploy the tier never need it.
package httpdtest
