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
	testAccFnMemberAddr  = "gcpinvoke_cloudfunctions_function_iam_member.caller"
	testAccFnMembersAddr = "gcpinvoke_cloudfunctions_function_iam_members.callers"
)

func TestAccFunctionIAMMember_gen2BindsOnRunService(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	config := f.Config(`
resource "gcpinvoke_cloudfunctions_function_iam_member" "caller" {
  function = "hello-fn"
  member   = "user:alice@example.com"
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             testAccCheckPolicy(f, testAccGen2Service, runInvokerRole, nil, []string{"user:alice@example.com"}),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// Resolved at plan time, so the plan already says where the binding goes.
					plancheck.ExpectKnownValue(testAccFnMemberAddr, tfjsonpath.New("binding_target"), knownvalue.StringExact(testAccGen2Service)),
					plancheck.ExpectKnownValue(testAccFnMemberAddr, tfjsonpath.New("role"), knownvalue.StringExact(runInvokerRole)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccFnMemberAddr, tfjsonpath.New("generation"), knownvalue.StringExact("GEN_2")),
					statecheck.ExpectKnownValue(testAccFnMemberAddr, tfjsonpath.New("binding_target"), knownvalue.StringExact(testAccGen2Service)),
					statecheck.ExpectKnownValue(testAccFnMemberAddr, tfjsonpath.New("role"), knownvalue.StringExact(runInvokerRole)),
				},
				Check: testAccCheckPolicy(f, testAccGen2Service, runInvokerRole, []string{"user:alice@example.com"}, nil),
			},
			{
				ResourceName:      testAccFnMemberAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
		},
	})
}

func TestAccFunctionIAMMember_gen1BindsOnFunction(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	config := f.Config(`
resource "gcpinvoke_cloudfunctions_function_iam_member" "caller" {
  function = "legacy-fn"
  member   = "user:alice@example.com"
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             testAccCheckPolicy(f, testAccGen1Function, functionsInvokerRole, nil, []string{"user:alice@example.com"}),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccFnMemberAddr, tfjsonpath.New("generation"), knownvalue.StringExact("GEN_1")),
					statecheck.ExpectKnownValue(testAccFnMemberAddr, tfjsonpath.New("binding_target"), knownvalue.StringExact(testAccGen1Function)),
					statecheck.ExpectKnownValue(testAccFnMemberAddr, tfjsonpath.New("role"), knownvalue.StringExact(functionsInvokerRole)),
				},
				Check: testAccCheckPolicy(f, testAccGen1Function, functionsInvokerRole, []string{"user:alice@example.com"}, nil),
			},
			{
				ResourceName:                         testAccFnMemberAddr,
				ImportState:                          true,
				ImportStateId:                        "legacy-fn roles/cloudfunctions.invoker user:alice@example.com",
				ImportStateVerify:                    true,
				ImportStateVerifyIgnore:              []string{"id"},
				ImportStateVerifyIdentifierAttribute: "function",
			},
			{
				PreConfig: func() {
					testAccOutOfBand(t, f, testAccGen1Function, iampolicy.RemoveMembers(functionsInvokerRole, nil, "user:alice@example.com"))
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccFnMemberAddr, plancheck.ResourceActionCreate),
				}},
				Check: testAccCheckPolicy(f, testAccGen1Function, functionsInvokerRole, []string{"user:alice@example.com"}, nil),
			},
		},
	})
}

func TestAccFunctionIAMMembers_lifecycle(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	config := func(members ...string) string {
		return f.Config(`
resource "gcpinvoke_cloudfunctions_function_iam_members" "callers" {
  function = "hello-fn"
  members  = ` + hclList(members) + `
}
`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: testAccCheckPolicy(f, testAccGen2Service, runInvokerRole, []string{testAccForeign},
			[]string{"user:a@example.com", "user:b@example.com"}),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					testAccOutOfBand(t, f, testAccGen2Service, iampolicy.AddMembers(runInvokerRole, nil, testAccForeign))
				},
				Config: config("user:a@example.com"),
				Check:  testAccCheckPolicy(f, testAccGen2Service, runInvokerRole, []string{testAccForeign, "user:a@example.com"}, nil),
			},
			{
				Config: config("user:b@example.com"),
				Check: testAccCheckPolicy(f, testAccGen2Service, runInvokerRole, []string{testAccForeign, "user:b@example.com"},
					[]string{"user:a@example.com"}),
			},
			{
				ResourceName:            testAccFnMembersAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"members"}, // a non-exclusive import claims no member
			},
		},
	})
}

func TestAccFunctionIAM_guardRails(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	cases := []struct{ hcl, want string }{
		{`resource "gcpinvoke_cloudfunctions_function_iam_member" "x" {
  function = "hello-fn"
  role     = "roles/cloudfunctions.invoker"
  member   = "user:a@example.com"
}`, `this is a 2nd gen function: it is served by the Cloud Run service projects/demo-project/locations/us-central1/services/hello-fn, and calling it needs "roles/run.invoker" on that service`},
		{`resource "gcpinvoke_cloudfunctions_function_iam_member" "x" {
  function = "legacy-fn"
  role     = "roles/run.invoker"
  member   = "user:a@example.com"
}`, `this is a 1st gen function: it is not served by Cloud Run`},
		{`resource "gcpinvoke_cloudfunctions_function_iam_members" "x" {
  function = "hello-fn"
  members  = ["allUsers"]
}`, `makes the Cloud Function publicly invocable`},
		{`resource "gcpinvoke_cloudfunctions_function_iam_member" "x" {
  function = "legacy-fn"
  role     = "roles/iam.serviceAccountUser"
  member   = "user:a@example.com"
}`, `cannot be granted on a Cloud Function`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		want := regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(c.want), " ", `\s+`))
		steps = append(steps, resource.TestStep{Config: f.Config(c.hcl), ExpectError: want})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
}
