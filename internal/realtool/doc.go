// Package realtool runs the real programs (haproxy, apache2, keepalived,
// promtool, cloud-init, tomcat, ...) that check what hawebtier renders.
//
// A test that needs a program calls Need first. Under CI (CI=true) a
// missing program fails the test: .ci/run installs every one of them, so a
// missing one is a broken CI, never a reason to skip. On a developer's
// machine without the package the test is skipped with the apt-get line
// that brings it.
package realtool
