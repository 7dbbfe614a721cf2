# <resource> <role> [condition title]
terraform import gcpinvoke_run_service_iam_members.callers \
  "projects/my-project/locations/us-central1/services/reports roles/run.invoker"
