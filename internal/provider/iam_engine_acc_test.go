package provider

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// Acceptance tests of the IAM engine's error handling through Terraform:
// a member naming a service account that does not exist fails alone and
// fast, an account IAM cannot see yet is waited for, and a getIamPolicy
// answered 409 ABORTED is retried and, when it keeps failing, described as
// the read it was.

const engineHello = "projects/demo-project/locations/us-central1/services/hello"

// engineInvokers lists the members holding roles/run.invoker on hello.
func engineInvokers(f *gcpinvoketesting.Fixture) []string {
	var out []string
	if pol := f.Snapshot().Policies[engineHello]; pol != nil {
		for _, b := range pol.Bindings {
			if b.Role == "roles/run.invoker" && b.Condition == nil {
				out = append(out, b.Members...)
			}
		}
	}
	slices.Sort(out)
	return out
}

// engineCheckInvokers checks hello's invokers are exactly want.
func engineCheckInvokers(f *gcpinvoketesting.Fixture, want ...string) error {
	slices.Sort(want)
	if got := engineInvokers(f); !slices.Equal(got, want) {
		return fmt.Errorf("roles/run.invoker on hello held by %v, want %v", got, want)
	}
	return nil
}

// A member naming a service account that was never created: Google (the
// emulator) answers 400 "Service account X does not exist." The engine looks
// the account up once, fails that resource within one write naming the
// account, and still writes its sibling in the same apply. Before, it was
// treated as IAM propagation delay: ~54 writes over 5 minutes, and the
// sibling batched with it failed too.
func TestAccIAMEngine_missingServiceAccountFailsAloneAndFast(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	const ghost = "ghost-account@demo-project.iam.gserviceaccount.com"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { f.ResetCalls() },
				Config: f.Config(`
resource "gcpinvoke_run_service_iam_member" "good" {
  service = "hello"
  member  = "user:alice@example.com"
}
resource "gcpinvoke_run_service_iam_member" "ghost" {
  service = "hello"
  member  = "serviceAccount:` + ghost + `"
}
`),
				ExpectError: regexp.MustCompile(`(?s)` + regexp.QuoteMeta(ghost) + `.*does not exist`),
			},
			{
				// The failed apply left the sibling written and in state:
				// with the ghost gone from the configuration nothing is
				// left to do.
				PreConfig: func() {
					if err := engineCheckInvokers(f, "user:alice@example.com"); err != nil {
						t.Error(err)
					}
					calls := f.Calls()
					if n := calls["iam.serviceAccounts.get"]; n != 1 {
						t.Errorf("iam.serviceAccounts.get called %d times, want 1 (one lookup of the missing account)", n)
					}
					if n := calls["run.services.setIamPolicy"]; n < 1 || n > 2 {
						t.Errorf("run.services.setIamPolicy called %d times, want 1 or 2 (the refused write, at most one more for the sibling)", n)
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

// An account that exists but that IAM does not see yet (created in the same
// apply): setIamPolicy answers "does not exist." twice, the one lookup finds
// the account, and the engine keeps writing until IAM sees it.
func TestAccIAMEngine_existingAccountNotYetVisibleIsWaitedFor(t *testing.T) {
	seed := emulator.DefaultSeed()
	seed.ServiceAccounts = append(seed.ServiceAccounts, emulator.SeedServiceAccount{Project: gcpinvoketesting.Project, AccountID: "fresh-account"})
	f := testAccEmulator(t, emulator.Options{Seed: seed})
	const fresh = "fresh-account@demo-project.iam.gserviceaccount.com"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				f.ResetCalls()
				f.SetFaults(emulator.Faults{FailNext: map[string]*emulator.FailSpec{
					"run.services.setIamPolicy": {Code: 400, Count: 2, Message: "Service account " + fresh + " does not exist."},
				}})
			},
			Config: f.Config(`
resource "gcpinvoke_run_service_iam_member" "fresh" {
  service = "hello"
  member  = "serviceAccount:` + fresh + `"
}
`),
			Check: func(*terraform.State) error {
				if err := engineCheckInvokers(f, "serviceAccount:"+fresh); err != nil {
					return err
				}
				calls := f.Calls()
				if n := calls["iam.serviceAccounts.get"]; n != 1 {
					return fmt.Errorf("iam.serviceAccounts.get called %d times, want 1 (looked up once, not per retry)", n)
				}
				if n := calls["run.services.setIamPolicy"]; n != 3 {
					return fmt.Errorf("run.services.setIamPolicy called %d times, want 3 (two refused while invisible, then written)", n)
				}
				return nil
			},
		}},
	})
}

