import {
  to = gcpinvoke_run_service_iam_member.scheduler
  id = "projects/my-project/locations/us-central1/services/reports roles/run.invoker serviceAccount:scheduler-invoker@my-project.iam.gserviceaccount.com"
}
