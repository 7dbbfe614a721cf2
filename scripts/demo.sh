#!/usr/bin/env bash
# End-to-end demo of terraform-provider-gcpinvoke, fully offline:
#
#   1. builds the provider and the gcpinvoke CLI into ./bin,
#   2. starts `gcpinvoke emulator` on a free loopback port,
#   3. applies examples/scheduler-to-cloud-run with the freshly built
#      provider (dev_overrides; no registry, no terraform init),
#   4. runs the job through the Cloud Scheduler API (:run) and shows what the
#      emulated Cloud Run front end answered and which caller it verified,
#   5. breaks the chain on purpose (an OIDC audience with a path) and shows
#      the 401 Cloud Run gives, then repairs it and calls again: 200.
#
# Needs: go, terraform (on PATH or TF_ACC_TERRAFORM_PATH), curl.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CHECKPOINT_DISABLE=1

TERRAFORM="${TF_ACC_TERRAFORM_PATH:-terraform}"
if ! command -v "$TERRAFORM" >/dev/null 2>&1; then
	echo "error: terraform not found: put Terraform >= 1.8 on PATH or set TF_ACC_TERRAFORM_PATH (it cannot be downloaded here)." >&2
	exit 1
fi
for tool in go curl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "error: $tool is needed by the demo and is not on PATH." >&2
		exit 1
	fi
done

bold=$'\033[1m' red=$'\033[31m' green=$'\033[32m' reset=$'\033[0m'
if [ ! -t 1 ]; then bold='' red='' green='' reset=''; fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$reset"; }
die() {
	printf '%sdemo failed: %s%s\n' "$red" "$*" "$reset" >&2
	if [ -n "${EMU_LOG:-}" ] && [ -s "$EMU_LOG" ]; then
		echo "--- last lines of the emulator log ---" >&2
		tail -n 20 "$EMU_LOG" >&2
	fi
	exit 1
}

step "Building the provider and gcpinvoke into ./bin"
mkdir -p bin
go build -o bin/ . ./cmd/gcpinvoke

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gcpinvoke-demo.XXXXXX")"
EMU_LOG="$WORK/emulator.log"
EMU_PID=""
cleanup() {
	if [ -n "$EMU_PID" ]; then
		kill "$EMU_PID" 2>/dev/null || true
		wait "$EMU_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "Starting the emulator on a free port"
bin/gcpinvoke emulator --listen 127.0.0.1:0 --quiet >"$EMU_LOG" 2>&1 &
EMU_PID=$!
URL=""
for _ in $(seq 1 200); do
	URL="$(sed -n 's/^gcpinvoke emulator listening on \(http:\/\/[^ ]*\)$/\1/p' "$EMU_LOG" | head -n 1)"
	[ -n "$URL" ] && break
	kill -0 "$EMU_PID" 2>/dev/null || die "the emulator exited before listening"
	sleep 0.05
done
[ -n "$URL" ] || die "the emulator printed no URL within 10s"
export GCPINVOKE_EMULATOR_HOST="${URL#http://}"
echo "emulator at $URL (GCPINVOKE_EMULATOR_HOST=$GCPINVOKE_EMULATOR_HOST)"

# The provider comes from ./bin: dev_overrides skips the registry and init.
cat >"$WORK/terraform.rc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/gcpinvoke/gcpinvoke" = "$ROOT/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$WORK/terraform.rc"
export TF_IN_AUTOMATION=1
cp -R examples/scheduler-to-cloud-run "$WORK/tf"
color=()
if [ ! -t 1 ]; then color=(-no-color); fi
tf() {
	local cmd="$1"
	shift
	"$TERRAFORM" -chdir="$WORK/tf" "$cmd" ${color[@]+"${color[@]}"} "$@"
}

# run_job runs the job now through the Cloud Scheduler API and sets STATUS
# (HTTP status the target answered), CALLER (identity it verified), REASON.
run_job() {
	local job="$1" attempts last
	curl -sS -f -X POST -H "Authorization: Bearer demo" -H "Content-Type: application/json" -d '{}' \
		"$URL/v1/$job:run" >/dev/null || die "the :run call failed"
	attempts="$(curl -sS -f "$URL/_emulator/attempts")" || die "reading /_emulator/attempts failed"
	# The last attempt is the one just made.
	last="$(printf '%s' "$attempts" | sed 's/},{"caller":/}\n{"caller":/g' | tail -n 1)"
	STATUS="$(printf '%s' "$last" | sed -n 's/.*"statusCode":\([0-9]*\).*/\1/p')"
	CALLER="$(printf '%s' "$last" | sed -n 's/.*\\"caller\\":\\"\([^\\]*\)\\".*/\1/p')"
	REASON="$(printf '%s' "$last" | sed -n -E 's/.*"error":"(([^"\\]|\\.)*)".*/\1/p' | sed 's/\\"/"/g')"
}

step "terraform apply: service account, invoker binding, agent impersonation, job"
tf apply -auto-approve -input=false
JOB="$(tf output -raw job_id)"
SERVICE_URI="$(tf output -raw service_uri)"
AUDIENCE="$(tf output -raw oidc_audience)"
echo "job $JOB calls $SERVICE_URI/reports/daily?format=json with an OIDC token for audience $AUDIENCE"

step "Running the job (Cloud Scheduler :run) through the emulated Cloud Run front end"
run_job "$JOB"
[ "$STATUS" = "200" ] || die "the job's call answered HTTP ${STATUS:-none} (${REASON:-no reason}), want 200"
printf '%sHTTP %s%s, caller verified by Cloud Run: %s\n' "$green" "$STATUS" "$reset" "$CALLER"
FIRST_CALLER="$CALLER"

BROKEN="$SERVICE_URI/reports/daily?format=json"
step "Breaking it on purpose: audience = the full URI ($BROKEN)"
tf apply -auto-approve -input=false -var "audience=$BROKEN"
run_job "$JOB"
[ "$STATUS" = "401" ] || die "with a path in the audience the call answered HTTP ${STATUS:-none}, want 401"
printf '%sHTTP %s%s, as Cloud Run answers a token whose audience carries a path or query:\n  %s\n' "$red" "$STATUS" "$reset" "$REASON"

step "Repairing it: audience back to the default (the root URL)"
tf apply -auto-approve -input=false
run_job "$JOB"
[ "$STATUS" = "200" ] || die "after the repair the call answered HTTP ${STATUS:-none} (${REASON:-no reason}), want 200"
[ "$CALLER" = "$FIRST_CALLER" ] || die "caller changed from $FIRST_CALLER to $CALLER"

printf '\n%sDemo passed: verified call → HTTP %s, caller %s%s\n' "$green$bold" "$STATUS" "$CALLER" "$reset"
