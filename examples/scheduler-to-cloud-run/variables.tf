variable "project" {
  description = "Project that holds the Cloud Run service and the job."
  type        = string
  default     = "demo-project"
}

variable "region" {
  description = "Region of the Cloud Run service and the job."
  type        = string
  default     = "us-central1"
}

variable "service" {
  description = "Name of the existing private Cloud Run service to call."
  type        = string
  default     = "hello"
}

variable "path" {
  description = "Path and query the job calls on the service (the OIDC audience stays the root URL)."
  type        = string
  default     = "/reports/daily?format=json"
}

variable "invoker_account_id" {
  description = "Account ID of the service account the job acts as."
  type        = string
  default     = "scheduler-invoker"
}

variable "job_name" {
  description = "Cloud Scheduler job ID."
  type        = string
  default     = "call-hello"
}

variable "schedule" {
  description = "When the job runs (unix-cron)."
  type        = string
  default     = "*/15 * * * *"
}

variable "time_zone" {
  description = "Time zone of the schedule."
  type        = string
  default     = "Etc/UTC"
}

variable "audience" {
  description = "OIDC audience override. Leave null: the provider uses the service's root URL."
  type        = string
  default     = null
}

variable "emulator_host" {
  description = "HOST:PORT of `gcpinvoke emulator`; null talks to Google (or uses GCPINVOKE_EMULATOR_HOST)."
  type        = string
  default     = null
}
