# The Cloud Scheduler service agent of project number 123456789012.
output "scheduler_agent" {
  value = provider::gcpinvoke::service_agent_email("123456789012", "cloudscheduler")
  # => "service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
}
