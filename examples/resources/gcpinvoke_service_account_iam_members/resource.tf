# Who may attach the invoker account to jobs (iam.serviceAccounts.actAs).
resource "gcpinvoke_service_account_iam_members" "users" {
  service_account = "projects/my-project/serviceAccounts/scheduler-invoker@my-project.iam.gserviceaccount.com"
  role            = "roles/iam.serviceAccountUser"
  members = [
    "serviceAccount:terraform@my-project.iam.gserviceaccount.com",
    "group:platform@example.com",
  ]
}
