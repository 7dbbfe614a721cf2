# Written by `gcpinvoke setup scheduler-to-run --emit-terraform .` for an
# existing chain: `terraform plan` here imports what exists and changes
# nothing. The check block was added by hand.
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

resource "gcpinvoke_service_account" "scheduler_invoker" {
  project      = "my-project"
  account_id   = "scheduler-invoker"
  display_name = "Invoker for invoke-hello (gcpinvoke setup)"
}

import {
  to = gcpinvoke_service_account.scheduler_invoker
  id = "scheduler-invoker@my-project.iam.gserviceaccount.com"
}

# The Cloud Scheduler service agent already holds roles/cloudscheduler.serviceAgent on project my-project,
# so it may mint tokens for every account there. To declare the right on this account
# alone (it survives a change of the project policy), uncomment:
#
# resource "gcpinvoke_service_agent_impersonation" "cloudscheduler" {
#   service_account = gcpinvoke_service_account.scheduler_invoker.email
#   agent           = "cloudscheduler"
# }

resource "gcpinvoke_run_service_iam_member" "invoker" {
  project  = "my-project"
  location = "us-central1"
  service  = "hello"
  role     = "roles/run.invoker"
  member   = gcpinvoke_service_account.scheduler_invoker.member
}

import {
  to = gcpinvoke_run_service_iam_member.invoker
  id = "projects/my-project/locations/us-central1/services/hello roles/run.invoker serviceAccount:scheduler-invoker@my-project.iam.gserviceaccount.com"
}

resource "gcpinvoke_scheduler_job" "invoke_hello" {
  project     = "my-project"
  location    = "us-central1"
  name        = "invoke-hello"
  description = "Created by gcpinvoke setup scheduler-to-run"
  schedule    = "0 * * * *"
  time_zone   = "Etc/UTC"
  http_target = {
    uri         = "https://hello-abc123xyz-uc.a.run.app"
    http_method = "POST"
    oidc_token = {
      service_account_email = gcpinvoke_service_account.scheduler_invoker.email
      audience              = "https://hello-abc123xyz-uc.a.run.app"
    }
  }
}

import {
  to = gcpinvoke_scheduler_job.invoke_hello
  id = "projects/my-project/locations/us-central1/jobs/invoke-hello"
}

check "hello_can_invoke" {
  data "gcpinvoke_invocation_chain" "hello" {
    caller          = "cloudscheduler"
    service_account = gcpinvoke_service_account.scheduler_invoker.email
    target_url      = gcpinvoke_scheduler_job.invoke_hello.http_target.uri
    audience        = gcpinvoke_scheduler_job.invoke_hello.http_target.oidc_token.audience
  }
  assert {
    condition     = data.gcpinvoke_invocation_chain.hello.ok
    error_message = data.gcpinvoke_invocation_chain.hello.summary
  }
}
