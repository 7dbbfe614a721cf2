# Review scenario "neutral" (scripts/review-plans.sh →
# testdata/plans/real_neutral.json): a plan that changes nothing in Google
# Cloud. prepare.sh applies before/main.tf and adds user:imported@example.com
# as invoker of hello out of band; this configuration then
#   - moves the invoker binding to a new address (moved block),
#   - forgets the exclusive developer binding (removed, destroy = false),
#   - imports the out-of-band binding (import block).
# Expected: no grant, no revocation, no finding; three state-only changes.
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

moved {
  from = gcpinvoke_run_service_iam_member.old_name
  to   = gcpinvoke_run_service_iam_member.invoker
}

resource "gcpinvoke_run_service_iam_member" "invoker" {
  service = "hello"
  member  = gcpinvoke_service_account.caller.member
}

removed {
  from = gcpinvoke_run_service_iam_members.legacy
  lifecycle {
    destroy = false
  }
}

import {
  to = gcpinvoke_run_service_iam_member.imported
  id = "projects/demo-project/locations/us-central1/services/hello roles/run.invoker user:imported@example.com"
}

resource "gcpinvoke_run_service_iam_member" "imported" {
  service = "hello"
  member  = "user:imported@example.com"
}
