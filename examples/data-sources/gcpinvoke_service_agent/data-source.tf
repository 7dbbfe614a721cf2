# The Cloud Tasks service agent of my-project, its number looked up.
data "gcpinvoke_service_agent" "tasks" {
  project = "my-project"
  agent   = "cloudtasks"
}

output "tasks_agent" {
  value = data.gcpinvoke_service_agent.tasks.email
  # => "service-123456789012@gcp-sa-cloudtasks.iam.gserviceaccount.com"
}

output "tasks_agent_role" {
  value = data.gcpinvoke_service_agent.tasks.default_role
  # => "roles/cloudtasks.serviceAgent"
}

# The same email from the number alone, without an API call.
output "tasks_agent_from_number" {
  value = provider::gcpinvoke::service_agent_email(data.gcpinvoke_service_agent.tasks.project_number, "cloudtasks")
}
