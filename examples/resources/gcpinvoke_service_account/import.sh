# A service account is imported by its email or its resource name.
terraform import gcpinvoke_service_account.invoker scheduler-invoker@my-project.iam.gserviceaccount.com
terraform import gcpinvoke_service_account.invoker projects/my-project/serviceAccounts/scheduler-invoker@my-project.iam.gserviceaccount.com
