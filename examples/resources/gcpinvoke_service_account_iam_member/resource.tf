# Let the Cloud Scheduler service agent mint OIDC tokens as the invoker account.
resource "gcpinvoke_service_account_iam_member" "scheduler_agent" {
  service_account = "scheduler-invoker@my-project.iam.gserviceaccount.com"
  role            = "roles/iam.serviceAccountTokenCreator"
  member          = "serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
}
