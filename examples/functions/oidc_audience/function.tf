# The audience Cloud Run accepts is the service's root URL: no path, no query.
output "audience" {
  value = provider::gcpinvoke::oidc_audience("https://hello-abc-uc.a.run.app/tasks?x=1")
  # => "https://hello-abc-uc.a.run.app"
}
