import {
  to = gcpinvoke_run_service_iam_members.callers
  id = "projects/my-project/locations/us-central1/services/reports roles/run.invoker"
}
