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

# A public landing page: anyone may call it. allUsers is refused at plan
# time unless allow_public says it is meant.
resource "gcpinvoke_run_service_iam_member" "landing_public" {
  service      = "landing"
  member       = "allUsers"
  allow_public = true
}

# A private API: only the scheduler's account may call it.
resource "gcpinvoke_service_account" "scheduler" {
  account_id = "api-scheduler"
}

resource "gcpinvoke_run_service_iam_member" "api" {
  service = "api"
  member  = gcpinvoke_service_account.scheduler.member
}

resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.scheduler.email
  agent           = "cloudscheduler"
}

# What the service itself says: a service with invoker_iam_disabled skips
# the invoker check altogether (public whatever its IAM policy), and its
# ingress decides where requests may come from at all.
data "gcpinvoke_run_service" "api" {
  name = "api"
}

resource "gcpinvoke_scheduler_job" "sync" {
  name     = "api-sync"
  schedule = "*/10 * * * *"
  http_target = {
    uri = "${data.gcpinvoke_run_service.api.uri}/sync"
    oidc_token = {
      service_account_email = gcpinvoke_service_account.scheduler.email
    }
  }
  depends_on = [gcpinvoke_run_service_iam_member.api, gcpinvoke_service_agent_impersonation.scheduler]
}

check "api_is_private_and_reachable" {
  data "gcpinvoke_invocation_chain" "sync" {
    caller          = "cloudscheduler"
    service_account = gcpinvoke_service_account.scheduler.email
    target_url      = gcpinvoke_scheduler_job.sync.http_target.uri
    audience        = gcpinvoke_scheduler_job.sync.http_target.oidc_token.audience
  }
  assert {
    condition     = data.gcpinvoke_invocation_chain.sync.ok
    error_message = data.gcpinvoke_invocation_chain.sync.summary
  }
  assert {
    condition     = !data.gcpinvoke_run_service.api.invoker_iam_disabled
    error_message = "The api service has invoker_iam_disabled: anyone who reaches it may call it."
  }
}
