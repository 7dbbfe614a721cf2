# Every setting is optional. With none, the provider uses Application Default
# Credentials (gcloud auth application-default login) and Google's endpoints.
provider "gcpinvoke" {
  project = "my-project"
  region  = "us-central1"

  # Act as a deployer service account (the caller needs
  # roles/iam.serviceAccountTokenCreator on it).
  impersonate_service_account = "terraform@my-project.iam.gserviceaccount.com"

  # Upper bound of one API call including its retries.
  request_timeout = "2m"
}

# Against the local emulator started with `gcpinvoke emulator`
# (or set GCPINVOKE_EMULATOR_HOST=127.0.0.1:8787 instead):
#
# provider "gcpinvoke" {
#   project       = "demo-project"
#   region        = "us-central1"
#   emulator_host = "127.0.0.1:8787"
# }
