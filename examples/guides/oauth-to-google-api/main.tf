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

# The account the OAuth access tokens are for. It needs, on the project,
# the roles of the API calls it makes (granted outside this provider, e.g.
# google_project_iam_member): roles/compute.instanceAdmin.v1 to resize a
# managed instance group, roles/compute.securityAdmin to patch a Cloud Armor
# rule.
resource "gcpinvoke_service_account" "ops" {
  account_id   = "scheduled-ops"
  display_name = "Resizes the web group and patches edge rules"
}

resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.ops.email
  agent           = "cloudscheduler"
}

resource "gcpinvoke_service_agent_impersonation" "tasks" {
  service_account = gcpinvoke_service_account.ops.email
  agent           = "cloudtasks"
}

# Every evening: scale the managed instance group down to 2 VMs. The call
# returns a long-running operation, which Cloud Scheduler does not follow:
# the job succeeds when the operation is accepted, not when it is done.
resource "gcpinvoke_scheduler_job" "scale_down" {
  name      = "web-scale-down"
  schedule  = "0 20 * * *"
  time_zone = "Europe/Berlin"
  http_target = {
    uri         = "https://compute.googleapis.com/compute/v1/projects/my-project/zones/us-central1-a/instanceGroupManagers/web/resize?size=2"
    http_method = "POST"
    oauth_token = {
      service_account_email = gcpinvoke_service_account.ops.email
    }
  }
  depends_on = [gcpinvoke_service_agent_impersonation.scheduler]
}

# A queue whose tasks patch a Cloud Armor rule (each task carries the rule
# as its body), with an OAuth token: the URL is a *.googleapis.com API.
resource "gcpinvoke_cloud_tasks_queue" "armor" {
  name = "armor-patches"
  http_target = {
    uri         = "https://compute.googleapis.com/compute/v1/projects/my-project/global/securityPolicies/edge/patchRule?priority=1000"
    http_method = "POST"
    oauth_token = {
      service_account_email = gcpinvoke_service_account.ops.email
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }
  depends_on = [gcpinvoke_service_agent_impersonation.tasks]
}

check "scale_down_can_call" {
  data "gcpinvoke_invocation_chain" "scale_down" {
    caller          = "cloudscheduler"
    service_account = gcpinvoke_service_account.ops.email
    target_url      = gcpinvoke_scheduler_job.scale_down.http_target.uri
    token_type      = "oauth"
  }
  assert {
    condition     = data.gcpinvoke_invocation_chain.scale_down.ok
    error_message = data.gcpinvoke_invocation_chain.scale_down.summary
  }
}
