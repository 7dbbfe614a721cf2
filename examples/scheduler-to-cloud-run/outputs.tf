output "service_uri" {
  description = "URL of the Cloud Run service."
  value       = data.gcpinvoke_run_service.target.uri
}

output "job_id" {
  description = "Full name of the job, for `gcloud scheduler jobs run` or the :run API."
  value       = gcpinvoke_scheduler_job.call.id
}

output "invoker_email" {
  description = "The identity Cloud Run sees as the caller."
  value       = gcpinvoke_service_account.invoker.email
}

output "oidc_audience" {
  description = "Audience of the job's OIDC token."
  value       = gcpinvoke_scheduler_job.call.http_target.oidc_token.audience
}
