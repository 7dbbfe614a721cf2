#!/bin/sh
# Copies Google's published discovery documents of the APIs the provider calls
# and the emulator serves from the google.golang.org/api module (the version
# pinned in go.mod) into internal/discovery/documents/, where the conformance
# tests read them (embedded, so tests never depend on the module cache).
#
# Run from the repository root, or via `go generate ./internal/discovery`.
set -eu
cd "$(dirname "$0")/.."
dir="$(go list -m -f '{{.Dir}}' google.golang.org/api)"
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
	echo "google.golang.org/api is not in the module cache; run 'go mod download google.golang.org/api'" >&2
	exit 1
fi
out=internal/discovery/documents
mkdir -p "$out"
for api in run/v2 iam/v1 cloudscheduler/v1 cloudfunctions/v1 cloudfunctions/v2 \
	cloudresourcemanager/v1 iamcredentials/v1 cloudtasks/v2 \
	workflows/v1 workflowexecutions/v1; do
	name="${api%/*}"
	version="${api#*/}"
	cp "$dir/$api/$name-api.json" "$out/$name-$version.json"
	chmod 0644 "$out/$name-$version.json"
done
echo "copied discovery documents from $dir into $out"
