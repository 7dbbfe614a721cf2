data "gcpinvoke_run_service" "reports" {
  name     = "reports"
  location = "us-central1"
}

# The OIDC audience a caller should use is the service's root URL.
output "audience" {
  value = data.gcpinvoke_run_service.reports.uri
}
