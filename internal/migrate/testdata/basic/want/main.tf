terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
    gcpinvoke = {
      source = "gcpinvoke/gcpinvoke"
    }
  }
}

provider "google" {
  project                     = "demo-project"
  region                      = "us-central1"
  credentials                 = file("key.json")
  impersonate_service_account = "terraform@demo-project.iam.gserviceaccount.com"
  user_project_override       = true
}

provider "gcpinvoke" {
  project                     = "demo-project"
  region                      = "us-central1"
  credentials                 = file("key.json")
  impersonate_service_account = "terraform@demo-project.iam.gserviceaccount.com"
}

provider "google" {
  alias  = "eu"
  region = "europe-west1"
}

# The account Cloud Scheduler calls as.
resource "gcpinvoke_service_account" "caller" {
  account_id   = "scheduler-caller"
  display_name = "Scheduler caller"
}

resource "gcpinvoke_run_service_iam_member" "invoker" {
  location = "us-central1"
  service  = "hello"
  role     = "roles/run.invoker"
  member   = "serviceAccount:${gcpinvoke_service_account.caller.email}"
}

resource "gcpinvoke_service_account_iam_members" "agent" {
  service_account = gcpinvoke_service_account.caller.name
  role            = "roles/iam.serviceAccountTokenCreator"
  members         = ["serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"]
  exclusive       = true
}

resource "gcpinvoke_scheduler_job" "nightly" {
  name     = "nightly"
  location = "us-central1"
  schedule = "0 3 * * *"

  retry_config = {
    retry_count = 2
    min_backoff = "10s" # wait a bit
  }

  http_target = {
    uri         = "https://hello-abc-uc.a.run.app/report"
    http_method = "POST"
    body        = "{\"report\":\"daily\"}"

    oidc_token = {
      service_account_email = gcpinvoke_service_account.caller.email
      audience              = "https://hello-abc-uc.a.run.app"
    }
  }
}

resource "google_cloud_scheduler_job" "topic" {
  name     = "topic"
  schedule = "0 3 * * *"
  pubsub_target {
    topic_name = "projects/demo-project/topics/t"
  }
}

output "job_region" {
  value = gcpinvoke_scheduler_job.nightly.location
}

resource "google_service_account" "eu" {
  provider   = google.eu
  account_id = "eu-caller"
}

resource "gcpinvoke_service_account" "beta" {
  account_id = "beta-caller"
}

moved {
  from = google_service_account.caller
  to   = gcpinvoke_service_account.caller
}

moved {
  from = google_cloud_run_v2_service_iam_member.invoker
  to   = gcpinvoke_run_service_iam_member.invoker
}

moved {
  from = google_service_account_iam_binding.agent
  to   = gcpinvoke_service_account_iam_members.agent
}

moved {
  from = google_cloud_scheduler_job.nightly
  to   = gcpinvoke_scheduler_job.nightly
}

moved {
  from = google_service_account.beta
  to   = gcpinvoke_service_account.beta
}
