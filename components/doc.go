// Package components holds the target-neutral parts of hawebtier: pure
// renderers that turn typed Go structs into the configuration each role runs
// (haproxy, keepalived, httpd, tomcat, monitoring, cloud-init) and
// components that work the same on vSphere and AWS. The code lives in the
// subpackages; this package itself is empty.
package components
