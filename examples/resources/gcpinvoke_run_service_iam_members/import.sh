# <resource> <role> [condition title]
# An imported _iam_members (exclusive = false) claims no member: the import ID
# does not say which holders this configuration lists. The plan after the
# import adds the listed members to this resource (a write only for those not
# holding the role yet) and never removes a holder it does not list.
terraform import gcpinvoke_run_service_iam_members.callers \
  "projects/my-project/locations/us-central1/services/reports roles/run.invoker"
