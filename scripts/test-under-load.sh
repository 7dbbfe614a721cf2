#!/usr/bin/env bash
# Runs `make test` N times in a row (default 5) while one CPU-burning process per core keeps the
# machine busy, to show the suite does not depend on a quiet machine or wall-clock races.
# Usage: scripts/test-under-load.sh [N]   — logs go to ${LOG_DIR:-/tmp/gcpinvoke-load}/run-K.log
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
log_dir="${LOG_DIR:-/tmp/gcpinvoke-load}"
mkdir -p "$log_dir"

burners=()
for _ in $(seq "$(nproc)"); do
	( while :; do :; done ) &
	burners+=("$!")
done
trap 'kill "${burners[@]}" 2>/dev/null' EXIT
echo "load: ${#burners[@]} CPU burners (one per core)"

failed=0
for k in $(seq "$runs"); do
	start=$(date +%s)
	if make test >"$log_dir/run-$k.log" 2>&1; then status=pass; else status=FAIL; failed=$((failed + 1)); fi
	echo "run $k/$runs: $status in $(( $(date +%s) - start ))s ($(grep -c '^ok' "$log_dir/run-$k.log") packages ok, log $log_dir/run-$k.log)"
done
echo "$((runs - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
