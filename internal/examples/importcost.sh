#!/usr/bin/env bash
# What importing one hawebtier package costs a user's program: for each
# package, a throwaway main that imports only it is built from an empty
# build cache (the module cache is shared and only read), and the script
# prints a markdown table of the cold build time, the peak memory of the
# largest process of the build (GNU time's %M, in MB) and the pulumi-aws
# packages the build compiles.
#
# Usage: bash internal/examples/importcost.sh [package ...]
# (packages relative to the module, default: the list below). Run it on an
# idle machine: the times are wall-clock, and on 2 cores any other build
# doubles them. It takes several minutes.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
module=github.com/hawebtier/hawebtier
awssdk=github.com/pulumi/pulumi-aws/sdk/v6/go/aws

if [ "$#" -gt 0 ]; then
  pkgs=("$@")
else
  pkgs=(aws/database aws/webtier aws/edge onprem components/haproxy components/testkit)
fi
if [ ! -x /usr/bin/time ]; then
  echo "importcost: /usr/bin/time (GNU time) is missing: apt-get install time" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One module outside the repository, as a user's would be, using the
# working tree through a replace; its requirements are the repository's,
# so go.sum starts from the repository's.
goversion=$(awk '$1 == "go" {print $2; exit}' "$root/go.mod")
cat >"$work/go.mod" <<EOF
module importcost

go $goversion

require $module v0.0.0-00010101000000-000000000000

replace $module => $root
EOF
cp "$root/go.sum" "$work/go.sum"
i=0
for p in "${pkgs[@]}"; do
  i=$((i + 1))
  mkdir -p "$work/m$i"
  cat >"$work/m$i/main.go" <<EOF
package main

import _ "$module/$p"

func main() {}
EOF
done
# Resolve the requirements once, outside the measurement; the cache this
# uses is thrown away.
(cd "$work" && GOCACHE="$work/cache-tidy" GOFLAGS=-mod=mod go mod tidy >/dev/null 2>"$work/tidy.err") || {
  cat "$work/tidy.err" >&2
  exit 1
}

echo "| package | cold build | peak memory | pulumi-aws packages |"
echo "|---|---|---|---|"
i=0
for p in "${pkgs[@]}"; do
  i=$((i + 1))
  cache="$work/cache-$i"
  mkdir -p "$cache"
  if ! (cd "$work" && GOCACHE="$cache" /usr/bin/time -o "$work/time-$i" -f '%e %M' \
    go build -o /dev/null "./m$i" 2>"$work/build-$i.err"); then
    cat "$work/build-$i.err" >&2
    echo "importcost: building a main that imports $p failed" >&2
    exit 1
  fi
  read -r secs kb <"$work/time-$i"
  # The packages the build compiled, from the same cache: no rebuild.
  list=$(cd "$work" && GOCACHE="$cache" go list -deps "./m$i" |
    awk -v sdk="$awssdk" '$0 == sdk {print "aws"} index($0, sdk "/") == 1 {s = substr($0, length(sdk) + 2); if (s !~ /^internal/) print s}')
  n=$(printf '%s\n' "$list" | grep -c . || true)
  aws=$(printf '%s\n' "$list" | grep . | paste -sd, - | sed 's/,/, /g' || true)
  [ "$n" -gt 0 ] || aws="none"
  printf '| %s | %.1f s | %d MB | %d: %s |\n' "$p" "$secs" "$((kb / 1024))" "$n" "$aws"
  # Module cache files are read-only; the build cache is not needed again.
  rm -rf "$cache"
done
