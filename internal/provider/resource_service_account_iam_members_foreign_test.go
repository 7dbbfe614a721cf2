package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// Non-exclusive gcpinvoke_service_account_iam_members never touches a member
// someone else granted the role: not on apply, not on destroy.
func TestAccServiceAccountIAMMembers_destroyKeepsForeignMember(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("invoker")})
	policy := testAccSAPolicyName("invoker")
	const role = "roles/iam.serviceAccountUser"
	ours := []string{"user:a@example.com", "user:b@example.com"}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             testAccCheckPolicy(f, policy, role, []string{testAccForeign}, ours),
		Steps: []resource.TestStep{{
			PreConfig: func() { testAccOutOfBand(t, f, policy, iampolicy.AddMembers(role, nil, testAccForeign)) },
			Config: f.Config(`
resource "gcpinvoke_service_account_iam_members" "users" {
  service_account = "invoker@demo-project.iam.gserviceaccount.com"
  role            = "roles/iam.serviceAccountUser"
  members         = ` + hclList(ours) + `
}
`),
			Check: testAccCheckPolicy(f, policy, role, append([]string{testAccForeign}, ours...), nil),
		}},
	})
}

// exclusive = true makes the resource authoritative for the role: a foreign
// member is removed on apply, and one added later shows as an update.
func TestAccServiceAccountIAMMembers_exclusiveRemovesForeignMember(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("invoker")})
	policy := testAccSAPolicyName("invoker")
	const role = "roles/iam.serviceAccountUser"
	config := f.Config(`
resource "gcpinvoke_service_account_iam_members" "users" {
  service_account = "invoker@demo-project.iam.gserviceaccount.com"
  role            = "roles/iam.serviceAccountUser"
  members         = ["user:a@example.com"]
  exclusive       = true
}
resource "gcpinvoke_service_account_iam_member" "agent" {
  service_account = "invoker@demo-project.iam.gserviceaccount.com"
  role            = "roles/iam.serviceAccountTokenCreator"
  member          = "` + testAccSchedulerSA + `"
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { testAccOutOfBand(t, f, policy, iampolicy.AddMembers(role, nil, testAccForeign)) },
				Config:    config,
				Check: resource.ComposeTestCheckFunc(
					testAccCheckPolicy(f, policy, role, []string{"user:a@example.com"}, []string{testAccForeign}),
					// Other roles on the account are never touched.
					testAccCheckPolicy(f, policy, testAccSATokenCreatorRole, []string{testAccSchedulerSA}, nil),
				),
			},
			{
				PreConfig: func() { testAccOutOfBand(t, f, policy, iampolicy.AddMembers(role, nil, "user:late@example.com")) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccSAMembersAddr, plancheck.ResourceActionUpdate),
				}},
				Check: testAccCheckPolicy(f, policy, role, []string{"user:a@example.com"}, []string{"user:late@example.com", testAccForeign}),
			},
		},
	})
}
