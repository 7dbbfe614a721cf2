# Review scenario "functions_tasks_workflows" (scripts/review-plans.sh →
# testdata/plans/real_functions_tasks_workflows.json): clean chains through
# the other callers and targets — a Cloud Tasks queue to a 1st gen function,
# a workflow to a 2nd gen function's Run service, a Scheduler job with an
# OAuth token to a Google API. No finding is expected.

terraform {
  required_providers {
    gcpinvoke = {
      source = "gcpinvoke/gcpinvoke"
    }
  }
}

provider "gcpinvoke" {
  project = "demo-project"
  region  = "us-central1"
}

variable "emulator_host" {
  description = "HOST:PORT of the emulator: the 1st gen function's URL is built from it (set by scripts/review-plans.sh)."
  type        = string
}

locals {
  legacy_fn_url = "http://us-central1-demo-project.cloudfunctions.localhost:${split(":", var.emulator_host)[1]}/legacy-fn"
}

data "gcpinvoke_run_service" "hello_fn" {
  name = "hello-fn"
}

resource "gcpinvoke_service_account" "tasks" {
  account_id   = "tasks-caller"
  display_name = "Cloud Tasks caller of legacy-fn"
}

resource "gcpinvoke_service_account" "runner" {
  account_id   = "workflow-runner"
  display_name = "Runs the fan-out workflow"
}

resource "gcpinvoke_service_account" "scaler" {
  account_id   = "scaler"
  display_name = "Calls the Compute API"
}

# 1st gen: roles/cloudfunctions.invoker on the function (role computed).
resource "gcpinvoke_cloudfunctions_function_iam_member" "tasks" {
  function = "legacy-fn"
  member   = gcpinvoke_service_account.tasks.member
}

# 2nd gen: roles/run.invoker on the Run service behind the function.
resource "gcpinvoke_cloudfunctions_function_iam_members" "hello_fn" {
  function = "hello-fn"
  members  = [gcpinvoke_service_account.runner.member]
}

resource "gcpinvoke_service_agent_impersonation" "tasks" {
  service_account = gcpinvoke_service_account.tasks.email
  agent           = "cloudtasks"
}

resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.scaler.email
  agent           = "cloudscheduler"
}

resource "gcpinvoke_cloud_tasks_queue" "exports" {
  name = "exports"

  http_target = {
    uri         = local.legacy_fn_url
    http_method = "POST"
    oidc_token = {
      service_account_email = gcpinvoke_service_account.tasks.email
    }
  }

  depends_on = [gcpinvoke_service_agent_impersonation.tasks]
}

resource "gcpinvoke_scheduler_job" "scale_up" {
  name     = "scale-up-workers"
  schedule = "0 7 * * *"

  http_target = {
    uri = "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/us-central1-a/instanceGroupManagers/workers/resize?size=4"
    oauth_token = {
      service_account_email = gcpinvoke_service_account.scaler.email
    }
  }
}

resource "gcpinvoke_workflow" "fan_out" {
  name            = "fan-out"
  service_account = gcpinvoke_service_account.runner.email

  source = <<-EOT
    main:
      steps:
        - call_hello:
            call: http.post
            args:
              url: ${data.gcpinvoke_run_service.hello_fn.uri}/work
              auth:
                type: OIDC
                audience: ${data.gcpinvoke_run_service.hello_fn.uri}
            result: res
        - done:
            return: $${res.body}
  EOT
}
