#!/usr/bin/env bash
# Builds the Pulumi CLI the tests drive (internal/pulumicli) from the Go
# module proxy, once per input: the key is this folder's go.mod/go.sum and
# the Go version, so an unchanged CLI is never built twice on a machine
# (about 5 minutes and 170 MB on 2 cores). Prints the binary's path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
key=$( (cat "$here/go.mod" "$here/go.sum"; go version) | sha256sum | cut -c1-16)
cache="${HAWEBTIER_CACHE:-/var/cache/hawebtier}/pulumi-cli/$key"
if [ ! -x "$cache/pulumi" ]; then
  mkdir -p "$cache"
  cd "$here"
  version=$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)
  go build -trimpath -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    -o "$cache/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
  cd - >/dev/null
  mv "$cache/pulumi.tmp" "$cache/pulumi"
fi
echo "$cache/pulumi"
