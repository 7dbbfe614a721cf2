# An imported _iam_members (exclusive = false) claims no member: the import ID
# does not say which holders this configuration lists. The plan after the
# import adds the listed members to this resource (a write only for those not
# holding the role yet) and never removes a holder it does not list.
import {
  to = gcpinvoke_service_account_iam_members.users
  id = "projects/my-project/serviceAccounts/scheduler-invoker@my-project.iam.gserviceaccount.com roles/iam.serviceAccountUser"
}
