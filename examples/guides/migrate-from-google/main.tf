# After `gcpinvoke migrate --write .`: the resources once written for the
# Google provider, now gcpinvoke ones, each with the moved block that takes
# its state over (the next plan: 0 to add, 0 to change, 0 to destroy).
terraform {
  required_providers {
    gcpinvoke = {
      source = "gcpinvoke/gcpinvoke"
    }
  }
}

provider "gcpinvoke" {
  project = "my-project"
  region  = "us-central1"
}

resource "gcpinvoke_service_account" "caller" {
  account_id   = "scheduler-caller"
  display_name = "Scheduler caller"
}

resource "gcpinvoke_run_service_iam_member" "invoker" {
  service = "reports" # was `name` on google_cloud_run_v2_service_iam_member
  member  = gcpinvoke_service_account.caller.member
}

resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.caller.email
  agent           = "cloudscheduler"
}

resource "gcpinvoke_scheduler_job" "nightly" {
  name     = "nightly"
  location = "us-central1" # was `region`
  schedule = "0 3 * * *"

  retry_config = { # was a block
    retry_count = 2
    min_backoff = "10s" # was min_backoff_duration
  }

  http_target = {
    uri         = "https://reports-abc123xyz-uc.a.run.app/nightly"
    http_method = "POST"
    body        = "{\"report\":\"daily\"}" # was base64encode("{\"report\":\"daily\"}")
    oidc_token = {
      service_account_email = gcpinvoke_service_account.caller.email
    }
  }
}

moved {
  from = google_service_account.caller
  to   = gcpinvoke_service_account.caller
}

moved {
  from = google_cloud_run_v2_service_iam_member.invoker
  to   = gcpinvoke_run_service_iam_member.invoker
}

moved {
  from = google_cloud_scheduler_job.nightly
  to   = gcpinvoke_scheduler_job.nightly
}

check "nightly_can_invoke" {
  data "gcpinvoke_invocation_chain" "nightly" {
    caller          = "cloudscheduler"
    service_account = gcpinvoke_service_account.caller.email
    target_url      = gcpinvoke_scheduler_job.nightly.http_target.uri
    audience        = gcpinvoke_scheduler_job.nightly.http_target.oidc_token.audience
  }
  assert {
    condition     = data.gcpinvoke_invocation_chain.nightly.ok
    error_message = data.gcpinvoke_invocation_chain.nightly.summary
  }
}
