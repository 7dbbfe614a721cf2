# <service account email or projects/P/serviceAccounts/EMAIL> <role> <member> [condition title]
terraform import gcpinvoke_service_account_iam_member.scheduler_agent \
  "scheduler-invoker@my-project.iam.gserviceaccount.com roles/iam.serviceAccountTokenCreator serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
