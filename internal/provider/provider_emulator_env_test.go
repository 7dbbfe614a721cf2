package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// A provider block without emulator_host still talks to the emulator when
// GCPINVOKE_EMULATOR_HOST is set: the binding lands in the emulator's policy
// and the emulator counted the write. Not parallel: it sets the process
// environment the in-process provider reads.
func TestAccProvider_emulatorHostFromEnv(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	t.Setenv(EmulatorHostEnv, f.Host)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			PreConfig: func() { f.ResetCalls() },
			Config: `
provider "gcpinvoke" {
  project = "demo-project"
  region  = "us-central1"
}

resource "gcpinvoke_run_service_iam_member" "caller" {
  service = "hello"
  member  = "user:alice@example.com"
}
`,
			Check: resource.ComposeTestCheckFunc(
				testAccCheckCalls(f, map[string]int{"run.services.setIamPolicy": 1}),
				testAccCheckPolicy(f, testAccHelloService, runInvokerRole, []string{"user:alice@example.com"}, nil),
			),
		}},
	})
}
