# Let the Cloud Scheduler job's service account call a private Cloud Run service.
resource "gcpinvoke_run_service_iam_member" "scheduler" {
  project  = "my-project"
  location = "us-central1"
  service  = "reports"
  # role defaults to "roles/run.invoker"
  member = "serviceAccount:scheduler-invoker@my-project.iam.gserviceaccount.com"

  # How long the engine may retry conflicts and not-yet-visible service
  # accounts (default 5m), in the block form every resource uses.
  timeouts {
    create = "10m"
  }
}

# Making a service public must be acknowledged explicitly.
resource "gcpinvoke_run_service_iam_member" "public" {
  service      = "landing-page"
  member       = "allUsers"
  allow_public = true
}
