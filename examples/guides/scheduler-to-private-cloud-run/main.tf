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

# The private service (deployed elsewhere): its URL is the OIDC audience.
data "gcpinvoke_run_service" "reports" {
  name = "reports"
}

# 1. The account the job's tokens are for.
resource "gcpinvoke_service_account" "scheduler" {
  account_id   = "reports-scheduler"
  display_name = "Calls the reports service on schedule"
}

# 2. It may invoke the service (roles/run.invoker on the service only).
resource "gcpinvoke_run_service_iam_member" "scheduler" {
  service = data.gcpinvoke_run_service.reports.name
  member  = gcpinvoke_service_account.scheduler.member
}

# 3. The Cloud Scheduler service agent may mint tokens for it.
resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.scheduler.email
  agent           = "cloudscheduler"
}

# 4. The job: an OIDC token whose audience defaults to the root URL of uri
#    (https://reports-...run.app), not the URL with its path and query.
resource "gcpinvoke_scheduler_job" "nightly" {
  name     = "nightly-report"
  schedule = "0 3 * * *"
  http_target = {
    uri  = "${data.gcpinvoke_run_service.reports.uri}/nightly?format=pdf"
    body = "{\"report\":\"nightly\"}"
    headers = {
      "Content-Type" = "application/json"
    }
    oidc_token = {
      service_account_email = gcpinvoke_service_account.scheduler.email
    }
  }
  depends_on = [gcpinvoke_run_service_iam_member.scheduler, gcpinvoke_service_agent_impersonation.scheduler]
}

check "nightly_report_can_invoke" {
  data "gcpinvoke_invocation_chain" "nightly" {
    caller          = "cloudscheduler"
    service_account = gcpinvoke_service_account.scheduler.email
    target_url      = gcpinvoke_scheduler_job.nightly.http_target.uri
    audience        = gcpinvoke_scheduler_job.nightly.http_target.oidc_token.audience
  }
  assert {
    condition     = data.gcpinvoke_invocation_chain.nightly.ok
    error_message = data.gcpinvoke_invocation_chain.nightly.summary
  }
}
