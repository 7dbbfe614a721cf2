import {
  to = gcpinvoke_service_account_iam_members.users
  id = "projects/my-project/serviceAccounts/scheduler-invoker@my-project.iam.gserviceaccount.com roles/iam.serviceAccountUser"
}
