# The import ID is "<service_account> <agent>", with the role as an optional
# third part when it is not the agent's default role. Write the service
# account as your configuration does (its email or its resource name).
terraform import gcpinvoke_service_agent_impersonation.scheduler "scheduler-invoker@my-project.iam.gserviceaccount.com cloudscheduler"

# When the agent belongs to another project than the account (a job in
# my-project calling with an account of shared-identities), the agent's
# project is the fourth part, after the role. The resource's id has the same
# form, so it can be imported by its id too.
terraform import gcpinvoke_service_agent_impersonation.tasks "projects/shared-identities/serviceAccounts/tasks-invoker@shared-identities.iam.gserviceaccount.com cloudtasks roles/iam.serviceAccountTokenCreator my-project"
