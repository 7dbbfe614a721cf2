package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// Shape of the fault-matrix configuration: 10 services, each with one
// _iam_members of 5 members and 5 _iam_member resources (100 members), plus
// 10 scheduler jobs with their full chains (service account, invoker member
// on their service, Cloud Scheduler agent impersonation, OIDC job).
const (
	faultServices        = 10
	faultMembersPerSet   = 5
	faultMemberResources = 5
	faultJobs            = 10
)

func faultMember(svc, i int) string { return fmt.Sprintf("user:fault-%02d-%02d@example.com", svc, i) }

func faultMatrixConfig(t *testing.T, f *gcpinvoketesting.Fixture) string {
	var b strings.Builder
	for s := 0; s < faultServices; s++ {
		fmt.Fprintf(&b, "resource \"gcpinvoke_run_service_iam_members\" \"set%02d\" {\n  service = %q\n  role    = \"roles/run.invoker\"\n  members = [\n", s, reliabilityService(s))
		for i := 0; i < faultMembersPerSet; i++ {
			fmt.Fprintf(&b, "    %q,\n", faultMember(s, i))
		}
		b.WriteString("  ]\n}\n\n")
		for i := faultMembersPerSet; i < faultMembersPerSet+faultMemberResources; i++ {
			fmt.Fprintf(&b, "resource \"gcpinvoke_run_service_iam_member\" \"m%02d_%02d\" {\n  service = %q\n  member  = %q\n}\n\n", s, i, reliabilityService(s), faultMember(s, i))
		}
	}
	for j := 0; j < faultJobs; j++ {
		svc := reliabilityService(j % faultServices)
		uri := reliabilityServiceURI(t, f, svc)
		fmt.Fprintf(&b, `resource "gcpinvoke_service_account" "job%02[1]d" {
  account_id = "fault-caller-%02[1]d"
}

resource "gcpinvoke_run_service_iam_member" "job%02[1]d" {
  service = %[2]q
  member  = gcpinvoke_service_account.job%02[1]d.member
}

resource "gcpinvoke_service_agent_impersonation" "job%02[1]d" {
  service_account = gcpinvoke_service_account.job%02[1]d.email
  agent           = "cloudscheduler"
}

resource "gcpinvoke_scheduler_job" "job%02[1]d" {
  name     = "fault-job-%02[1]d"
  schedule = "*/10 * * * *"
  http_target = {
    uri = %[3]q
    oidc_token = {
      service_account_email = gcpinvoke_service_account.job%02[1]d.email
    }
  }
  depends_on = [gcpinvoke_run_service_iam_member.job%02[1]d, gcpinvoke_service_agent_impersonation.job%02[1]d]
}

`, j, svc, uri)
	}
	return f.Config(b.String())
}

// checkFaultMatrixConverged asserts every configured member is stored
// exactly once and no member of the concurrent writer was lost.
func checkFaultMatrixConverged(t *testing.T, f *gcpinvoketesting.Fixture) resource.TestCheckFunc {
	return func(*terraform.State) error {
		st := f.Snapshot()
		for s := 0; s < faultServices; s++ {
			got := policyMembers(st, reliabilityServiceResource(s), "roles/run.invoker")
			for i := 0; i < faultMembersPerSet+faultMemberResources; i++ {
				if n := got[faultMember(s, i)]; n != 1 {
					return fmt.Errorf("%s: %s stored %d times in roles/run.invoker, want 1", reliabilityService(s), faultMember(s, i), n)
				}
			}
		}
		for j := 0; j < faultJobs; j++ {
			sa := fmt.Sprintf("serviceAccount:fault-caller-%02d@%s.iam.gserviceaccount.com", j, gcpinvoketesting.Project)
			if n := policyMembers(st, reliabilityServiceResource(j%faultServices), "roles/run.invoker")[sa]; n != 1 {
				return fmt.Errorf("invoker %s stored %d times, want 1", sa, n)
			}
			if st.Jobs[fmt.Sprintf("projects/%s/locations/%s/jobs/fault-job-%02d", gcpinvoketesting.Project, gcpinvoketesting.Location, j)] == nil {
				return fmt.Errorf("job fault-job-%02d does not exist", j)
			}
		}
		lost, total := lostConcurrentWrites(f)
		t.Logf("fault matrix: bindings-lost = %d of %d members written by the concurrent writer; calls: %v", len(lost), total, f.Calls())
		if total == 0 {
			return fmt.Errorf("the concurrent writer never struck: the test proves nothing")
		}
		if len(lost) > 0 {
			return fmt.Errorf("bindings-lost = %d, want 0: %v", len(lost), lost)
		}
		return nil
	}
}

// TestAccReliability_faultMatrix applies a 100-member, 10-service, 10-job
// configuration while the emulator fails 20% of all calls with 429/503 and
// another writer changes policies behind the provider's back. Apply must
// converge, the next plan must be empty, and no member written by the other
// writer may be lost, neither by apply nor by destroy.
func TestAccReliability_faultMatrix(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: reliabilitySeed(faultServices)})
	cfg := faultMatrixConfig(t, f) // reads service URIs before faults start
	f.SetFaults(emulator.Faults{
		ErrorRate:  0.2,
		ErrorCodes: []int{429, 503},
		// Every policy is exposed: after each read, another writer changes
		// the policy with this probability. At 1 no read-modify-write
		// could ever succeed, on Google or here.
		ConcurrentWriterRate: 0.5,
		Seed:                 1,
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			// The framework plans again after apply and fails on any diff.
			{Config: cfg, Check: checkFaultMatrixConverged(t, f)},
			{Config: cfg, PlanOnly: true},
		},
		CheckDestroy: func(*terraform.State) error {
			st := f.Snapshot()
			for s := 0; s < faultServices; s++ {
				got := policyMembers(st, reliabilityServiceResource(s), "roles/run.invoker")
				for i := 0; i < faultMembersPerSet+faultMemberResources; i++ {
					if got[faultMember(s, i)] > 0 {
						return fmt.Errorf("%s still holds %s after destroy", reliabilityService(s), faultMember(s, i))
					}
				}
			}
			lost, total := lostConcurrentWrites(f)
			t.Logf("after destroy: bindings-lost = %d of %d", len(lost), total)
			if len(lost) > 0 {
				return fmt.Errorf("destroy removed %d member(s) it never managed: %v", len(lost), lost)
			}
			return nil
		},
	})
}
