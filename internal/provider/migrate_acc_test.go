package provider

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/migrate"
)

// The proof of `gcpinvoke migrate`: a configuration applied with the
// Google provider (the in-test stand-in, objects real in the emulator),
// rewritten by migrate, plans only moves: 0 to add, 0 to change, 0 to
// destroy.
func TestAccMigrate_onlyMoves(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: moveTestSeed()})
	google := `
terraform {
  required_providers {
    google    = { source = "hashicorp/google" }
    gcpinvoke = { source = "hashicorp/gcpinvoke" }
  }
}
` + f.ProviderBlock() + `
resource "google_service_account" "caller" {
  project      = "demo-project"
  account_id   = "scheduler-caller"
  display_name = "Scheduler caller"
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  project  = "demo-project"
  location = "us-central1"
  name     = "hello"
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.caller.email}"
}

resource "google_service_account_iam_binding" "agent" {
  service_account_id = google_service_account.caller.name
  role               = "roles/iam.serviceAccountTokenCreator"
  members            = ["user:alice@example.com"]
}

resource "google_cloud_scheduler_job" "nightly" {
  project  = "demo-project"
  name     = "nightly"
  region   = "us-central1"
  schedule = "0 3 * * *"
  retry_config {
    retry_count          = 2
    min_backoff_duration = "10s" # a comment migrate keeps
  }
  http_target {
    uri         = "https://example.com/report"
    http_method = "POST"
    body        = base64encode("{\"report\":\"daily\"}")
    oidc_token {
      service_account_email = google_service_account.caller.email
      audience              = "https://example.com"
    }
  }
}
`
	dir := t.TempDir()
	tf := filepath.Join(dir, "main.tf")
	if err := os.WriteFile(tf, []byte(google), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := migrate.Dir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) > 0 || len(res.Converted) != 4 {
		t.Fatalf("converted %q, skipped %q; want the 4 resources converted", res.Converted, res.Skipped)
	}
	migrated := string(res.Files[tf])
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccGoogleProviders(f),
		Steps: []resource.TestStep{
			{Config: google},
			{
				Config: migrated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("gcpinvoke_service_account.caller", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("gcpinvoke_run_service_iam_member.invoker", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("gcpinvoke_service_account_iam_members.agent", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("gcpinvoke_scheduler_job.nightly", plancheck.ResourceActionNoop),
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}
