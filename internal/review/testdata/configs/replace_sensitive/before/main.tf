# State applied by ../prepare.sh before the plan of ../main.tf.
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
  description = "HOST:PORT of the emulator (set by scripts/review-plans.sh)."
  type        = string
}

data "gcpinvoke_run_service" "hello" {
  name = "hello"
}

resource "gcpinvoke_service_account" "caller" {
  account_id = "replace-caller"
}

resource "gcpinvoke_run_service_iam_member" "invoker" {
  service = "hello"
  member  = gcpinvoke_service_account.caller.member
}

resource "gcpinvoke_run_service_iam_member" "reader" {
  service = "hello"
  member  = "user:old-reader@example.com"
}

resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.caller.email
  agent           = "cloudscheduler"
}

resource "gcpinvoke_scheduler_job" "tainted" {
  name     = "replace-tainted"
  schedule = "0 * * * *"
  http_target = {
    uri = data.gcpinvoke_run_service.hello.uri
    oidc_token = {
      service_account_email = gcpinvoke_service_account.caller.email
    }
  }
  depends_on = [gcpinvoke_run_service_iam_member.invoker, gcpinvoke_service_agent_impersonation.scheduler]
}
