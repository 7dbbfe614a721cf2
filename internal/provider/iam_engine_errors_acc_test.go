package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// A member Google refuses (a user that does not exist) fails only the
// resource that lists it, with Google's reason on its `member` attribute
// (Terraform shows the configuration line), while the sibling on the same
// policy in the same apply is written.
func TestAccIAMEngineErrors_rejectedMemberOnItsAttribute(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{NonexistentPrincipals: []string{"user:ghost@example.com"}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: f.Config(`
resource "gcpinvoke_run_service_iam_member" "good" {
  service = "hello"
  member  = "user:alice@example.com"
}
resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "hello"
  member  = "user:ghost@example.com"
}
`),
				// Google's reason, and the diagnostic on the `member`
				// attribute of the failing resource: Terraform prints the
				// resource address and the attribute's line.
				ExpectError: regexp.MustCompile(`(?s)Google refused member user:ghost@example\.com.*` +
					`with gcpinvoke_run_service_iam_member\.bad.*member\s+=\s+"user:ghost@example\.com".*` +
					`User ghost@example\.com does not exist`),
			},
			{
				PreConfig: func() {
					if err := engineCheckInvokers(f, "user:alice@example.com"); err != nil {
						t.Error(err)
					}
				},
				Config: f.Config(`
resource "gcpinvoke_run_service_iam_member" "good" {
  service = "hello"
  member  = "user:alice@example.com"
}
`),
				PlanOnly: true,
			},
		},
	})
}
