package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// moveTestSeed is the default seed plus the service account jobs, queues
// and workflows run as.
func moveTestSeed() *emulator.Seed {
	s := emulator.DefaultSeed()
	s.ServiceAccounts = append(s.ServiceAccounts, emulator.SeedServiceAccount{Project: "demo-project", AccountID: "invoker"})
	return s
}

// Each pair of the Google provider's resources and ours: the Google
// resource is applied (for real, in the emulator), then a `moved` block
// takes it to ours and the plan is empty: only moves, nothing to add,
// change or destroy.
func TestAccMoveState_fromGoogle(t *testing.T) {
	cases := []struct {
		name     string
		google   string
		ours     string
		moved    [][2]string
		addrs    []string
		moveErrs *regexp.Regexp
	}{
		{
			name: "cloud run v2 and v1 member, v2 binding",
			google: `
resource "google_cloud_run_v2_service_iam_member" "a" {
  project  = "demo-project"
  location = "us-central1"
  name     = "hello"
  role     = "roles/run.invoker"
  member   = "user:alice@example.com"
}
resource "google_cloud_run_service_iam_member" "b" {
  project  = "demo-project"
  location = "us-central1"
  service  = "hello"
  role     = "roles/run.invoker"
  member   = "group:team@example.com"
  condition {
    title      = "until-2030"
    expression = "request.time < timestamp(\"2030-01-01T00:00:00Z\")"
  }
}
resource "google_cloud_run_v2_service_iam_binding" "c" {
  project  = "demo-project"
  location = "us-central1"
  name     = "hello"
  role     = "roles/run.viewer"
  members  = ["user:bob@example.com", "user:carol@example.com"]
}`,
			ours: `
resource "gcpinvoke_run_service_iam_member" "a" {
  service = "hello"
  member  = "user:alice@example.com"
}
resource "gcpinvoke_run_service_iam_member" "b" {
  service = "hello"
  member  = "group:team@example.com"
  condition = {
    title      = "until-2030"
    expression = "request.time < timestamp(\"2030-01-01T00:00:00Z\")"
  }
}
resource "gcpinvoke_run_service_iam_members" "c" {
  service   = "hello"
  role      = "roles/run.viewer"
  members   = ["user:bob@example.com", "user:carol@example.com"]
  exclusive = true
}`,
			moved: [][2]string{
				{"google_cloud_run_v2_service_iam_member.a", "gcpinvoke_run_service_iam_member.a"},
				{"google_cloud_run_service_iam_member.b", "gcpinvoke_run_service_iam_member.b"},
				{"google_cloud_run_v2_service_iam_binding.c", "gcpinvoke_run_service_iam_members.c"},
			},
		},
		{
			name: "cloud functions 1st gen member through the v1 and v2 resources",
			google: `
resource "google_cloudfunctions_function_iam_member" "a" {
  project        = "demo-project"
  region         = "us-central1"
  cloud_function = "legacy-fn"
  role           = "roles/cloudfunctions.invoker"
  member         = "user:alice@example.com"
}
resource "google_cloudfunctions2_function_iam_member" "b" {
  project        = "demo-project"
  location       = "us-central1"
  cloud_function = "legacy-fn"
  role           = "roles/cloudfunctions.invoker"
  member         = "user:bob@example.com"
}`,
			ours: `
resource "gcpinvoke_cloudfunctions_function_iam_member" "a" {
  function = "legacy-fn"
  member   = "user:alice@example.com"
}
resource "gcpinvoke_cloudfunctions_function_iam_member" "b" {
  function = "legacy-fn"
  role     = "roles/cloudfunctions.invoker"
  member   = "user:bob@example.com"
}`,
			moved: [][2]string{
				{"google_cloudfunctions_function_iam_member.a", "gcpinvoke_cloudfunctions_function_iam_member.a"},
				{"google_cloudfunctions2_function_iam_member.b", "gcpinvoke_cloudfunctions_function_iam_member.b"},
			},
		},
		{
			name: "service account, its member and binding",
			google: `
resource "google_service_account" "sa" {
  project      = "demo-project"
  account_id   = "scheduler-caller"
  display_name = "Scheduler caller"
}
resource "google_service_account_iam_member" "m" {
  service_account_id = google_service_account.sa.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "user:alice@example.com"
}
resource "google_service_account_iam_binding" "b" {
  service_account_id = google_service_account.sa.name
  role               = "roles/iam.serviceAccountUser"
  members            = ["user:bob@example.com"]
}`,
			ours: `
resource "gcpinvoke_service_account" "sa" {
  account_id   = "scheduler-caller"
  display_name = "Scheduler caller"
}
resource "gcpinvoke_service_account_iam_member" "m" {
  service_account = gcpinvoke_service_account.sa.name
  role            = "roles/iam.serviceAccountTokenCreator"
  member          = "user:alice@example.com"
}
resource "gcpinvoke_service_account_iam_members" "b" {
  service_account = gcpinvoke_service_account.sa.name
  role            = "roles/iam.serviceAccountUser"
  members         = ["user:bob@example.com"]
  exclusive       = true
}`,
			moved: [][2]string{
				{"google_service_account.sa", "gcpinvoke_service_account.sa"},
				{"google_service_account_iam_member.m", "gcpinvoke_service_account_iam_member.m"},
				{"google_service_account_iam_binding.b", "gcpinvoke_service_account_iam_members.b"},
			},
		},
		{
			name: "scheduler job (base64 body), tasks queue, workflow",
			google: `
resource "google_cloud_scheduler_job" "j" {
  project          = "demo-project"
  region           = "us-central1"
  name             = "nightly"
  description      = "nightly report"
  schedule         = "0 3 * * *"
  time_zone        = "Europe/Berlin"
  attempt_deadline = "320s"
  retry_config {
    retry_count          = 2
    min_backoff_duration = "10s"
    max_backoff_duration = "300s"
    max_retry_duration   = "0s"
    max_doublings        = 3
  }
  http_target {
    uri         = "https://example.com/report?day=1"
    http_method = "POST"
    body        = base64encode("{\"report\":\"daily\"}")
    headers     = { "Content-Type" = "application/json" }
    oidc_token {
      service_account_email = "invoker@demo-project.iam.gserviceaccount.com"
      audience              = "https://example.com"
    }
  }
}
resource "google_cloud_tasks_queue" "q" {
  project  = "demo-project"
  location = "us-central1"
  name     = "work"
  rate_limits {
    max_dispatches_per_second = 10
    max_concurrent_dispatches = 5
  }
  retry_config {
    max_attempts       = 5
    min_backoff        = "1s"
    max_backoff        = "10s"
    max_retry_duration = "0s"
    max_doublings      = 4
  }
  http_target {
    http_method = "POST"
    uri_override {
      scheme                    = "HTTPS"
      host                      = "example.com"
      uri_override_enforce_mode = "ALWAYS"
      path_override {
        path = "/tasks"
      }
    }
    oidc_token {
      service_account_email = "invoker@demo-project.iam.gserviceaccount.com"
      audience              = "https://example.com"
    }
  }
}
resource "google_workflows_workflow" "w" {
  project         = "demo-project"
  region          = "us-central1"
  name            = "flow"
  description     = "calls a service"
  service_account = "projects/demo-project/serviceAccounts/invoker@demo-project.iam.gserviceaccount.com"
  source_contents = <<-EOT
    main:
      steps:
        - done:
            return: "ok"
  EOT
}`,
			ours: `
resource "gcpinvoke_scheduler_job" "j" {
  name             = "nightly"
  description      = "nightly report"
  schedule         = "0 3 * * *"
  time_zone        = "Europe/Berlin"
  attempt_deadline = "320s"
  retry_config = {
    retry_count        = 2
    min_backoff        = "10s"
    max_backoff        = "300s"
    max_retry_duration = "0s"
    max_doublings      = 3
  }
  http_target = {
    uri         = "https://example.com/report?day=1"
    http_method = "POST"
    body        = "{\"report\":\"daily\"}"
    headers     = { "Content-Type" = "application/json" }
    oidc_token = {
      service_account_email = "invoker@demo-project.iam.gserviceaccount.com"
      audience              = "https://example.com"
    }
  }
}
resource "gcpinvoke_cloud_tasks_queue" "q" {
  name = "work"
  rate_limits = {
    max_dispatches_per_second = 10
    max_concurrent_dispatches = 5
  }
  retry_config = {
    max_attempts       = 5
    min_backoff        = "1s"
    max_backoff        = "10s"
    max_retry_duration = "0s"
    max_doublings      = 4
  }
  http_target = {
    uri         = "https://example.com/tasks"
    http_method = "POST"
    oidc_token = {
      service_account_email = "invoker@demo-project.iam.gserviceaccount.com"
      audience              = "https://example.com"
    }
  }
}
resource "gcpinvoke_workflow" "w" {
  name            = "flow"
  description     = "calls a service"
  service_account = "projects/demo-project/serviceAccounts/invoker@demo-project.iam.gserviceaccount.com"
  source          = <<-EOT
    main:
      steps:
        - done:
            return: "ok"
  EOT
}`,
			moved: [][2]string{
				{"google_cloud_scheduler_job.j", "gcpinvoke_scheduler_job.j"},
				{"google_cloud_tasks_queue.q", "gcpinvoke_cloud_tasks_queue.q"},
				{"google_workflows_workflow.w", "gcpinvoke_workflow.w"},
			},
		},
		{
			// roles/cloudfunctions.invoker on a 2nd gen function lets no one
			// call it; ours grants roles/run.invoker on its Cloud Run service,
			// so the moved grant is refused at plan, naming role.
			name: "a 2nd gen function's cloudfunctions.invoker grant is refused",
			google: `
resource "google_cloudfunctions2_function_iam_member" "g" {
  project        = "demo-project"
  location       = "us-central1"
  cloud_function = "hello-fn"
  role           = "roles/cloudfunctions.invoker"
  member         = "user:alice@example.com"
}`,
			ours: `
resource "gcpinvoke_cloudfunctions_function_iam_member" "g" {
  function = "hello-fn"
  role     = "roles/cloudfunctions.invoker"
  member   = "user:alice@example.com"
}`,
			moved:    [][2]string{{"google_cloudfunctions2_function_iam_member.g", "gcpinvoke_cloudfunctions_function_iam_member.g"}},
			moveErrs: regexp.MustCompile(`(?s)role.*2nd gen function.*roles/run.invoker`),
		},
		{
			name: "a Pub/Sub job cannot be moved",
			google: `
resource "google_cloud_scheduler_job" "p" {
  project  = "demo-project"
  region   = "us-central1"
  name     = "to-topic"
  schedule = "0 3 * * *"
  pubsub_target {
    topic_name = "projects/demo-project/topics/reports"
    data       = "go"
  }
}`,
			ours: `
resource "gcpinvoke_scheduler_job" "p" {
  name     = "to-topic"
  schedule = "0 3 * * *"
  http_target = {
    uri = "https://example.com/"
  }
}`,
			moved:    [][2]string{{"google_cloud_scheduler_job.p", "gcpinvoke_scheduler_job.p"}},
			moveErrs: regexp.MustCompile(`(?s)google_cloud_scheduler_job.*pubsub_target is set`),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := testAccEmulator(t, emulator.Options{Seed: moveTestSeed()})
			moved := ""
			var checks []plancheck.PlanCheck
			for _, m := range tc.moved {
				moved += "\nmoved {\n  from = " + m[0] + "\n  to   = " + m[1] + "\n}\n"
				checks = append(checks, plancheck.ExpectResourceAction(m[1], plancheck.ResourceActionNoop))
			}
			checks = append(checks, plancheck.ExpectEmptyPlan())
			step2 := resource.TestStep{Config: f.Config(tc.ours + moved), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: checks}}
			if tc.moveErrs != nil {
				step2 = resource.TestStep{Config: f.Config(tc.ours + moved), PlanOnly: true, ExpectError: tc.moveErrs}
			}
			steps := []resource.TestStep{{Config: f.Config(tc.google)}, step2}
			if tc.moveErrs != nil {
				// Back to the Google configuration, which destroys cleanly.
				steps = append(steps, resource.TestStep{Config: f.Config(tc.google)})
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccGoogleProviders(f),
				Steps:                    steps,
			})
		})
	}
}
