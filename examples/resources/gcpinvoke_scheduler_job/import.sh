# A job is imported by its full name, or by project/location/name.
terraform import gcpinvoke_scheduler_job.report projects/my-project/locations/europe-west1/jobs/daily-report
terraform import gcpinvoke_scheduler_job.report my-project/europe-west1/daily-report
# The plan after an import is empty when the configuration writes durations
# in seconds, as Google returns them ("120s"); "2m" plans an in-place update.
