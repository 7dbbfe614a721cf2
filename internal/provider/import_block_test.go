package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// Terraform's `import {}` block adopts existing objects: the plan generated
// with the import block is a pure import (no update), so the ID formats the
// docs give round-trip into exactly the configuration.
func TestAccImportBlock(t *testing.T) {
	cases := []struct {
		name, hcl, addr, id string
		checks              []plancheck.PlanCheck
	}{
		{
			name: "gen2 function iam member, Google provider ID",
			hcl: `
resource "gcpinvoke_cloudfunctions_function_iam_member" "caller" {
  function = "hello-fn"
  member   = "user:alice@example.com"
}`,
			addr: testAccFnMemberAddr,
			id:   "projects/demo-project/locations/us-central1/functions/hello-fn roles/run.invoker user:alice@example.com",
			checks: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(testAccFnMemberAddr, tfjsonpath.New("binding_target"), knownvalue.StringExact(testAccGen2Service)),
			},
		},
		{
			// (An imported `_iam_members` claims no member, so its import is
			// followed by an update: TestAccIAMMembers_neverRemovesUnlistedMembers.)
			name: "gen1 function iam member, short ID",
			hcl: `
resource "gcpinvoke_cloudfunctions_function_iam_member" "caller" {
  function = "legacy-fn"
  member   = "user:a@example.com"
}`,
			addr: testAccFnMemberAddr,
			id:   "us-central1/legacy-fn roles/cloudfunctions.invoker user:a@example.com",
			checks: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(testAccFnMemberAddr, tfjsonpath.New("binding_target"), knownvalue.StringExact(testAccGen1Function)),
			},
		},
		{
			name: "scheduler job",
			hcl: `
resource "gcpinvoke_scheduler_job" "j" {
  name     = "nightly"
  schedule = "0 3 * * *"
  http_target = {
    uri         = "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/us-central1-a/instances"
    http_method = "GET"
    oauth_token = { service_account_email = "runner@demo-project.iam.gserviceaccount.com" }
  }
}`,
			addr: "gcpinvoke_scheduler_job.j",
			id:   "demo-project/us-central1/nightly",
			checks: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue("gcpinvoke_scheduler_job.j", tfjsonpath.New("id"), knownvalue.StringExact(testAccJobName("nightly"))),
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("runner")})
			config := f.Config(c.hcl)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{
					{Config: config},
					{
						ResourceName:     c.addr,
						ImportState:      true,
						ImportStateKind:  resource.ImportBlockWithID,
						ImportStateId:    c.id,
						Config:           config,
						ImportPlanChecks: resource.ImportPlanChecks{PreApply: c.checks},
					},
				},
			})
		})
	}
}
