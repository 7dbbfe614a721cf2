resource "gcpinvoke_cloudfunctions_function_iam_members" "callers" {
  function = "nightly-export"
  members = [
    "serviceAccount:scheduler-invoker@my-project.iam.gserviceaccount.com",
    "serviceAccount:workflow-runner@my-project.iam.gserviceaccount.com",
  ]
}
