# A queue whose tasks all go to a private Cloud Run service with an OIDC
# token for a service account. The audience is left out: it defaults to the
# service's root URL, which is what Cloud Run accepts. The Cloud Tasks
# service agent must be allowed to mint tokens for the account, and the
# account needs roles/run.invoker on the service.
resource "gcpinvoke_service_agent_impersonation" "tasks" {
  service_account = "orders-invoker@my-project.iam.gserviceaccount.com"
  agent           = "cloudtasks"
}

resource "gcpinvoke_cloud_tasks_queue" "orders" {
  name     = "orders"
  location = "europe-west1"

  rate_limits = {
    max_dispatches_per_second = 10
    max_concurrent_dispatches = 20
  }

  retry_config = {
    max_attempts = 5
    min_backoff  = "1s"
    max_backoff  = "5m"
  }

  http_target = {
    uri         = "https://orders-abc123-ew.a.run.app/tasks/process"
    http_method = "POST"
    headers     = { "Content-Type" = "application/json" }

    oidc_token = {
      service_account_email = "orders-invoker@my-project.iam.gserviceaccount.com"
    }
  }

  depends_on = [gcpinvoke_service_agent_impersonation.tasks]
}
