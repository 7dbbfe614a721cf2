import {
  to = gcpinvoke_service_account_iam_member.scheduler_agent
  id = "scheduler-invoker@my-project.iam.gserviceaccount.com roles/iam.serviceAccountTokenCreator serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
}
