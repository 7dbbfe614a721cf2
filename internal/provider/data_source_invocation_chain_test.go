package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

const testAccChainAddr = "data.gcpinvoke_invocation_chain.c"

// testAccChainConfig is an account, optionally its invoker binding on the
// seeded service, and the chain data source (extra attributes inside it).
// withCheck also wraps a second copy in a check block.
func testAccChainConfig(f *gcpinvoketesting.Fixture, invoker bool, extra string, withCheck bool) string {
	hcl := `
resource "gcpinvoke_service_account" "invoker" {
  account_id = "chain-invoker"
}
`
	deps := "gcpinvoke_service_account.invoker"
	if invoker {
		hcl += `
resource "gcpinvoke_run_service_iam_member" "invoker" {
  service = "hello"
  member  = gcpinvoke_service_account.invoker.member
}
`
		deps += ", gcpinvoke_run_service_iam_member.invoker"
	}
	body := fmt.Sprintf(`
  caller          = "cloudscheduler"
  service_account = gcpinvoke_service_account.invoker.email
  run_service     = "hello"
  %s
  depends_on      = [%s]
`, extra, deps)
	hcl += "\ndata \"gcpinvoke_invocation_chain\" \"c\" {" + body + "}\n"
	if withCheck {
		hcl += "\ncheck \"chain\" {\n  data \"gcpinvoke_invocation_chain\" \"scoped\" {" + body + "  }\n" + `
  assert {
    condition     = data.gcpinvoke_invocation_chain.scoped.ok
    error_message = data.gcpinvoke_invocation_chain.scoped.summary
  }
}
`
	}
	return f.Config(hcl)
}

func TestAccInvocationChainDataSource(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	code0 := tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("code")
	code1 := tfjsonpath.New("findings").AtSliceIndex(1).AtMapKey("code")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// No invoker binding: the chain is broken there.
				Config: testAccChainConfig(f, false, "", false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("ok"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("findings"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue(testAccChainAddr, code0, knownvalue.StringExact("missing_invoker")),
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("fix"),
						knownvalue.StringRegexp(regexp.MustCompile(`resource "gcpinvoke_run_service_iam_member"`))),
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("target_kind"), knownvalue.StringExact("run_service")),
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("caller_member"),
						knownvalue.StringExact("serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com")),
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("probe_status"), knownvalue.Null()),
				},
			},
			{
				// Binding added, probe: the service answers 200.
				Config: testAccChainConfig(f, true, "probe = true", false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("ok"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("findings"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("summary"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("probe_status"), knownvalue.Int64Exact(200)),
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("accepted_audiences"), knownvalue.ListSizeExact(2)),
				},
			},
			{
				// A wrong audience: 401, reported; inside a check block it
				// only warns, so the apply succeeds. Terraform plans to re-read
				// a check block's data source on every plan, so the plan after
				// apply is never empty with a check block.
				Config:             testAccChainConfig(f, true, "probe = true\n  audience = \"https://wrong.example.com\"", true),
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("ok"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testAccChainAddr, code0, knownvalue.StringExact("audience_not_accepted")),
					statecheck.ExpectKnownValue(testAccChainAddr, code1, knownvalue.StringExact("probe_failed")),
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("probe_status"), knownvalue.Int64Exact(401)),
					statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("effective_audience"), knownvalue.StringExact("https://wrong.example.com")),
				},
			},
		},
	})
}

func TestAccInvocationChainDataSource_probeForbidden(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: &emulator.Seed{
		Projects:        []emulator.SeedProject{{ProjectID: gcpinvoketesting.Project, ProjectNumber: gcpinvoketesting.ProjectNumber, WithoutServiceAgentGrants: true}},
		ServiceAccounts: []emulator.SeedServiceAccount{{Project: gcpinvoketesting.Project, AccountID: "seeded-invoker"}},
		RunServices:     []emulator.SeedRunService{{Project: gcpinvoketesting.Project, Location: gcpinvoketesting.Location, Name: "hello"}},
	}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: f.Config(`
data "gcpinvoke_invocation_chain" "c" {
  caller          = "cloudscheduler"
  service_account = "seeded-invoker@demo-project.iam.gserviceaccount.com"
  run_service     = "projects/demo-project/locations/us-central1/services/hello"
  probe           = true
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("findings").AtSliceIndex(0).AtMapKey("code"), knownvalue.StringExact("missing_impersonation")),
				statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("findings").AtSliceIndex(1).AtMapKey("code"), knownvalue.StringExact("missing_invoker")),
				statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("findings").AtSliceIndex(2).AtMapKey("code"), knownvalue.StringExact("probe_failed")),
				statecheck.ExpectKnownValue(testAccChainAddr, tfjsonpath.New("probe_status"), knownvalue.Int64Exact(403)),
			},
		}},
	})
}

func TestAccInvocationChainDataSource_invalidConfig(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: f.Config(`
data "gcpinvoke_invocation_chain" "c" {
  caller          = "cloudscheduler"
  service_account = "x@demo-project.iam.gserviceaccount.com"
}
`),
				ExpectError: regexp.MustCompile(`(?s)At least one of these attributes must be configured`),
			},
			{
				Config: f.Config(`
data "gcpinvoke_invocation_chain" "c" {
  caller          = "pubsub"
  service_account = "x@demo-project.iam.gserviceaccount.com"
  run_service     = "hello"
}
`),
				ExpectError: regexp.MustCompile(`(?s)caller "pubsub"`),
			},
		},
	})
}
