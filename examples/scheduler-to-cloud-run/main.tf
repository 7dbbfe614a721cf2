# Cloud Scheduler → private Cloud Run service, with every link of the chain:
#
#   1. a service account the job acts as,
#   2. roles/run.invoker for it on the service (the invoker binding),
#   3. the Cloud Scheduler service agent's right to mint its tokens,
#   4. the job, with an OIDC token whose audience defaults to the service's
#      root URL (what Cloud Run accepts, whatever path the job calls).
#
# Works against Google as is; set emulator_host (or GCPINVOKE_EMULATOR_HOST)
# to run it against `gcpinvoke emulator`.

terraform {
  required_version = ">= 1.8"
  required_providers {
    gcpinvoke = {
      source = "gcpinvoke/gcpinvoke"
    }
  }
}

provider "gcpinvoke" {
  project       = var.project
  region        = var.region
  emulator_host = var.emulator_host
}

# The target: its uri is read, never hard-coded.
data "gcpinvoke_run_service" "target" {
  name = var.service
}

resource "gcpinvoke_service_account" "invoker" {
  account_id   = var.invoker_account_id
  display_name = "Cloud Scheduler caller of ${var.service}"
}

resource "gcpinvoke_run_service_iam_member" "invoker" {
  service = data.gcpinvoke_run_service.target.name
  member  = gcpinvoke_service_account.invoker.member
  # role defaults to roles/run.invoker
}

resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.invoker.email
  agent           = "cloudscheduler"
}

resource "gcpinvoke_scheduler_job" "call" {
  name        = var.job_name
  description = "Calls ${var.service}${var.path} on schedule"
  schedule    = var.schedule
  time_zone   = var.time_zone

  http_target = {
    uri = "${data.gcpinvoke_run_service.target.uri}${var.path}"

    oidc_token = {
      service_account_email = gcpinvoke_service_account.invoker.email
      # null: the service's root URL. Set var.audience only to try a broken
      # one (the plan warns, Cloud Run answers 401).
      audience = var.audience
    }
  }

  # The job is usable only once the whole chain exists.
  depends_on = [
    gcpinvoke_run_service_iam_member.invoker,
    gcpinvoke_service_agent_impersonation.scheduler,
  ]
}

# Verifies the whole chain against the live policies: impersonation, invoker
# binding, audience. A broken link is reported as a warning naming the link
# and the fix; `probe = true` would also call the service once with a fresh
# token of the account.
#
# When it runs: Terraform reads a check's data source during plan, against
# what exists before the apply. With changes pending on a resource it
# depends on (the depends_on below), it reads it during apply instead, after
# those changes — updates, replacements and destroys of instances (count,
# for_each) alike — so an apply that breaks the chain warns in the same run.
# A resource block deleted from the configuration is no dependency any more:
# the read may come before its destroy, and the next plan reports it
# (`gcpinvoke review` flags it on the plan as a broken-chain finding).
check "scheduler_can_invoke" {
  data "gcpinvoke_invocation_chain" "job" {
    caller          = "cloudscheduler"
    service_account = gcpinvoke_service_account.invoker.email
    target_url      = gcpinvoke_scheduler_job.call.http_target.uri
    audience        = gcpinvoke_scheduler_job.call.http_target.oidc_token.audience

    depends_on = [
      gcpinvoke_service_account.invoker,
      gcpinvoke_run_service_iam_member.invoker,
      gcpinvoke_service_agent_impersonation.scheduler,
      gcpinvoke_scheduler_job.call,
    ]
  }

  assert {
    condition     = data.gcpinvoke_invocation_chain.job.ok
    error_message = data.gcpinvoke_invocation_chain.job.summary
  }
}
