package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

const (
	testAccSAMemberAddr       = "gcpinvoke_service_account_iam_member.agent"
	testAccSAMembersAddr      = "gcpinvoke_service_account_iam_members.users"
	testAccSATokenCreatorRole = "roles/iam.serviceAccountTokenCreator"
	testAccSchedulerSA        = "serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
)

func TestAccServiceAccountIAMMember_lifecycle(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("invoker")})
	policy := testAccSAPolicyName("invoker")
	config := f.Config(`
resource "gcpinvoke_service_account_iam_member" "agent" {
  service_account = "invoker@demo-project.iam.gserviceaccount.com"
  role            = "roles/iam.serviceAccountTokenCreator"
  member          = "` + testAccSchedulerSA + `"
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             testAccCheckPolicy(f, policy, testAccSATokenCreatorRole, []string{testAccForeign}, []string{testAccSchedulerSA}),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					testAccOutOfBand(t, f, policy, iampolicy.AddMembers(testAccSATokenCreatorRole, nil, testAccForeign))
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccSAMemberAddr, tfjsonpath.New("id"), knownvalue.StringExact(
						"invoker@demo-project.iam.gserviceaccount.com roles/iam.serviceAccountTokenCreator "+testAccSchedulerSA)),
				},
				Check: testAccCheckPolicy(f, policy, testAccSATokenCreatorRole, []string{testAccForeign, testAccSchedulerSA}, nil),
			},
			{
				ResourceName:      testAccSAMemberAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				PreConfig: func() {
					testAccOutOfBand(t, f, policy, iampolicy.RemoveMembers(testAccSATokenCreatorRole, nil, testAccSchedulerSA))
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccSAMemberAddr, plancheck.ResourceActionCreate),
				}},
				Check: testAccCheckPolicy(f, policy, testAccSATokenCreatorRole, []string{testAccSchedulerSA}, nil),
			},
		},
	})
}

func TestAccServiceAccountIAMMembers_lifecycle(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("invoker", "deployer")})
	policy := testAccSAPolicyName("invoker")
	deployer := "serviceAccount:deployer@demo-project.iam.gserviceaccount.com"
	config := func(members ...string) string {
		return f.Config(`
resource "gcpinvoke_service_account_iam_members" "users" {
  service_account = "projects/demo-project/serviceAccounts/invoker@demo-project.iam.gserviceaccount.com"
  role            = "roles/iam.serviceAccountUser"
  members         = ` + hclList(members) + `
}
`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             testAccCheckPolicy(f, policy, "roles/iam.serviceAccountUser", nil, []string{deployer, "user:a@example.com"}),
		Steps: []resource.TestStep{
			{
				Config: config(deployer, "user:a@example.com"),
				Check:  testAccCheckPolicy(f, policy, "roles/iam.serviceAccountUser", []string{deployer, "user:a@example.com"}, nil),
			},
			{
				Config: config(deployer),
				Check:  testAccCheckPolicy(f, policy, "roles/iam.serviceAccountUser", []string{deployer}, []string{"user:a@example.com"}),
			},
			{
				ResourceName:      testAccSAMembersAddr,
				ImportState:       true,
				ImportStateVerify: true,
				// A non-exclusive import claims no member (the import ID does
				// not say which holders the configuration lists).
				ImportStateVerifyIgnore: []string{"members"},
			},
		},
	})
}

func TestAccServiceAccountIAM_broadPrincipalGuardRail(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("invoker")})
	cases := []struct{ member, role, extra, want string }{
		{"allUsers", "roles/iam.serviceAccountTokenCreator", "", `lets anyone on the internet act as this service account`},
		{"domain:example.com", "roles/iam.serviceAccountUser", "", `lets every account in example.com act as this service account`},
		{"user:a@example.com", "roles/run.invoker", "", `applies to Cloud Run services and Cloud Functions, not to a service account`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		want := regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(c.want), " ", `\s+`))
		steps = append(steps, resource.TestStep{
			Config: f.Config(`
resource "gcpinvoke_service_account_iam_member" "x" {
  service_account = "invoker@demo-project.iam.gserviceaccount.com"
  role            = "` + c.role + `"
  member          = "` + c.member + `"
}
`),
			ExpectError: want,
		})
	}
	// Acknowledged, it is allowed.
	steps = append(steps, resource.TestStep{
		Config: f.Config(`
resource "gcpinvoke_service_account_iam_member" "x" {
  service_account       = "invoker@demo-project.iam.gserviceaccount.com"
  role                  = "roles/iam.serviceAccountUser"
  member                = "domain:example.com"
  allow_broad_principal = true
}
`),
		Check: testAccCheckPolicy(f, testAccSAPolicyName("invoker"), "roles/iam.serviceAccountUser", []string{"domain:example.com"}, nil),
	})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
}
