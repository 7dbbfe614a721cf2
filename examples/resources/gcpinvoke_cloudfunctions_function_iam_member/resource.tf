# The role defaults to the invoker role for the function's generation:
# roles/cloudfunctions.invoker on a 1st gen function, roles/run.invoker on the
# Cloud Run service behind a 2nd gen function (see binding_target).
resource "gcpinvoke_cloudfunctions_function_iam_member" "scheduler" {
  project  = "my-project"
  location = "us-central1"
  function = "nightly-export"
  member   = "serviceAccount:scheduler-invoker@my-project.iam.gserviceaccount.com"
}

output "invoker_binding_is_on" {
  value = gcpinvoke_cloudfunctions_function_iam_member.scheduler.binding_target
}
