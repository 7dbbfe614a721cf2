package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// A managed member removed outside Terraform shows in the next plan, and the
// apply puts it back, on the policy the resource really writes.
func TestAccIAM_memberRemovedOutOfBandIsRestored(t *testing.T) {
	const member = "user:alice@example.com"
	cases := []struct {
		name   string
		hcl    string
		addr   string
		policy string // policy the binding lives on
		role   string
		action plancheck.ResourceActionType
	}{
		{
			name: "function_iam_members gen1",
			hcl: `
resource "gcpinvoke_cloudfunctions_function_iam_members" "callers" {
  function = "legacy-fn"
  members  = ["user:alice@example.com", "user:bob@example.com"]
}`,
			addr: testAccFnMembersAddr, policy: testAccGen1Function, role: functionsInvokerRole,
			action: plancheck.ResourceActionUpdate,
		},
		{
			name: "function_iam_members gen2",
			hcl: `
resource "gcpinvoke_cloudfunctions_function_iam_members" "callers" {
  function = "hello-fn"
  members  = ["user:alice@example.com", "user:bob@example.com"]
}`,
			addr: testAccFnMembersAddr, policy: testAccGen2Service, role: runInvokerRole,
			action: plancheck.ResourceActionUpdate,
		},
		{
			name: "function_iam_member gen2",
			hcl: `
resource "gcpinvoke_cloudfunctions_function_iam_member" "caller" {
  function = "hello-fn"
  member   = "user:alice@example.com"
}`,
			addr: testAccFnMemberAddr, policy: testAccGen2Service, role: runInvokerRole,
			action: plancheck.ResourceActionCreate,
		},
		{
			name: "service_account_iam_members",
			hcl: `
resource "gcpinvoke_service_account_iam_members" "users" {
  service_account = "invoker@demo-project.iam.gserviceaccount.com"
  role            = "roles/iam.serviceAccountUser"
  members         = ["user:alice@example.com", "user:bob@example.com"]
}`,
			addr: testAccSAMembersAddr, policy: testAccSAPolicyName("invoker"), role: "roles/iam.serviceAccountUser",
			action: plancheck.ResourceActionUpdate,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("invoker")})
			config := f.Config(c.hcl)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{
					{
						Config: config,
						Check:  testAccCheckPolicy(f, c.policy, c.role, []string{member}, nil),
					},
					{
						PreConfig: func() {
							testAccOutOfBand(t, f, c.policy, iampolicy.RemoveMembers(c.role, nil, member))
							if err := testAccCheckPolicy(f, c.policy, c.role, nil, []string{member})(nil); err != nil {
								t.Fatalf("out-of-band removal did not happen: %v", err)
							}
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(c.addr, c.action),
						}},
						Check: testAccCheckPolicy(f, c.policy, c.role, []string{member}, nil),
					},
				},
			})
		})
	}
}
