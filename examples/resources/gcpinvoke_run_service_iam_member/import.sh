# <resource> <role> <member> [condition title]; <resource> may also be
# {project}/{location}/{service}, {location}/{service} or {service}.
terraform import gcpinvoke_run_service_iam_member.scheduler \
  "projects/my-project/locations/us-central1/services/reports roles/run.invoker serviceAccount:scheduler-invoker@my-project.iam.gserviceaccount.com"
