# List the members this resource manages after the role: it then manages
# exactly those of them that hold the role, so with the same members in the
# configuration the plan after the import is empty, and holders it does not
# list are never claimed nor removed (only exclusive = true removes them, and
# its plan warns which ones).
import {
  to = gcpinvoke_cloudfunctions_function_iam_members.callers
  id = "projects/my-project/locations/us-central1/functions/nightly-export roles/run.invoker serviceAccount:scheduler-invoker@my-project.iam.gserviceaccount.com,serviceAccount:workflow-runner@my-project.iam.gserviceaccount.com"
}

# Without a member list the import claims no member: the plan after the
# import adds the configured members (a write only for those not holding the
# role yet) and never removes a holder.
# import {
#   to = gcpinvoke_cloudfunctions_function_iam_members.callers
#   id = "projects/my-project/locations/us-central1/functions/nightly-export roles/run.invoker"
# }
