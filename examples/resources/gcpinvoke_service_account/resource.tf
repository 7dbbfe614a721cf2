# The identity a Cloud Scheduler job authenticates as when it calls a private
# Cloud Run service. Its email is known at plan time, and the bindings below
# succeed in the same apply: create waits until IAM can see the account.
resource "gcpinvoke_service_account" "invoker" {
  project      = "my-project"
  account_id   = "scheduler-invoker"
  display_name = "Scheduler invoker"
  description  = "Calls the hello service from Cloud Scheduler"
}

# Let the project's Cloud Scheduler service agent mint tokens as it.
resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.invoker.email
  agent           = "cloudscheduler"
}

# Let it invoke the service.
resource "gcpinvoke_run_service_iam_member" "invoker" {
  project  = "my-project"
  location = "us-central1"
  service  = "hello"
  member   = gcpinvoke_service_account.invoker.member
}
