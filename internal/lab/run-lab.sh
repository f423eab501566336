#!/bin/sh
# Runs the failover lab (TestLab: the rendered 2 LB + 2 web + 2 app + monitor
# tier on real daemons in network namespaces) verbosely and prints its
# Markdown table. As root, on Debian 12 with the packages .ci/run installs.
#
#   internal/lab/run-lab.sh          the lab (about 3 minutes)
#   internal/lab/run-lab.sh bench    the connector benchmark (about 2 minutes)
#
# The full log is kept in $LOG (default: a temporary file).
set -eu
cd "$(dirname "$0")/../.."
LOG=${LOG:-$(mktemp /tmp/hawebtier-lab-log.XXXXXX)}
case "${1:-lab}" in
lab)
	marker=lab-table
	set -- go test -count=1 -v -run 'TestLab$' -timeout 10m ./internal/lab/
	;;
bench)
	marker=bench-table
	set -- go test -count=1 -v -run '^$' -bench Connectors -benchtime 1x -timeout 10m ./internal/lab/
	;;
*)
	echo "usage: $0 [lab|bench]" >&2
	exit 2
	;;
esac
echo "running: $*  (log: $LOG)" >&2
status=0
CI=${CI:-true} "$@" >"$LOG" 2>&1 || status=$?
grep -E -- '^(--- |    --- |ok |FAIL|PASS)' "$LOG" >&2 || true
# The table, without the test log's indentation.
sed -n "/<!-- $marker -->/,/<!-- \/$marker -->/p" "$LOG" | sed -e 's/^[[:space:]]*//' | grep '^|' || {
	echo "no table in $LOG" >&2
	status=1
}
exit $status
