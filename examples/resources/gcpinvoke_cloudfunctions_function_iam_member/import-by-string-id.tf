import {
  to = gcpinvoke_cloudfunctions_function_iam_member.scheduler
  id = "projects/my-project/locations/us-central1/functions/nightly-export roles/run.invoker serviceAccount:scheduler-invoker@my-project.iam.gserviceaccount.com"
}
