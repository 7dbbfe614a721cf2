# Let the Cloud Scheduler service agent of the account's project mint OIDC
# tokens as the account: role defaults to roles/cloudscheduler.serviceAgent,
# and the agent's email (service-PROJECT_NUMBER@gcp-sa-cloudscheduler...) is
# derived from the project number the provider looks up.
resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = "scheduler-invoker@my-project.iam.gserviceaccount.com"
  agent           = "cloudscheduler"
}

# The job lives in another project than the account: name the job's project,
# and grant the generic Token Creator role instead.
resource "gcpinvoke_service_agent_impersonation" "tasks" {
  service_account = "projects/shared-identities/serviceAccounts/tasks-invoker@shared-identities.iam.gserviceaccount.com"
  agent           = "cloudtasks"
  project         = "my-project"
  role            = "roles/iam.serviceAccountTokenCreator"
}

output "scheduler_agent" {
  value = gcpinvoke_service_agent_impersonation.scheduler.agent_email
}

# With the project number at hand, the same email needs no API call.
output "scheduler_agent_from_number" {
  value = provider::gcpinvoke::service_agent_email(gcpinvoke_service_agent_impersonation.scheduler.project_number, "cloudscheduler")
}
