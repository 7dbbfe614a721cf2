# <resource> <role> <member> [condition title]; use the function's invoker role
# (roles/run.invoker for 2nd gen, roles/cloudfunctions.invoker for 1st gen).
terraform import gcpinvoke_cloudfunctions_function_iam_member.scheduler \
  "projects/my-project/locations/us-central1/functions/nightly-export roles/run.invoker serviceAccount:scheduler-invoker@my-project.iam.gserviceaccount.com"
