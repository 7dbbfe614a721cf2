package provider

import (
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// testAccProviders runs the provider in-process for the Terraform CLI.
var testAccProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"gcpinvoke": providerserver.NewProtocol6WithError(New("test")()),
}

// TestMain makes acceptance tests part of every run: the emulator makes them
// cheap, so TF_ACC is set here rather than left to the caller, and a missing
// Terraform CLI is a failure, never a skip.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		if _, err := exec.LookPath("terraform"); err != nil {
			fmt.Fprintln(os.Stderr, "FAIL: no terraform binary found. The acceptance tests run the real Terraform CLI against the local emulator: put terraform (>= 1.8) on PATH or set TF_ACC_TERRAFORM_PATH.")
			os.Exit(1)
		}
	}
	os.Setenv("TF_ACC", "1")
	os.Setenv("CHECKPOINT_DISABLE", "1")
	// Nothing from the developer's machine may leak into a test's provider.
	for _, v := range []string{"GCPINVOKE_EMULATOR_HOST", "GOOGLE_CREDENTIALS", "GOOGLE_OAUTH_ACCESS_TOKEN", "GOOGLE_IMPERSONATE_SERVICE_ACCOUNT", "GOOGLE_PROJECT", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT", "GOOGLE_REGION"} {
		os.Unsetenv(v)
	}
	os.Exit(m.Run())
}

// testAccEmulator starts a fresh emulator for one acceptance test (tests run
// in parallel, each with its own).
func testAccEmulator(t *testing.T, opts emulator.Options) *gcpinvoketesting.Fixture {
	t.Helper()
	return gcpinvoketesting.StartEmulator(t, opts)
}
