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
  account_id = "functions-caller"
}

resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.caller.email
  agent           = "cloudscheduler"
}

# 2nd gen: the function is served by a Cloud Run service, and calling it
# needs roles/run.invoker on that service. The role defaults to it and the
# binding lands on the service (binding_target shows which).
resource "gcpinvoke_cloudfunctions_function_iam_member" "gen2" {
  function = "thumbnails"
  member   = gcpinvoke_service_account.caller.member
}

# 1st gen: roles/cloudfunctions.invoker on the function itself.
resource "gcpinvoke_cloudfunctions_function_iam_member" "gen1" {
  function = "legacy-cleanup"
  member   = gcpinvoke_service_account.caller.member
}

resource "gcpinvoke_scheduler_job" "thumbnails" {
  name     = "thumbnails"
  schedule = "*/15 * * * *"
  http_target = {
    # A 2nd gen function's URL (its Cloud Run service's URL works too).
    uri = "https://thumbnails-abc123xyz-uc.a.run.app/"
    oidc_token = {
      service_account_email = gcpinvoke_service_account.caller.email
    }
  }
  depends_on = [gcpinvoke_cloudfunctions_function_iam_member.gen2, gcpinvoke_service_agent_impersonation.scheduler]
}

resource "gcpinvoke_scheduler_job" "cleanup" {
  name     = "legacy-cleanup"
  schedule = "0 4 * * *"
  http_target = {
    # A 1st gen function accepts tokens whose audience is its whole URL,
    # which is what the audience defaults to here.
    uri = "https://us-central1-my-project.cloudfunctions.net/legacy-cleanup"
    oidc_token = {
      service_account_email = gcpinvoke_service_account.caller.email
    }
  }
  depends_on = [gcpinvoke_cloudfunctions_function_iam_member.gen1, gcpinvoke_service_agent_impersonation.scheduler]
}

check "gen2_function_can_be_invoked" {
  data "gcpinvoke_invocation_chain" "gen2" {
    caller          = "cloudscheduler"
    service_account = gcpinvoke_service_account.caller.email
    function        = "thumbnails"
    audience        = gcpinvoke_scheduler_job.thumbnails.http_target.oidc_token.audience
  }
  assert {
    condition     = data.gcpinvoke_invocation_chain.gen2.ok
    error_message = data.gcpinvoke_invocation_chain.gen2.summary
  }
}

check "gen1_function_can_be_invoked" {
  data "gcpinvoke_invocation_chain" "gen1" {
    caller          = "cloudscheduler"
    service_account = gcpinvoke_service_account.caller.email
    function        = "legacy-cleanup"
    audience        = gcpinvoke_scheduler_job.cleanup.http_target.oidc_token.audience
  }
  assert {
    condition     = data.gcpinvoke_invocation_chain.gen1.ok
    error_message = data.gcpinvoke_invocation_chain.gen1.summary
  }
}
