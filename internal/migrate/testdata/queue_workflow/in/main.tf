provider "gcpinvoke" {
  project = var.project
}

variable "project" {
  type = string
}

resource "google_cloud_tasks_queue" "work" {
  name     = "work"
  location = "us-central1"

  rate_limits {
    max_dispatches_per_second = 10
  }

  http_target {
    http_method = "POST"
    uri_override {
      scheme                    = "HTTPS"
      host                      = "hello-abc-uc.a.run.app"
      uri_override_enforce_mode = "ALWAYS"
      path_override {
        path = "/tasks"
      }
    }
    oidc_token {
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

resource "google_workflows_workflow" "flow" {
  name                = "flow"
  region              = "us-central1"
  service_account     = "invoker@demo-project.iam.gserviceaccount.com"
  source_contents     = file("${path.module}/flow.yaml")
  deletion_protection = false
}

resource "google_cloudfunctions2_function_iam_member" "fn" {
  location       = "us-central1"
  cloud_function = "hello-fn"
  role           = "roles/run.invoker"
  member         = "allUsers"
}

resource "google_cloud_scheduler_job" "literal" {
  name     = "literal"
  schedule = "*/5 * * * *"
  http_target {
    uri  = "https://example.com/"
    body = "aGVsbG8gd29ybGQ=" # base64 of "hello world"
  }
}

resource "google_cloud_scheduler_job" "var" {
  name     = "var"
  schedule = "*/5 * * * *"
  http_target {
    uri  = "https://example.com/"
    body = var.encoded
  }
}

output "source" {
  value = google_workflows_workflow.flow.source_contents
}

resource "google_cloudfunctions2_function_iam_member" "gen2_functions_role" {
  location       = "us-central1"
  cloud_function = "hello-fn"
  role           = "roles/cloudfunctions.invoker"
  member         = "user:alice@example.com"
}

resource "google_cloud_scheduler_job" "from_file" {
  name     = "from-file"
  schedule = "*/5 * * * *"
  http_target {
    uri  = "https://example.com/"
    body = filebase64("${path.module}/payload.json")
  }
}
