#!/usr/bin/env bash
# Manual check, not part of `make test`: drives the Google provider
# (hashicorp/terraform-provider-google, built from source by you) against the
# local emulator with its custom endpoints, and checks that it can create,
# read, import and delete the resources users combine with this provider:
#
#   google_service_account, google_service_account_iam_member,
#   google_cloud_run_v2_service_iam_member, google_cloud_scheduler_job
#   (one running, one paused with a partial retry_config),
#   google_cloud_tasks_queue, google_workflows_workflow
#
# with an empty plan after apply, after each import (the Google provider
# cannot import google_workflows_workflow) and after an update in place.
#
# Usage:
#   GOOGLE_PROVIDER_BIN=/path/to/terraform-provider-google scripts/google-provider-smoke.sh
#
# The Google provider is not a dependency of this project and is not served by
# the module proxy: clone github.com/hashicorp/terraform-provider-google and
# `go build -o terraform-provider-google .` in it (about 6-15 minutes, 2 GB).
# Needs `terraform` on PATH. Set KEEP=1 to keep the work directory.
set -euo pipefail

: "${GOOGLE_PROVIDER_BIN:?set GOOGLE_PROVIDER_BIN to a built terraform-provider-google binary}"
if [[ ! -x "$GOOGLE_PROVIDER_BIN" ]]; then
  echo "GOOGLE_PROVIDER_BIN=$GOOGLE_PROVIDER_BIN is not an executable" >&2
  exit 2
