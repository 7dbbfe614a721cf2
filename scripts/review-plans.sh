#!/usr/bin/env bash
# Regenerates the real plan JSON that internal/review's golden tests read
# (`make review-plans`): for examples/scheduler-to-cloud-run and every
# internal/review/testdata/configs/NAME/main.tf it
#
#   1. builds the provider and gcpinvoke into a temporary bin,
#   2. starts a fresh `gcpinvoke emulator` on a fixed loopback port (so the
#      service URLs in the plans are the same on every run),
#   3. runs NAME/prepare.sh when there is one (state applied before the plan,
#      changes made out of band through the emulator's API),
#   4. runs `terraform plan -out` and `terraform show -json` with the freshly
#      built provider (dev_overrides: no registry, no init),
#   5. writes internal/review/testdata/plans/real_NAME.json, with only the
#      volatile `timestamp` and the order of `relevant_attributes` fixed, and
#      refreshes the goldens
#      (go test ./internal/review -run TestGolden -update).
#
# prepare.sh runs in the Terraform working directory with TERRAFORM (the
# terraform binary, run it as "$TERRAFORM" apply …), EMULATOR_URL and
# TF_CLI_CONFIG_FILE set. Every configuration may declare
# `variable "emulator_host"` (TF_VAR_emulator_host is HOST:PORT).
#
# `scripts/review-plans.sh NAME…` regenerates only the named scenarios.
#
# Needs: go, terraform (on PATH or TF_ACC_TERRAFORM_PATH), curl, jq, and the
# port REVIEW_PLANS_PORT (default 18787) free on 127.0.0.1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1

TERRAFORM="${TF_ACC_TERRAFORM_PATH:-terraform}"
command -v "$TERRAFORM" >/dev/null 2>&1 ||
	{ echo "error: terraform not found: put Terraform >= 1.8 on PATH or set TF_ACC_TERRAFORM_PATH." >&2; exit 1; }
for tool in go curl jq; do
	command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is needed and is not on PATH." >&2; exit 1; }
done
export TERRAFORM

PORT="${REVIEW_PLANS_PORT:-18787}"
CONFIGS="internal/review/testdata/configs"
PLANS="internal/review/testdata/plans"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gcpinvoke-review-plans.XXXXXX")"
EMU_PID=""
stop_emulator() {
	if [ -n "$EMU_PID" ]; then
		kill "$EMU_PID" 2>/dev/null || true
		wait "$EMU_PID" 2>/dev/null || true
		EMU_PID=""
	fi
}
cleanup() {
	stop_emulator
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
	echo "review-plans: $*" >&2
	if [ -s "$WORK/emulator.log" ]; then
		echo "--- last lines of the emulator log ---" >&2
		tail -n 20 "$WORK/emulator.log" >&2
	fi
	exit 1
}

echo "==> building the provider and gcpinvoke"
go build -o "$WORK/bin/" . ./cmd/gcpinvoke

cat >"$WORK/terraform.rc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/gcpinvoke/gcpinvoke" = "$WORK/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$WORK/terraform.rc"

# start_emulator starts a fresh emulator (default seed) and sets EMULATOR_URL
# from the address it prints.
start_emulator() {
	: >"$WORK/emulator.log"
	"$WORK/bin/gcpinvoke" emulator --listen "127.0.0.1:$PORT" --quiet >"$WORK/emulator.log" 2>&1 &
	EMU_PID=$!
	EMULATOR_URL=""
	for _ in $(seq 1 200); do
		EMULATOR_URL="$(sed -n 's/^gcpinvoke emulator listening on \(http:\/\/[^ ]*\)$/\1/p' "$WORK/emulator.log" | head -n 1)"
		[ -n "$EMULATOR_URL" ] && break
		kill -0 "$EMU_PID" 2>/dev/null || die "the emulator exited before listening (is 127.0.0.1:$PORT in use? set REVIEW_PLANS_PORT)"
		sleep 0.05
	done
	[ -n "$EMULATOR_URL" ] || die "the emulator printed no URL within 10s"
	export EMULATOR_URL
	export GCPINVOKE_EMULATOR_HOST="${EMULATOR_URL#http://}"
	export TF_VAR_emulator_host="$GCPINVOKE_EMULATOR_HOST"
}

# generate NAME DIR: plan DIR against a fresh emulator into real_NAME.json.
generate() {
	local name="$1" src="$2" dir="$WORK/tf-$1"
	echo "==> $name ($src)"
	cp -R "$src" "$dir"
	rm -rf "$dir/.terraform" "$dir"/terraform.tfstate*
	start_emulator
	if [ -f "$dir/prepare.sh" ]; then
		(cd "$dir" && bash ./prepare.sh) >"$WORK/prepare.log" 2>&1 ||
			{ cat "$WORK/prepare.log" >&2; die "$name: prepare.sh failed"; }
	fi
	"$TERRAFORM" -chdir="$dir" plan -no-color -input=false -out=plan.tfplan >"$WORK/plan.log" 2>&1 ||
		{ cat "$WORK/plan.log" >&2; die "$name: terraform plan failed"; }
	"$TERRAFORM" -chdir="$dir" show -json plan.tfplan >"$dir/plan.json" ||
		die "$name: terraform show -json failed"
	stop_emulator
	# Only what changes from run to run is normalised: the plan's creation
	# time, and the order of relevant_attributes (Terraform lists them in map
	# order). jq re-encodes the JSON compactly, otherwise as Terraform wrote it.
	jq -c '.timestamp = "2025-01-01T00:00:00Z"
		| if .relevant_attributes then .relevant_attributes |= sort_by(.resource, (.attribute | tostring)) else . end' \
		"$dir/plan.json" >"$PLANS/real_$name.json"
	echo "    wrote $PLANS/real_$name.json"
}

# selected NAME: true when NAME was given on the command line, or none was.
ONLY=("$@")
selected() {
	[ "${#ONLY[@]}" -eq 0 ] && return 0
	local n
	for n in "${ONLY[@]}"; do [ "$n" = "$1" ] && return 0; done
	return 1
}

if selected scheduler_to_cloud_run; then
	generate scheduler_to_cloud_run examples/scheduler-to-cloud-run
fi
for cfg in "$CONFIGS"/*/; do
	[ -f "$cfg/main.tf" ] || continue
	name="$(basename "$cfg")"
	selected "${name//-/_}" || continue
	generate "${name//-/_}" "${cfg%/}"
done

echo "==> refreshing the goldens"
go test ./internal/review -count=1 -run TestGolden -update
echo "done: review the diff of $PLANS and internal/review/testdata/golden"
