package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// The whole chain, applied by Terraform and executed by the emulator: a
// service account, the Scheduler agent's right to mint its tokens, the
// invoker binding on the Cloud Run service, and jobs that the emulator runs
// through the Cloud Run gateway. The project's default project-level grant
// to the Scheduler agent is left out, so impersonation comes from the
// configuration alone.
func TestAccSchedulerJob_endToEnd(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: &emulator.Seed{
		Projects: []emulator.SeedProject{{ProjectID: "demo-project", ProjectNumber: "123456789012", WithoutServiceAgentGrants: true,
			// Google lets the OAuth call to compute.googleapis.com through
			// only with a role granting Compute on the project.
			Bindings: []emulator.SeedBinding{{Role: "roles/compute.instanceAdmin.v1", Members: []string{"serviceAccount:scheduler-invoker@demo-project.iam.gserviceaccount.com"}}}}},
		RunServices: []emulator.SeedRunService{{Project: "demo-project", Location: "us-central1", Name: "hello"}},
	}})
	uri := testAccRunServiceURI(t, f)
	const email = "scheduler-invoker@demo-project.iam.gserviceaccount.com"
	const resize = "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/us-central1-a/instanceGroupManagers/igm/resize?size=4"
	chain := func(binding string) string {
		return f.Config(`
data "gcpinvoke_run_service" "hello" {
  name = "hello"
}

resource "gcpinvoke_service_account" "invoker" {
  account_id   = "scheduler-invoker"
  display_name = "Calls hello on schedule"
}

resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.invoker.email
  agent           = "cloudscheduler"
}
` + binding + `
resource "gcpinvoke_scheduler_job" "ok" {
  name     = "call-hello"
  schedule = "*/10 * * * *"
  http_target = {
    uri        = "${data.gcpinvoke_run_service.hello.uri}/reports?day=1"
    oidc_token = { service_account_email = gcpinvoke_service_account.invoker.email }
  }
  depends_on = [gcpinvoke_service_agent_impersonation.scheduler]
}

resource "gcpinvoke_scheduler_job" "bad_audience" {
  name     = "call-hello-bad-audience"
  schedule = "*/10 * * * *"
  http_target = {
    uri = "${data.gcpinvoke_run_service.hello.uri}/path?x=1"
    oidc_token = {
      service_account_email = gcpinvoke_service_account.invoker.email
      audience              = "${data.gcpinvoke_run_service.hello.uri}/path?x=1"
    }
  }
  depends_on = [gcpinvoke_service_agent_impersonation.scheduler]
}

resource "gcpinvoke_scheduler_job" "oauth" {
  name     = "resize-igm"
  schedule = "0 8 * * *"
  http_target = {
    uri         = "` + resize + `"
    oauth_token = { service_account_email = gcpinvoke_service_account.invoker.email }
  }
  depends_on = [gcpinvoke_service_agent_impersonation.scheduler]
}
`)
	}
	withBinding := chain(`
resource "gcpinvoke_run_service_iam_member" "invoker" {
  service = data.gcpinvoke_run_service.hello.name
  member  = gcpinvoke_service_account.invoker.member
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// Without the invoker binding Cloud Run refuses the caller.
				Config: chain(""),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("gcpinvoke_scheduler_job.ok", "http_target.oidc_token.audience", uri),
					testAccExpectRun(t, f, "call-hello", 403, ""),
				),
			},
			{
				Config: withBinding,
				Check: resource.ComposeTestCheckFunc(
					testAccExpectRun(t, f, "call-hello", 200, email),
					testAccExpectRun(t, f, "call-hello-bad-audience", 401, ""),
					testAccExpectRun(t, f, "resize-igm", 200, email),
				),
			},
			{
				// The runs changed only read-only attributes: the plan is empty.
				Config:           withBinding,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("gcpinvoke_scheduler_job.ok", "last_attempt_status", "OK"),
					resource.TestCheckResourceAttrSet("gcpinvoke_scheduler_job.ok", "last_attempt_time"),
					resource.TestMatchResourceAttr("gcpinvoke_scheduler_job.bad_audience", "last_attempt_status", regexp.MustCompile(`^UNAUTHENTICATED: `)),
					resource.TestCheckResourceAttr("gcpinvoke_scheduler_job.oauth", "last_attempt_status", "OK"),
				),
			},
		},
	})
}

// testAccExpectRun runs a job and checks the status the target answered
// and, for a 200, the caller it saw.
func testAccExpectRun(t *testing.T, f *gcpinvoketesting.Fixture, job string, status int, caller string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		a := testAccRunJob(t, f, job)
		if a.StatusCode != status {
			return fmt.Errorf("job %s: target answered %d (%s), want %d", job, a.StatusCode, a.Error, status)
		}
		if caller == "" {
			return nil
		}
		var echo struct {
			Caller string `json:"caller"`
		}
		if err := json.Unmarshal([]byte(a.Response), &echo); err != nil {
			return fmt.Errorf("job %s: response %q: %v", job, a.Response, err)
		}
		if !strings.EqualFold(echo.Caller, caller) {
			return fmt.Errorf("job %s: target saw caller %q, want %q", job, echo.Caller, caller)
		}
		return nil
	}
}
