terraform {
  required_providers {
    gcpinvoke = {
      source = "gcpinvoke/gcpinvoke"
    }
  }
}

provider "gcpinvoke" {
  project = var.project
}

variable "project" {
  type = string
}

resource "gcpinvoke_cloud_tasks_queue" "work" {
  name     = "work"
  location = "us-central1"

  rate_limits = {
    max_dispatches_per_second = 10
  }

  http_target = {
    http_method = "POST"
    uri         = "https://hello-abc-uc.a.run.app/tasks"
    oidc_token = {
      service_account_email = "invoker@demo-project.iam.gserviceaccount.com"
    }
  }
}

resource "google_cloud_tasks_queue" "headers" {
  name     = "headers"
  location = "us-central1"
  http_target {
    header_overrides {
      header {
        key   = "X-A"
        value = "1"
      }
    }
  }
}

resource "gcpinvoke_workflow" "flow" {
  name            = "flow"
  location        = "us-central1"
  service_account = "invoker@demo-project.iam.gserviceaccount.com"
  source          = file("${path.module}/flow.yaml")
}

resource "gcpinvoke_cloudfunctions_function_iam_member" "fn" {
  location     = "us-central1"
  function     = "hello-fn"
  role         = "roles/run.invoker"
  member       = "allUsers"
  allow_public = true
}

resource "gcpinvoke_scheduler_job" "literal" {
  name     = "literal"
  schedule = "*/5 * * * *"
  http_target = {
    uri  = "https://example.com/"
    body = "hello world" # base64 of "hello world"
  }
}

resource "gcpinvoke_scheduler_job" "var" {
  name     = "var"
  schedule = "*/5 * * * *"
  http_target = {
    uri  = "https://example.com/"
    body = base64decode(var.encoded)
  }
}

output "source" {
  value = gcpinvoke_workflow.flow.source
}

resource "google_cloudfunctions2_function_iam_member" "gen2_functions_role" {
  location       = "us-central1"
  cloud_function = "hello-fn"
  role           = "roles/cloudfunctions.invoker"
  member         = "user:alice@example.com"
}

resource "gcpinvoke_scheduler_job" "from_file" {
  name     = "from-file"
  schedule = "*/5 * * * *"
  http_target = {
    uri  = "https://example.com/"
    body = file("${path.module}/payload.json")
  }
}

moved {
  from = google_cloud_tasks_queue.work
  to   = gcpinvoke_cloud_tasks_queue.work
}

moved {
  from = google_workflows_workflow.flow
  to   = gcpinvoke_workflow.flow
}

moved {
  from = google_cloudfunctions2_function_iam_member.fn
  to   = gcpinvoke_cloudfunctions_function_iam_member.fn
}

moved {
  from = google_cloud_scheduler_job.literal
  to   = gcpinvoke_scheduler_job.literal
}

moved {
  from = google_cloud_scheduler_job.var
  to   = gcpinvoke_scheduler_job.var
}

moved {
  from = google_cloud_scheduler_job.from_file
  to   = gcpinvoke_scheduler_job.from_file
}
