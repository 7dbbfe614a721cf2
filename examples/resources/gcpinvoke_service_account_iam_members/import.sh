# <service account email or projects/P/serviceAccounts/EMAIL> <role> [condition title]
terraform import gcpinvoke_service_account_iam_members.users \
  "projects/my-project/serviceAccounts/scheduler-invoker@my-project.iam.gserviceaccount.com roles/iam.serviceAccountUser"
