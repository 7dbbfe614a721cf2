import {
  to = gcpinvoke_cloudfunctions_function_iam_members.callers
  id = "projects/my-project/locations/us-central1/functions/nightly-export roles/run.invoker"
}
