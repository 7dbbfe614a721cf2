package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

const (
	testAccRunMemberAddr  = "gcpinvoke_run_service_iam_member.caller"
	testAccRunMembersAddr = "gcpinvoke_run_service_iam_members.callers"
	testAccForeign        = "user:foreign@example.com"
)

func TestAccRunServiceIAMMember_lifecycle(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	config := func(timeout string) string {
		return f.Config(fmt.Sprintf(`
resource "gcpinvoke_run_service_iam_member" "caller" {
  service = "hello"
  member  = "user:alice@example.com"
  timeouts {
    create = %q
  }
}
`, timeout))
	}
	ours := []string{"user:alice@example.com"}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		// Destroy removes ours only: the member someone else added stays.
		CheckDestroy: testAccCheckPolicy(f, testAccHelloService, runInvokerRole, []string{testAccForeign}, ours),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					testAccOutOfBand(t, f, testAccHelloService, iampolicy.AddMembers(runInvokerRole, nil, testAccForeign))
					f.ResetCalls()
				},
				Config: config("4m"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccRunMemberAddr, tfjsonpath.New("id"),
						knownvalue.StringExact(testAccHelloService+" roles/run.invoker user:alice@example.com")),
					statecheck.ExpectKnownValue(testAccRunMemberAddr, tfjsonpath.New("role"), knownvalue.StringExact(runInvokerRole)),
					statecheck.ExpectKnownValue(testAccRunMemberAddr, tfjsonpath.New("project"), knownvalue.StringExact("demo-project")),
					statecheck.ExpectKnownValue(testAccRunMemberAddr, tfjsonpath.New("location"), knownvalue.StringExact("us-central1")),
					statecheck.ExpectKnownValue(testAccRunMemberAddr, tfjsonpath.New("allow_public"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeTestCheckFunc(
					testAccCheckPolicy(f, testAccHelloService, runInvokerRole, append([]string{testAccForeign}, ours...), nil),
					// No "propagation check" re-reads: one read, one write.
					testAccCheckCalls(f, map[string]int{"run.services.getIamPolicy": 1, "run.services.setIamPolicy": 1}),
				),
			},
			{
				// Changing only the timeout is an in-place update without API writes.
				PreConfig: func() { f.ResetCalls() },
				Config:    config("6m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccRunMemberAddr, plancheck.ResourceActionUpdate),
				}},
				Check: testAccCheckCalls(f, map[string]int{"run.services.setIamPolicy": 0}),
			},
			{
				ResourceName:            testAccRunMemberAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				// Short form of the resource in the import ID.
				ResourceName:                         testAccRunMemberAddr,
				ImportState:                          true,
				ImportStateId:                        "hello roles/run.invoker user:alice@example.com",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "role",
				ImportStateVerifyIgnore:              []string{"timeouts", "id"},
			},
			{
				// Removed out of band: the plan re-creates the binding.
				PreConfig: func() {
					testAccOutOfBand(t, f, testAccHelloService, iampolicy.RemoveMembers(runInvokerRole, nil, ours...))
				},
				Config: config("6m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccRunMemberAddr, plancheck.ResourceActionCreate),
				}},
				Check: testAccCheckPolicy(f, testAccHelloService, runInvokerRole, append([]string{testAccForeign}, ours...), nil),
			},
		},
	})
}

