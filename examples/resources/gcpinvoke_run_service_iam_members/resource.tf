# Grant the invoker role to several callers in one read and one write of the
# service's policy. Members granted the role by anyone else are left alone.
resource "gcpinvoke_run_service_iam_members" "callers" {
  service = "reports"
  role    = "roles/run.invoker"
  members = [
    "serviceAccount:scheduler-invoker@my-project.iam.gserviceaccount.com",
    "serviceAccount:tasks-invoker@my-project.iam.gserviceaccount.com",
  ]
  # exclusive = true makes this list the only holders of the role; the plan
  # then warns which other members it will remove.
}