fi
command -v terraform >/dev/null || { echo "terraform is not on PATH" >&2; exit 2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
emu_pid=""
cleanup() {
  if [[ -n "$emu_pid" ]]; then kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi
  if [[ "${KEEP:-}" == "1" ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

export CHECKPOINT_DISABLE=1
token="smoke-token"

echo "== building gcpinvoke"
(cd "$repo" && go build -o "$work/gcpinvoke" ./cmd/gcpinvoke)

echo "== starting the emulator"
"$work/gcpinvoke" emulator --listen 127.0.0.1:0 --token "$token" --quiet --nonexistent-principal user:ghost@example.com >"$work/emulator.out" 2>"$work/emulator.err" &
emu_pid=$!
for _ in $(seq 1 100); do
  grep -q 'listening on' "$work/emulator.out" 2>/dev/null && break
  sleep 0.1
done
base=$(sed -n 's/^gcpinvoke emulator listening on \(http:\/\/[^ ]*\)$/\1/p' "$work/emulator.out")
[[ -n "$base" ]] || { echo "emulator did not start:"; cat "$work/emulator.err"; exit 1; }
echo "   $base"

# dev_overrides: terraform uses the binary in this directory for hashicorp/google.
mkdir -p "$work/plugins"
cp "$GOOGLE_PROVIDER_BIN" "$work/plugins/terraform-provider-google"
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "hashicorp/google" = "$work/plugins"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"

# The job targets the seeded Cloud Run service "hello": read its uri.
hello_uri=$(curl -sf -H "Authorization: Bearer $token" "$base/v2/projects/demo-project/locations/us-central1/services/hello" |
  sed -n 's/.*"uri":"\([^"]*\)".*/\1/p')
[[ -n "$hello_uri" ]] || { echo "could not read the hello service's uri"; exit 1; }

mkdir -p "$work/tf"
cat >"$work/tf/main.tf" <<EOF
terraform {
  required_providers {
    google = { source = "hashicorp/google" }
  }
}

provider "google" {
  project      = "demo-project"
  region       = "us-central1"
  access_token = "$token"

  # Each endpoint ends in its API version segment, as the Google provider's
  # own defaults do.
  cloud_run_v2_custom_endpoint     = "$base/v2/"
  iam_custom_endpoint              = "$base/v1/"
  iam_beta_custom_endpoint         = "$base/v1/"
  iam_credentials_custom_endpoint  = "$base/v1/"
  cloud_scheduler_custom_endpoint  = "$base/v1/"
  cloud_tasks_custom_endpoint      = "$base/v2/"
  workflows_custom_endpoint        = "$base/v1/"
  resource_manager_custom_endpoint = "$base/v1/"
  resource_manager_v3_custom_endpoint = "$base/v3/"
  service_usage_custom_endpoint    = "$base/v1/"

  add_terraform_attribution_label = false
}

resource "google_service_account" "invoker" {
  account_id   = "smoke-invoker"
  display_name = "Calls hello on schedule"
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  location = "us-central1"
  name     = "hello"
  role     = "roles/run.invoker"
  member   = google_service_account.invoker.member
}

resource "google_service_account_iam_member" "scheduler_agent" {
  service_account_id = google_service_account.invoker.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
}

resource "google_cloud_scheduler_job" "hello" {
  name      = "smoke-hello"
  schedule  = "*/10 * * * *"
  time_zone = "Etc/UTC"
  region    = "us-central1"

  http_target {
    uri         = "$hello_uri/"
    http_method = "POST"
    oidc_token {
      service_account_email = google_service_account.invoker.email
    }
  }
}

resource "google_cloud_scheduler_job" "paused" {
  name     = "smoke-paused"
  schedule = "0 8 * * 1"
  region   = "us-central1"
  paused   = true

  retry_config {
    retry_count = 2
  }

  # http_method is set, as in every example and test of the Google
  # provider: the emulator answers httpMethod "POST" for a job sent without
  # one, and that attribute of the Google provider is not computed.
  http_target {
    http_method = "POST"
    uri         = "$hello_uri/weekly"
    oidc_token {
      service_account_email = google_service_account.invoker.email
      audience              = "$hello_uri"
    }
  }
}

resource "google_cloud_tasks_queue" "q" {
  name     = "smoke-queue"
  location = "us-central1"

  rate_limits {
    max_dispatches_per_second = 5
  }
  retry_config {
    max_attempts = 3
  }
}

resource "google_workflows_workflow" "wf" {
  name            = "smoke-workflow"
  region          = "us-central1"
  service_account = google_service_account.invoker.id
  deletion_protection = false
  source_contents = <<-YAML
    main:
      steps:
        - done:
            return: "ok"
  YAML
}
EOF

cd "$work/tf"
step() { echo "== $*"; }
empty_plan() {
  set +e
  terraform plan -input=false -no-color -detailed-exitcode >"$work/plan.txt" 2>&1
  local rc=$?
  set -e
  if [[ $rc -ne 0 ]]; then
    echo "FAIL: plan is not empty after $1 (exit $rc):"
    cat "$work/plan.txt"
    return 1
  fi
  echo "   empty plan after $1"
}

fail=0
step "apply"
terraform apply -input=false -no-color -auto-approve >"$work/apply.txt" 2>&1 || { cat "$work/apply.txt"; exit 1; }
empty_plan "apply" || fail=1

email="smoke-invoker@demo-project.iam.gserviceaccount.com"
declare -A ids=(
  [google_service_account.invoker]="projects/demo-project/serviceAccounts/$email"
  [google_cloud_run_v2_service_iam_member.invoker]="projects/demo-project/locations/us-central1/services/hello roles/run.invoker serviceAccount:$email"
  [google_service_account_iam_member.scheduler_agent]="projects/demo-project/serviceAccounts/$email roles/iam.serviceAccountTokenCreator serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
  [google_cloud_scheduler_job.hello]="projects/demo-project/locations/us-central1/jobs/smoke-hello"
  [google_cloud_scheduler_job.paused]="projects/demo-project/locations/us-central1/jobs/smoke-paused"
  [google_cloud_tasks_queue.q]="projects/demo-project/locations/us-central1/queues/smoke-queue"
)
# google_workflows_workflow is left out: the Google provider does not
# support importing it ("resource google_workflows_workflow doesn't support
# import"); it is still created, read (refresh, empty plan) and destroyed.

for addr in "${!ids[@]}"; do
  step "import $addr"
  terraform state rm -no-color "$addr" >/dev/null
  if ! terraform import -input=false -no-color "$addr" "${ids[$addr]}" >"$work/import.txt" 2>&1; then
    echo "FAIL: import $addr:"; cat "$work/import.txt"; fail=1; continue
  fi
  empty_plan "import of $addr" || fail=1
done

step "update in place"
sed -i -e 's|display_name = "Calls hello on schedule"|display_name = "Calls hello every 5 minutes"|' \
  -e 's|schedule  = "\*/10 \* \* \* \*"|schedule  = "*/5 * * * *"|' \
  -e 's|max_dispatches_per_second = 5|max_dispatches_per_second = 2|' \
  -e 's|return: "ok"|return: "updated"|' main.tf
terraform apply -input=false -no-color -auto-approve >"$work/update.txt" 2>&1 || { echo "FAIL: update:"; cat "$work/update.txt"; fail=1; }
grep -q '4 changed' "$work/update.txt" || { echo "FAIL: update did not change the 4 resources in place:"; grep -E 'Apply complete|must be replaced|destroy' "$work/update.txt"; fail=1; }
empty_plan "update" || fail=1

step "Google's refusals reach the Google provider"
refused() { # ADDR_SUFFIX ROLE MEMBER EXPECTED_MESSAGE
  cat >refused.tf <<EOT
resource "google_cloud_run_v2_service_iam_member" "$1" {
  location = "us-central1"
  name     = "hello"
  role     = "$2"
  member   = "$3"
}
EOT
  if terraform apply -input=false -no-color -auto-approve >"$work/refused.txt" 2>&1; then
    echo "FAIL: $2 for $3 was accepted"; fail=1
  elif ! grep -q "$4" "$work/refused.txt"; then
    echo "FAIL: $2 for $3 refused without \"$4\":"; grep -i error "$work/refused.txt"; fail=1
  else
    echo "   refused: $4"
  fi
  rm -f refused.tf
}
refused ghost roles/run.invoker user:ghost@example.com "User ghost@example.com does not exist."
refused typo roles/run.invokr user:alice@example.com "Role roles/run.invokr is not supported for this resource."

step "destroy"
terraform destroy -input=false -no-color -auto-approve >"$work/destroy.txt" 2>&1 || { cat "$work/destroy.txt"; exit 1; }
# Every resource is gone (404), and the invoker binding left the service's policy.
for path in "v1/projects/demo-project/serviceAccounts/$email" \
  "v1/projects/demo-project/locations/us-central1/jobs/smoke-hello" \
  "v1/projects/demo-project/locations/us-central1/jobs/smoke-paused" \
  "v2/projects/demo-project/locations/us-central1/queues/smoke-queue" \
  "v1/projects/demo-project/locations/us-central1/workflows/smoke-workflow"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/$path")
  if [[ "$code" != "404" ]]; then echo "FAIL: $path answers $code after destroy, want 404"; fail=1; fi
done
if curl -sf -H "Authorization: Bearer $token" "$base/v2/projects/demo-project/locations/us-central1/services/hello:getIamPolicy" | grep -q smoke-invoker; then
  echo "FAIL: the hello service's policy still names smoke-invoker after destroy"; fail=1
fi
[[ $fail -eq 0 ]] && echo "OK: the Google provider created, read, imported and deleted every resource against the emulator"
exit $fail
