# <resource> <role> [condition title]
terraform import gcpinvoke_cloudfunctions_function_iam_members.callers \
  "projects/my-project/locations/us-central1/functions/nightly-export roles/run.invoker"
