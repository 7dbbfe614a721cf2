# List the members this resource manages after the role: it then manages
# exactly those of them that hold the role, so with the same members in the
# configuration the plan after the import is empty, and holders it does not
# list are never claimed nor removed (only exclusive = true removes them, and
# its plan warns which ones).
import {
  to = gcpinvoke_service_account_iam_members.users
  id = "projects/my-project/serviceAccounts/scheduler-invoker@my-project.iam.gserviceaccount.com roles/iam.serviceAccountUser serviceAccount:terraform@my-project.iam.gserviceaccount.com,group:platform@example.com"
}

# Without a member list the import claims no member: the plan after the
# import adds the configured members (a write only for those not holding the
# role yet) and never removes a holder.
# import {
#   to = gcpinvoke_service_account_iam_members.users
#   id = "projects/my-project/serviceAccounts/scheduler-invoker@my-project.iam.gserviceaccount.com roles/iam.serviceAccountUser"
# }
