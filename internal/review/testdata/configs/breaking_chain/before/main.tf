# State applied by ../prepare.sh before the plan of ../main.tf: three working chains.
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

resource "gcpinvoke_service_account" "web" {
  account_id = "chain-web"
}

resource "gcpinvoke_service_account" "queue" {
  account_id = "chain-queue"
}

resource "gcpinvoke_service_account" "gone" {
  account_id = "chain-gone"
}

resource "gcpinvoke_run_service_iam_member" "web" {
  service = "hello"
  member  = gcpinvoke_service_account.web.member
}

resource "gcpinvoke_service_agent_impersonation" "web" {
  service_account = gcpinvoke_service_account.web.email
  agent           = "cloudscheduler"
}

resource "gcpinvoke_scheduler_job" "web" {
  name     = "chain-web"
  schedule = "0 * * * *"
  http_target = {
    uri = data.gcpinvoke_run_service.hello.uri
    oidc_token = {
      service_account_email = gcpinvoke_service_account.web.email
    }
  }
}

resource "gcpinvoke_run_service_iam_member" "queue" {
  service = "hello"
  member  = gcpinvoke_service_account.queue.member
}

resource "gcpinvoke_service_agent_impersonation" "queue" {
  service_account = gcpinvoke_service_account.queue.email
  agent           = "cloudtasks"
}

resource "gcpinvoke_cloud_tasks_queue" "queue" {
  name = "chain-queue"
  http_target = {
    uri = data.gcpinvoke_run_service.hello.uri
    oidc_token = {
      service_account_email = gcpinvoke_service_account.queue.email
    }
  }
}

locals {
  gone_email = "chain-gone@demo-project.iam.gserviceaccount.com"
}

resource "gcpinvoke_run_service_iam_member" "gone" {
  service    = "hello"
  member     = "serviceAccount:${local.gone_email}"
  depends_on = [gcpinvoke_service_account.gone]
}

resource "gcpinvoke_scheduler_job" "gone" {
  name     = "chain-gone"
  schedule = "0 * * * *"
  http_target = {
    uri = data.gcpinvoke_run_service.hello.uri
    oidc_token = {
      service_account_email = local.gone_email
    }
  }
  depends_on = [gcpinvoke_run_service_iam_member.gone]
}
