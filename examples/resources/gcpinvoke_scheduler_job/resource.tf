# A job that calls a private Cloud Run service every weekday at 09:00 Berlin
# time with an OIDC token. The audience is left out: it defaults to the
# service's root URL, which is what Cloud Run accepts.
resource "gcpinvoke_scheduler_job" "report" {
  name        = "daily-report"
  description = "Builds the daily report"
  schedule    = "0 9 * * MON-FRI"
  time_zone   = "Europe/Berlin"

  attempt_deadline = "5m"
  retry_config = {
    retry_count = 3
    min_backoff = "10s"
  }

  http_target = {
    uri         = "https://report-abc123-ew.a.run.app/jobs/daily?format=pdf"
    http_method = "POST"
    headers     = { "Content-Type" = "application/json" }
    body        = jsonencode({ kind = "daily" })

    oidc_token = {
      service_account_email = "report-invoker@my-project.iam.gserviceaccount.com"
    }
  }
}

# A job that calls a Google API: OAuth access tokens are only sent to
# https://*.googleapis.com, and a job that names another host is refused at
# plan time.
resource "gcpinvoke_scheduler_job" "scale_up" {
  name     = "scale-up-workers"
  schedule = "0 7 * * *"

  http_target = {
    uri = "https://compute.googleapis.com/compute/v1/projects/my-project/zones/europe-west1-b/instanceGroupManagers/workers/resize?size=4"

    oauth_token = {
      service_account_email = "scaler@my-project.iam.gserviceaccount.com"
    }
  }
}
