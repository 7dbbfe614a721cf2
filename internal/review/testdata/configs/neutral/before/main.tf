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

resource "gcpinvoke_service_account" "caller" {
  account_id = "neutral-caller"
}

resource "gcpinvoke_run_service_iam_member" "old_name" {
  service = "hello"
  member  = gcpinvoke_service_account.caller.member
}

resource "gcpinvoke_run_service_iam_members" "legacy" {
  service   = "hello-fn"
  role      = "roles/run.developer"
  members   = ["user:legacy@example.com"]
  exclusive = true
}
