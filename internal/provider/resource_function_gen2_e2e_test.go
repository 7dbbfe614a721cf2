package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	cloudfunctions2 "google.golang.org/api/cloudfunctions/v2"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// A 2nd gen function called by Cloud Scheduler through the function's own
// URL: Terraform applies the service account, the function's invoker binding
// (which lands on its Cloud Run service), the Scheduler agent's impersonation
// and the job with a defaulted OIDC audience; the emulator runs the job and
// the function sees the account as its caller. Without the binding the same
// job is refused, so the binding is what makes it work.
func TestAccFunctionGen2_calledThroughURL(t *testing.T) {
	seed := emulator.DefaultSeed()
	seed.Projects[0].WithoutServiceAgentGrants = true
	f := testAccEmulator(t, emulator.Options{Seed: seed})
	fnURL := testAccGen2FunctionURL(t, f, "hello-fn")
	const email = "fn-invoker@demo-project.iam.gserviceaccount.com"
	chain := func(binding string) string {
		return f.Config(`
resource "gcpinvoke_service_account" "invoker" {
  account_id = "fn-invoker"
}

resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.invoker.email
  agent           = "cloudscheduler"
}
` + binding + `
resource "gcpinvoke_scheduler_job" "fn" {
  name     = "call-hello-fn"
  schedule = "*/5 * * * *"
  http_target = {
    uri        = "` + fnURL + `"
    oidc_token = { service_account_email = gcpinvoke_service_account.invoker.email }
  }
  depends_on = [gcpinvoke_service_agent_impersonation.scheduler]
}
`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: chain(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("gcpinvoke_scheduler_job.fn", tfjsonpath.New("http_target").AtMapKey("oidc_token").AtMapKey("audience"),
						knownvalue.NotNull()),
				},
				Check: testAccExpectRun(t, f, "call-hello-fn", 403, ""),
			},
			{
				Config: chain(`
resource "gcpinvoke_cloudfunctions_function_iam_member" "invoker" {
  function = "hello-fn"
  member   = gcpinvoke_service_account.invoker.member
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("gcpinvoke_cloudfunctions_function_iam_member.invoker", tfjsonpath.New("binding_target"),
						knownvalue.StringExact(testAccGen2Service)),
				},
				Check: resource.ComposeTestCheckFunc(
					testAccCheckPolicy(f, testAccGen2Service, runInvokerRole, []string{"serviceAccount:" + email}, nil),
					testAccExpectRun(t, f, "call-hello-fn", 200, email),
				),
			},
		},
	})
}

// testAccGen2FunctionURL reads a 2nd gen function's URL through the Cloud
// Functions v2 API, as a user would find it.
func testAccGen2FunctionURL(t *testing.T, f *gcpinvoketesting.Fixture, name string) string {
	t.Helper()
	svc, err := cloudfunctions2.NewService(context.Background(), testAccClientOptions(f)...)
	if err != nil {
		t.Fatalf("functions client: %v", err)
	}
	fn, err := svc.Projects.Locations.Functions.Get(testAccJobParent + "/functions/" + name).Do()
	if err != nil {
		t.Fatalf("get function %s: %v", name, err)
	}
	if fn.Url == "" {
		t.Fatalf("function %s has no url", name)
	}
	return fn.Url
}
