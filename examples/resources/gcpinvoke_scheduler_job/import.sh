# A job is imported by its full name, or by project/location/name.
terraform import gcpinvoke_scheduler_job.report projects/my-project/locations/europe-west1/jobs/daily-report
terraform import gcpinvoke_scheduler_job.report my-project/europe-west1/daily-report