func TestAccRunServiceIAMMember_conditionAndImportBlock(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	config := f.Config(`
resource "gcpinvoke_run_service_iam_member" "caller" {
  project  = "demo-project"
  location = "us-central1"
  service  = "hello"
  member   = "group:ops@example.com"
  condition = {
    title      = "until 2030"
    expression = "request.time < timestamp(\"2030-01-01T00:00:00Z\")"
  }
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccRunMemberAddr, tfjsonpath.New("id"),
						knownvalue.StringExact(testAccHelloService+" roles/run.invoker group:ops@example.com until 2030")),
				},
				Check: func(*terraform.State) error {
					if got := testAccPolicyMembers(f, testAccHelloService, runInvokerRole, "until 2030"); len(got) != 1 || got[0] != "group:ops@example.com" {
						return fmt.Errorf("conditional binding holds %v", got)
					}
					if got := testAccPolicyMembers(f, testAccHelloService, runInvokerRole, ""); len(got) != 0 {
						return fmt.Errorf("unconditional binding should be untouched, holds %v", got)
					}
					return nil
				},
			},
			{
				// import block with the Google provider's ID, condition by title.
				ResourceName:    testAccRunMemberAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   "demo-project/us-central1/hello roles/run.invoker group:ops@example.com until 2030",
				Config:          config,
			},
		},
	})
}

func TestAccRunServiceIAMMembers_lifecycle(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	config := func(members ...string) string {
		return f.Config(fmt.Sprintf(`
resource "gcpinvoke_run_service_iam_members" "callers" {
  service = "hello"
  role    = "roles/run.invoker"
  members = %s
}
`, hclList(members)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: testAccCheckPolicy(f, testAccHelloService, runInvokerRole, []string{testAccForeign},
			[]string{"user:a@example.com", "user:b@example.com", "user:c@example.com"}),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					testAccOutOfBand(t, f, testAccHelloService, iampolicy.AddMembers(runInvokerRole, nil, testAccForeign))
					f.ResetCalls()
				},
				Config: config("user:a@example.com", "user:b@example.com"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccRunMembersAddr, tfjsonpath.New("members"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("user:a@example.com"), knownvalue.StringExact("user:b@example.com"),
					})),
					statecheck.ExpectKnownValue(testAccRunMembersAddr, tfjsonpath.New("exclusive"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testAccRunMembersAddr, tfjsonpath.New("id"), knownvalue.StringExact(testAccHelloService+" roles/run.invoker user:a@example.com,user:b@example.com")),
				},
				Check: resource.ComposeTestCheckFunc(
					testAccCheckPolicy(f, testAccHelloService, runInvokerRole,
						[]string{testAccForeign, "user:a@example.com", "user:b@example.com"}, nil),
					// Two members: one read and one write.
					testAccCheckCalls(f, map[string]int{"run.services.getIamPolicy": 1, "run.services.setIamPolicy": 1}),
				),
			},
			{
				PreConfig: func() { f.ResetCalls() },
				Config:    config("user:b@example.com", "user:c@example.com"),
				Check: resource.ComposeTestCheckFunc(
					testAccCheckPolicy(f, testAccHelloService, runInvokerRole,
						[]string{testAccForeign, "user:b@example.com", "user:c@example.com"}, []string{"user:a@example.com"}),
					testAccCheckCalls(f, map[string]int{"run.services.setIamPolicy": 1}),
				),
			},
			{
				// Import claims no holder: the import ID does not say which
				// of the 3 holders the configuration lists.
				ResourceName:      testAccRunMembersAddr,
				ImportState:       true,
				ImportStateId:     "us-central1/hello roles/run.invoker",
				ImportStateVerify: false,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["members.#"] != "0" {
						return fmt.Errorf("import should claim no member, got %v", states)
					}
					return nil
				},
			},
			{
				// A managed member removed out of band shows as an update.
				PreConfig: func() {
					testAccOutOfBand(t, f, testAccHelloService, iampolicy.RemoveMembers(runInvokerRole, nil, "user:c@example.com"))
				},
				Config: config("user:b@example.com", "user:c@example.com"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccRunMembersAddr, plancheck.ResourceActionUpdate),
				}},
				Check: testAccCheckPolicy(f, testAccHelloService, runInvokerRole,
					[]string{testAccForeign, "user:b@example.com", "user:c@example.com"}, nil),
			},
			{
				ResourceName:      testAccRunMembersAddr,
				ImportState:       true,
				ImportStateVerify: true,
				// A non-exclusive import claims no member.
				ImportStateVerifyIgnore: []string{"members"},
			},
		},
	})
}

func TestAccRunServiceIAMMembers_exclusiveRemovesForeignMembers(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	config := f.Config(`
resource "gcpinvoke_run_service_iam_members" "callers" {
  service   = "hello"
  role      = "roles/run.invoker"
  members   = ["user:a@example.com"]
  exclusive = true
}
resource "gcpinvoke_run_service_iam_member" "viewer" {
  service = "hello"
  role    = "roles/run.viewer"
  member  = "user:viewer@example.com"
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					testAccOutOfBand(t, f, testAccHelloService, iampolicy.AddMembers(runInvokerRole, nil, testAccForeign))
				},
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					testAccCheckPolicy(f, testAccHelloService, runInvokerRole, []string{"user:a@example.com"}, []string{testAccForeign}),
					// Other roles are never touched.
					testAccCheckPolicy(f, testAccHelloService, "roles/run.viewer", []string{"user:viewer@example.com"}, nil),
				),
			},
			{
				// A member added out of band later shows up as a diff to remove.
				PreConfig: func() {
					testAccOutOfBand(t, f, testAccHelloService, iampolicy.AddMembers(runInvokerRole, nil, "user:late@example.com"))
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccRunMembersAddr, plancheck.ResourceActionUpdate),
				}},
				Check: testAccCheckPolicy(f, testAccHelloService, runInvokerRole, []string{"user:a@example.com"}, []string{"user:late@example.com"}),
			},
		},
	})
}

