# An imported _iam_members (exclusive = false) claims no member: the import ID
# does not say which holders this configuration lists. The plan after the
# import adds the listed members to this resource (a write only for those not
# holding the role yet) and never removes a holder it does not list.
import {
  to = gcpinvoke_cloudfunctions_function_iam_members.callers
  id = "projects/my-project/locations/us-central1/functions/nightly-export roles/run.invoker"
}