// getIamPolicy answered 409 ABORTED is retried like 429/503 (by the HTTP
// transport, the one retry policy). When it never stops, the error says a
// read was aborted and nothing was written — not that an etag changed
// between read and write.
func TestAccIAMEngine_abortedPolicyRead(t *testing.T) {
	t.Run("retried", func(t *testing.T) {
		f := testAccEmulator(t, emulator.Options{})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			Steps: []resource.TestStep{{
				PreConfig: func() {
					f.ResetCalls()
					f.SetFaults(emulator.Faults{FailNext: map[string]*emulator.FailSpec{
						"run.services.getIamPolicy": {Code: 409, Count: 2, Message: "The operation was aborted."},
					}})
				},
				Config: f.Config(`
resource "gcpinvoke_run_service_iam_member" "caller" {
  service = "hello"
  member  = "user:alice@example.com"
}
`),
				Check: func(*terraform.State) error {
					if err := engineCheckInvokers(f, "user:alice@example.com"); err != nil {
						return err
					}
					if n := f.Calls()["run.services.setIamPolicy"]; n != 1 {
						return fmt.Errorf("run.services.setIamPolicy called %d times, want 1", n)
					}
					return nil
				},
			}},
		})
	})
	t.Run("never stops", func(t *testing.T) {
		f := testAccEmulator(t, emulator.Options{})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			Steps: []resource.TestStep{
				{
					PreConfig: func() {
						f.SetFaults(emulator.Faults{FailNext: map[string]*emulator.FailSpec{
							"run.services.getIamPolicy": {Code: 409, Count: 1000, Message: "The operation was aborted."},
						}})
					},
					// The request timeout bounds the transport's retries.
					Config: f.ProviderBlock(`request_timeout = "3s"`) + `
resource "gcpinvoke_run_service_iam_member" "caller" {
  service = "hello"
  member  = "user:alice@example.com"
}
`,
					ExpectError: regexp.MustCompile(`(?s)Request aborted.*aborted reading.*Nothing was written`),
				},
				{
					PreConfig: func() {
						if err := engineCheckInvokers(f); err != nil {
							t.Error(err)
						}
						if n := f.Calls()["run.services.setIamPolicy"]; n != 0 {
							t.Errorf("run.services.setIamPolicy called %d times, want 0", n)
						}
						if n := f.Calls()["run.services.getIamPolicy"]; n < 2 {
							t.Errorf("run.services.getIamPolicy called %d times: the aborted read was not retried", n)
						}
						f.SetFaults(emulator.Faults{})
					},
					Config:   f.Config(),
					PlanOnly: true,
				},
			},
		})
	})
}

// A role Google does not support on a Cloud Run service (roles/run.jobsExecutor
// exists, for Cloud Run jobs; plan lets roles/run.* through) fails that
// resource alone, with Google's reason; the sibling batched with it is
// written.
func TestAccIAMEngine_unsupportedRoleFailsAlone(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { f.ResetCalls() },
				Config: f.Config(`
resource "gcpinvoke_run_service_iam_member" "good" {
  service = "hello"
  member  = "user:alice@example.com"
}
resource "gcpinvoke_run_service_iam_member" "bad_role" {
  service = "hello"
  role    = "roles/run.jobsExecutor"
  member  = "user:bob@example.com"
}
`),
				ExpectError: regexp.MustCompile(`(?s)roles/run\.jobsExecutor.*not\s+supported`),
			},
			{
				PreConfig: func() {
					if err := engineCheckInvokers(f, "user:alice@example.com"); err != nil {
						t.Error(err)
					}
					if n := f.Calls()["run.services.setIamPolicy"]; n < 1 || n > 2 {
						t.Errorf("run.services.setIamPolicy called %d times, want 1 or 2", n)
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