func TestAccRunServiceIAM_concurrentWriterLosesNothing(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Faults: emulator.Faults{ConcurrentWriterRate: 0.5, Seed: 2}})
	var cfg string
	for i := range 4 {
		cfg += fmt.Sprintf(`
resource "gcpinvoke_run_service_iam_member" "m%d" {
  service = "hello"
  member  = "user:m%d@example.com"
}
`, i, i)
	}
	cfg += `
resource "gcpinvoke_run_service_iam_members" "callers" {
  service = "hello"
  role    = "roles/run.invoker"
  members = ["user:x@example.com", "user:y@example.com"]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: f.Config(cfg),
			// The plan after apply must be empty (checked by the harness), and
			// every member the other writer added must still be there.
			Check: func(*terraform.State) error {
				writes := f.ConcurrentWrites()
				if len(writes) < 2 {
					// Seed 2 makes the writer strike after each of the first
					// four reads: our write must conflict and retry.
					return fmt.Errorf("the concurrent writer struck %d times; the test proves nothing", len(writes))
				}
				var theirs []string
				for _, w := range writes {
					if w.Resource == testAccHelloService {
						theirs = append(theirs, w.Member)
					}
				}
				ours := []string{"user:m0@example.com", "user:m1@example.com", "user:m2@example.com", "user:m3@example.com", "user:x@example.com", "user:y@example.com"}
				return testAccCheckPolicy(f, testAccHelloService, runInvokerRole, append(theirs, ours...), nil)(nil)
			},
		}},
	})
}

func TestAccRunServiceIAM_conflictStormConverges(t *testing.T) {
	// Google answers 409 ABORTED to the next three writes.
	f := testAccEmulator(t, emulator.Options{Faults: emulator.Faults{
		FailNext: map[string]*emulator.FailSpec{"run.services.setIamPolicy": {Code: 409, Count: 3,
			Message: "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff."}},
	}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: f.Config(`
resource "gcpinvoke_run_service_iam_members" "callers" {
  service = "hello"
  role    = "roles/run.invoker"
  members = ["user:a@example.com", "user:b@example.com"]
}
`),
			Check: resource.ComposeTestCheckFunc(
				testAccCheckPolicy(f, testAccHelloService, runInvokerRole, []string{"user:a@example.com", "user:b@example.com"}, nil),
				func(*terraform.State) error {
					if n := f.Calls()["run.services.setIamPolicy"]; n != 4 {
						return fmt.Errorf("setIamPolicy called %d times, want 3 conflicts and 1 success", n)
					}
					return nil
				},
			),
		}},
	})
}

func TestAccRunServiceIAM_serviceAccountNotYetVisibleConverges(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{IAMPropagationDelay: 1500 * time.Millisecond})
	member := "serviceAccount:fresh-caller@demo-project.iam.gserviceaccount.com"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			PreConfig: func() { testAccCreateServiceAccount(t, f, "fresh-caller") },
			Config: f.Config(fmt.Sprintf(`
