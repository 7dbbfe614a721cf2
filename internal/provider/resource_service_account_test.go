package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

const testAccSAAddr = "gcpinvoke_service_account.invoker"

func testAccSAConfig(f *gcpinvoketesting.Fixture, displayName string) string {
	return f.Config(fmt.Sprintf(`
resource "gcpinvoke_service_account" "invoker" {
  account_id   = "scheduler-invoker"
  display_name = %q
}
`, displayName))
}

// testAccCheckSAStored checks the account as the emulator stores it.
func testAccCheckSAStored(f *gcpinvoketesting.Fixture, email, displayName, description string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		sa := f.Snapshot().ServiceAccounts[email]
		if sa == nil {
			return fmt.Errorf("service account %s does not exist in the emulator", email)
		}
		if sa.DisplayName != displayName || sa.Description != description {
			return fmt.Errorf("stored display name %q, description %q; want %q, %q", sa.DisplayName, sa.Description, displayName, description)
		}
		return nil
	}
}

func testAccCheckSAGone(f *gcpinvoketesting.Fixture, email string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if f.Snapshot().ServiceAccounts[email] != nil {
			return fmt.Errorf("service account %s still exists", email)
		}
		return nil
	}
}

func TestAccServiceAccount_lifecycle(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	email := testAccSAEmail("scheduler-invoker")
	name := testAccSAName("scheduler-invoker")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             testAccCheckSAGone(f, email),
		Steps: []resource.TestStep{
			{
				Config: testAccSAConfig(f, "Scheduler invoker"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccSAAddr, plancheck.ResourceActionCreate),
					// Known at plan time, so dependents can plan with it.
					plancheck.ExpectKnownValue(testAccSAAddr, tfjsonpath.New("email"), knownvalue.StringExact(email)),
					plancheck.ExpectKnownValue(testAccSAAddr, tfjsonpath.New("member"), knownvalue.StringExact("serviceAccount:"+email)),
					plancheck.ExpectUnknownValue(testAccSAAddr, tfjsonpath.New("unique_id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccSAAddr, tfjsonpath.New("id"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(testAccSAAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(testAccSAAddr, tfjsonpath.New("project"), knownvalue.StringExact("demo-project")),
					statecheck.ExpectKnownValue(testAccSAAddr, tfjsonpath.New("email"), knownvalue.StringExact(email)),
					statecheck.ExpectKnownValue(testAccSAAddr, tfjsonpath.New("member"), knownvalue.StringExact("serviceAccount:"+email)),
					statecheck.ExpectKnownValue(testAccSAAddr, tfjsonpath.New("unique_id"), knownvalue.StringRegexp(regexp.MustCompile(`^\d+$`))),
					statecheck.ExpectKnownValue(testAccSAAddr, tfjsonpath.New("description"), knownvalue.Null()),
				},
				Check: testAccCheckSAStored(f, email, "Scheduler invoker", ""),
			},
			{
				Config: f.Config(`
resource "gcpinvoke_service_account" "invoker" {
  account_id   = "scheduler-invoker"
  display_name = "Invoker of hello"
  description  = "Calls the hello service from Cloud Scheduler"
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccSAAddr, plancheck.ResourceActionUpdate),
				}},
				Check: testAccCheckSAStored(f, email, "Invoker of hello", "Calls the hello service from Cloud Scheduler"),
			},
			{
				ResourceName:      testAccSAAddr,
				ImportState:       true,
				ImportStateId:     email,
				ImportStateVerify: true,
			},
			{
				ResourceName:      testAccSAAddr,
				ImportState:       true,
				ImportStateId:     name,
				ImportStateVerify: true,
			},
			{
				// Removing the description clears it.
				Config: testAccSAConfig(f, "Invoker of hello"),
				Check:  testAccCheckSAStored(f, email, "Invoker of hello", ""),
			},
		},
	})
}

func TestAccServiceAccount_deletedOutsideTerraform(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	name := testAccSAName("scheduler-invoker")
	var firstUID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: testAccSAConfig(f, "Scheduler invoker"),
				Check: func(s *terraform.State) error {
					firstUID = s.RootModule().Resources[testAccSAAddr].Primary.Attributes["unique_id"]
					return nil
				},
			},
			{
				PreConfig: func() {
					if _, err := testAccIAM(t, f).Projects.ServiceAccounts.Delete(name).Do(); err != nil {
						t.Fatalf("deleting %s: %v", name, err)
					}
				},
				Config: testAccSAConfig(f, "Scheduler invoker"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccSAAddr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckSAStored(f, testAccSAEmail("scheduler-invoker"), "Scheduler invoker", ""),
					func(s *terraform.State) error {
						if uid := s.RootModule().Resources[testAccSAAddr].Primary.Attributes["unique_id"]; uid == firstUID {
							return fmt.Errorf("unique_id %s unchanged: the account was not re-created", uid)
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccServiceAccount_alreadyExists(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	testAccCreateSA(t, f, "scheduler-invoker")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: testAccSAConfig(f, "Scheduler invoker"),
			ExpectError: regexp.MustCompile(`(?s)Service account already exists.*terraform import ADDRESS\s+` +
				regexp.QuoteMeta("projects/demo-project/serviceAccounts/scheduler-invoker@demo-project.iam.gserviceaccount.com")),
		}},
	})
}

// TestAccServiceAccount_planWithoutCredentials plans against a provider that
// can reach no API: validation and the plan (with the email known) need no
// credentials.
func TestAccServiceAccount_planWithoutCredentials(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: testAccNoCredentialsProvider + `
resource "gcpinvoke_service_account" "invoker" {
  account_id = "scheduler-invoker"
}
`,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(testAccSAAddr, tfjsonpath.New("email"),
						knownvalue.StringExact("scheduler-invoker@demo-project.iam.gserviceaccount.com")),
				}},
			},
		},
	})
}

func TestAccServiceAccount_invalidInputs(t *testing.T) {
	cases := []struct {
		name   string
		config string
		want   string
	}{
		{"account ID too short", `account_id = "inv"`, `(?s)Invalid service account ID.*has 3 characters`},
		{"account ID is an email", `account_id = "inv@demo-project.iam.gserviceaccount.com"`, `use only\s+the part before @`},
		{"display name too long", `
  account_id   = "scheduler-invoker"
  display_name = "` + strings.Repeat("x", 101) + `"`, `(?s)display_name.*length must be between 1 and 100`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:      testAccNoCredentialsProvider + "resource \"gcpinvoke_service_account\" \"invoker\" {\n" + tc.config + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

func TestAccServiceAccount_noProject(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: `
provider "gcpinvoke" {
  credentials = "/nonexistent/gcpinvoke-test-credentials.json"
}
resource "gcpinvoke_service_account" "invoker" {
  account_id = "scheduler-invoker"
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)No project for the service account.*Set .project. on the\s+resource`),
		}},
	})
}
