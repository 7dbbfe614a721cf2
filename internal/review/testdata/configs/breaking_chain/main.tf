# Review scenario "breaking_chain" (scripts/review-plans.sh →
# testdata/plans/real_breaking_chain.json): prepare.sh applies three working
# chains (before/main.tf); this configuration keeps every caller but
#   - drops the invoker binding of gcpinvoke_scheduler_job.web (403),
#   - drops the Cloud Tasks agent's impersonation grant of the queue's
#     account (no token),
#   - drops the service account gcpinvoke_scheduler_job.gone acts as.
# Expected: one high broken-chain finding per broken caller.
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
  service = "hello"
  member  = "serviceAccount:${local.gone_email}"
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