resource "gcpinvoke_run_service_iam_member" "caller" {
  service = "hello"
  member  = %q
}
`, member)),
			Check: testAccCheckPolicy(f, testAccHelloService, runInvokerRole, []string{member}, nil),
		}},
	})
}

func TestAccRunServiceIAM_publicNeedsAcknowledgement(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: f.Config(`
resource "gcpinvoke_run_service_iam_member" "public" {
  service      = "hello"
  member       = "allUsers"
  allow_public = true
}
`),
			Check: testAccCheckPolicy(f, testAccHelloService, runInvokerRole, []string{"allUsers"}, nil),
		}},
	})
}

func TestAccRunServiceIAM_guardRails(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	cases := []struct {
		name, hcl, want string
	}{
		{"allUsers without allow_public",
			`resource "gcpinvoke_run_service_iam_member" "x" {
  service = "hello"
  member  = "allUsers"
}`, `(?s)publicly invocable.*allow_public = true`},
		{"allAuthenticatedUsers in a set",
			`resource "gcpinvoke_run_service_iam_members" "x" {
  service = "hello"
  role    = "roles/run.invoker"
  members = ["user:a@example.com", "allAuthenticatedUsers"]
}`, `(?s)anyone with a Google.*account can call it`},
		{"member without type prefix",
			`resource "gcpinvoke_run_service_iam_member" "x" {
  service = "hello"
  member  = "alice@example.com"
}`, `(?s)member.*has no type prefix`},
		{"unknown member prefix",
			`resource "gcpinvoke_run_service_iam_member" "x" {
  service = "hello"
  member  = "robot:r2@example.com"
}`, `unknown type "robot"`},
		{"deleted member",
			`resource "gcpinvoke_run_service_iam_member" "x" {
  service = "hello"
  member  = "deleted:user:gone@example.com?uid=123"
}`, `(?s)names a deleted.*identity`},
		{"functions role on a Run service",
			`resource "gcpinvoke_run_service_iam_member" "x" {
  service = "hello"
  role    = "roles/cloudfunctions.invoker"
  member  = "user:a@example.com"
}`, `(?s)Cloud Functions role.*roles/run.invoker`},
		{"role without prefix",
			`resource "gcpinvoke_run_service_iam_member" "x" {
  service = "hello"
  role    = "run.invoker"
  member  = "user:a@example.com"
}`, `(?s)has no prefix.*roles/run.invoker`},
		{"condition without expression",
			`resource "gcpinvoke_run_service_iam_member" "x" {
  service   = "hello"
  member    = "user:a@example.com"
  condition = { title = "t", expression = "  " }
}`, `(?s)condition.*no expression`},
		// timeouts is a block, as on every resource (it was an attribute on
		// the IAM resources only); Terraform names the fix.
		{"timeouts written as an attribute",
			`resource "gcpinvoke_run_service_iam_member" "x" {
  service  = "hello"
  member   = "user:a@example.com"
  timeouts = { create = "1m" }
}`, `(?s)Unsupported argument.*Did you mean to define a block of type "timeouts"`},
		// The diagnostic sits on the attribute: Terraform quotes its line.
		{"predefined role that does not exist",
			`resource "gcpinvoke_run_service_iam_member" "x" {
  service = "hello"
  role    = "roles/run.invokr"
  member  = "user:a@example.com"
}`, `(?s)role = "roles/run.invokr".*did you mean "roles/run.invoker"`},
		{"condition expression that is not CEL",
			`resource "gcpinvoke_run_service_iam_members" "x" {
  service   = "hello"
  role      = "roles/run.invoker"
  members   = ["user:a@example.com"]
  condition = {
    title      = "t"
    expression = "request.time < "
  }
}`, `(?s)Invalid IAM condition expression.*"request.time < " is not a valid CEL expression`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		// Terraform wraps messages: any space may be a line break.
		want := regexp.MustCompile(strings.ReplaceAll(c.want, " ", `\s+`))
		steps = append(steps, resource.TestStep{Config: f.Config(c.hcl), ExpectError: want})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
	if n := f.Calls()["run.services.setIamPolicy"]; n != 0 {
		t.Errorf("guard rails must stop at plan time, but setIamPolicy was called %d times", n)
	}
}

func TestAccRunServiceDataSource(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: f.Config(`data "gcpinvoke_run_service" "hello" { name = "hello" }`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.gcpinvoke_run_service.hello", tfjsonpath.New("id"), knownvalue.StringExact(testAccHelloService)),
				statecheck.ExpectKnownValue("data.gcpinvoke_run_service.hello", tfjsonpath.New("uri"), knownvalue.StringRegexp(regexp.MustCompile(`^http://hello-.*\.run\.localhost:`))),
				statecheck.ExpectKnownValue("data.gcpinvoke_run_service.hello", tfjsonpath.New("urls"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue("data.gcpinvoke_run_service.hello", tfjsonpath.New("ingress"), knownvalue.StringExact("INGRESS_TRAFFIC_ALL")),
				statecheck.ExpectKnownValue("data.gcpinvoke_run_service.hello", tfjsonpath.New("invoker_iam_disabled"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.gcpinvoke_run_service.hello", tfjsonpath.New("custom_audiences"), knownvalue.ListSizeExact(0)),
			},
		}, {
			Config:      f.Config(`data "gcpinvoke_run_service" "nope" { name = "nope" }`),
			ExpectError: regexp.MustCompile(`(?s)Not found.*Cloud Run service`),
		}},
	})
}

// hclList writes strings as an HCL list.
func hclList(items []string) string {
	out := "["
	for i, s := range items {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%q", s)
	}
	return out + "]"
}
