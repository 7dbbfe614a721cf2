# Review scenario "replace_sensitive" (scripts/review-plans.sh →
# testdata/plans/real_replace_sensitive.json): replacements with their
# reasons, and values marked sensitive. prepare.sh applies before/main.tf and
# taints the job; this configuration then
#   - changes the member of gcpinvoke_run_service_iam_member.reader, which
#     cannot be updated in place (replace because member …),
#   - replaces the tainted job (replace because tainted),
#   - grants a member that comes from a sensitive variable, and calls a URL
#     with a sensitive query: neither may appear in the report.
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

variable "secret_member" {
  description = "A member whose identity must not be printed."
  type        = string
  sensitive   = true
  default     = "user:secret-person@example.com"
}

variable "secret_token" {
  description = "A token the job carries in its URL's query."
  type        = string
  sensitive   = true
  default     = "s3cr3t-t0ken"
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
  member  = "user:new-reader@example.com"
}

resource "gcpinvoke_run_service_iam_member" "secret" {
  service = "hello"
  member  = var.secret_member
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

resource "gcpinvoke_scheduler_job" "secret_url" {
  name     = "replace-secret-url"
  schedule = "0 * * * *"
  http_target = {
    uri = "${data.gcpinvoke_run_service.hello.uri}/hook?key=${var.secret_token}"
    oidc_token = {
      service_account_email = gcpinvoke_service_account.caller.email
      audience              = data.gcpinvoke_run_service.hello.uri
    }
  }
  depends_on = [gcpinvoke_run_service_iam_member.invoker, gcpinvoke_service_agent_impersonation.scheduler]
}
