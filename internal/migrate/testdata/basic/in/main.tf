terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
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

provider "google" {
  alias  = "eu"
  region = "europe-west1"
}

# The account Cloud Scheduler calls as.
resource "google_service_account" "caller" {
  account_id   = "scheduler-caller"
  display_name = "Scheduler caller"
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  location = "us-central1"
  name     = "hello"
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.caller.email}"
}

resource "google_service_account_iam_binding" "agent" {
  service_account_id = google_service_account.caller.name
  role               = "roles/iam.serviceAccountTokenCreator"
  members            = ["serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"]
}

resource "google_cloud_scheduler_job" "nightly" {
  name     = "nightly"
  region   = "us-central1"
  schedule = "0 3 * * *"

  retry_config {
    retry_count          = 2
    min_backoff_duration = "10s" # wait a bit
  }

  http_target {
    uri         = "https://hello-abc-uc.a.run.app/report"
    http_method = "POST"
    body        = base64encode("{\"report\":\"daily\"}")

    oidc_token {
      service_account_email = google_service_account.caller.email
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
  value = google_cloud_scheduler_job.nightly.region
}

resource "google_service_account" "eu" {
  provider   = google.eu
  account_id = "eu-caller"
}

resource "google_service_account" "beta" {
  provider   = google-beta
  account_id = "beta-caller"
}
