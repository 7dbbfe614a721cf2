package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// A burst of 503 UNAVAILABLE on both the read and the write of a policy is
// retried: the apply succeeds without the user seeing an error, and the
// emulator saw every failed attempt before the one that worked.
func TestAccProvider_retries503Burst(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Faults: emulator.Faults{
		FailNext: map[string]*emulator.FailSpec{
			"run.services.setIamPolicy": {Code: 503, Count: 3},
			"run.services.getIamPolicy": {Code: 503, Count: 2},
		},
	}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: f.Config(`
resource "gcpinvoke_run_service_iam_member" "caller" {
  service = "hello"
  member  = "user:alice@example.com"
}
`),
			Check: resource.ComposeTestCheckFunc(
				testAccCheckPolicy(f, testAccHelloService, runInvokerRole, []string{"user:alice@example.com"}, nil),
				func(*terraform.State) error {
					calls := f.Calls()
					if n := calls["run.services.setIamPolicy"]; n < 4 {
						return fmt.Errorf("setIamPolicy called %d times, want 3 failures and 1 success (calls: %v)", n, calls)
					}
					if n := calls["run.services.getIamPolicy"]; n < 3 {
						return fmt.Errorf("getIamPolicy called %d times, want 2 failures and a success (calls: %v)", n, calls)
					}
					return nil
				},
			),
		}},
	})
}
