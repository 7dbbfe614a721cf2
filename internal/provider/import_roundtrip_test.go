package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// Import round-trips (issue 12, item 5): for every resource, importing the
// object it created, by the resource's own id and by each import ID form the
// documentation gives, yields an empty plan with the configuration that
// created it. Each form is imported with an `import {}` block (the testing
// framework fails the step unless the plan is a pure import: no create,
// update or replace), and the own id also with `terraform import`, whose
// state must equal the created state.

// importForm is one import ID to try; an empty id is the resource's own id
// as stored in state.
type importForm struct {
	name, id string
}

// testAccImportRoundTrip applies config, then imports addr by every form.
// verifyIgnore lists attributes `terraform import` cannot know (timeouts).
func testAccImportRoundTrip(t *testing.T, f *gcpinvoketesting.Fixture, hcl, addr string, forms []importForm, verifyIgnore ...string) {
	t.Helper()
	testAccImportRoundTripCase(t, f, hcl, addr, forms, nil, verifyIgnore...)
}

// testAccImportRoundTripCase is testAccImportRoundTrip with a foreign
// holder: when foreign is set, its member is granted the role out of band
// before the first apply, and the policy must still hold it after every
// apply and after destroy.
func testAccImportRoundTripCase(t *testing.T, f *gcpinvoketesting.Fixture, hcl, addr string, forms []importForm, foreign *importForeign, verifyIgnore ...string) {
	t.Helper()
	config := f.Config(hcl)
	// An `_iam_members` imported without a member list claims no member
	// (the ID does not say which holders the configuration lists), so its
	// import is followed by an update that adds the listed members to the
	// resource: never a removal (TestAccIAMMembers_neverRemovesUnlistedMembers).
	// Imported with the configured members listed — as its own id lists
	// them — its plan is empty.
	membersImport := strings.Contains(addr, "_iam_members.")
	foreignKept := func(*terraform.State) error { return nil }
	first := resource.TestStep{Config: config}
	if foreign != nil {
		foreignKept = testAccCheckPolicy(f, foreign.policy, foreign.role, []string{foreign.member}, nil)
		first.PreConfig = func() {
			testAccOutOfBand(t, f, foreign.policy, iampolicy.AddMembers(foreign.role, nil, foreign.member))
		}
		first.Check = foreignKept
	}
	steps := []resource.TestStep{first}
	for _, form := range forms {
		// The own id ("" = the id in state) lists the members.
		updates := membersImport && form.id != "" && !strings.Contains(form.id, "user:")
		checks := []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}
		if updates {
			checks = []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}
		}
		steps = append(steps, resource.TestStep{
			ResourceName:       addr,
			ImportState:        true,
			ImportStateKind:    resource.ImportBlockWithID,
			ImportStateId:      form.id,
			Config:             config,
			ExpectNonEmptyPlan: updates,
			ImportPlanChecks:   resource.ImportPlanChecks{PreApply: checks},
		})
	}
	steps = append(steps, resource.TestStep{
		ResourceName:            addr,
		ImportState:             true,
		ImportStateVerify:       true,
		ImportStateVerifyIgnore: append([]string{"timeouts"}, verifyIgnore...),
		Config:                  config,
	}, resource.TestStep{Config: config, Check: foreignKept})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps:                    steps,
		CheckDestroy:             foreignKept,
	})
}

// importForeign is a holder of role on policy that no configuration lists.
type importForeign struct {
	policy, role, member string
}

// located returns the four ID forms of a located resource (the own id is
// the full name).
func locatedForms(project, location, collection, name string) []importForm {
	return []importForm{
		{"own id", ""},
		{"full name", "projects/" + project + "/locations/" + location + "/" + collection + "/" + name},
		{"project/location/name", project + "/" + location + "/" + name},
		{"location/name", location + "/" + name},
		{"name", name},
	}
}

func TestAccImportRoundTrip_schedulerJob(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("runner")})
	testAccImportRoundTrip(t, f, `
resource "gcpinvoke_scheduler_job" "j" {
  name        = "nightly"
  description = "round trip"
  schedule    = "0 3 * * *"
  time_zone   = "Europe/Berlin"
  retry_config = {
    retry_count = 2
    min_backoff = "10s"
    max_backoff = "120s"
  }
  http_target = {
    uri        = "https://hello-abc-uc.a.run.app/tasks?x=1"
    headers    = { "X-Team" = "blue" }
    body       = "{}"
    oidc_token = { service_account_email = "runner@demo-project.iam.gserviceaccount.com" }
  }
}`, "gcpinvoke_scheduler_job.j", locatedForms("demo-project", "us-central1", "jobs", "nightly"),
		"last_attempt_time", "last_attempt_status")
}

func TestAccImportRoundTrip_cloudTasksQueue(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("runner")})
	testAccImportRoundTrip(t, f, `
resource "gcpinvoke_cloud_tasks_queue" "q" {
  name = "orders"
  rate_limits = { max_dispatches_per_second = 5 }
  retry_config = {
    max_attempts = 3
    min_backoff  = "1s"
    max_backoff  = "30s"
  }
  http_target = {
    uri         = "https://pubsub.googleapis.com/v1/projects/demo-project/topics/t:publish"
    http_method = "POST"
    oauth_token = { service_account_email = "runner@demo-project.iam.gserviceaccount.com" }
  }
}`, "gcpinvoke_cloud_tasks_queue.q", locatedForms("demo-project", "us-central1", "queues", "orders"))
}

func TestAccImportRoundTrip_workflow(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("runner")})
	testAccImportRoundTrip(t, f, `
resource "gcpinvoke_workflow" "w" {
  name            = "process-orders"
  description     = "round trip"
  service_account = "runner@demo-project.iam.gserviceaccount.com"
  source          = <<-EOT
    main:
      steps:
        - done:
            return: 1
  EOT
}`, "gcpinvoke_workflow.w", locatedForms("demo-project", "us-central1", "workflows", "process-orders"))
}

func TestAccImportRoundTrip_serviceAccount(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	testAccImportRoundTrip(t, f, `
resource "gcpinvoke_service_account" "sa" {
  account_id   = "scheduler-invoker"
  display_name = "Scheduler invoker"
  description  = "round trip"
}`, "gcpinvoke_service_account.sa", []importForm{
		{"own id", ""},
		{"email", "scheduler-invoker@demo-project.iam.gserviceaccount.com"},
		{"resource name", "projects/demo-project/serviceAccounts/scheduler-invoker@demo-project.iam.gserviceaccount.com"},
	})
}

func TestAccImportRoundTrip_serviceAgentImpersonation(t *testing.T) {
	const email = "runner@demo-project.iam.gserviceaccount.com"
	f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("runner")})
	testAccImportRoundTrip(t, f, `
resource "gcpinvoke_service_agent_impersonation" "i" {
  service_account = "`+email+`"
  agent           = "cloudscheduler"
}`, "gcpinvoke_service_agent_impersonation.i", []importForm{
		{"own id", ""},
		{"email and agent", email + " cloudscheduler"},
		{"email, agent and role", email + " cloudscheduler roles/cloudscheduler.serviceAgent"},
		{"email, agent, role and project", email + " cloudscheduler roles/cloudscheduler.serviceAgent demo-project"},
	})
}

// TestAccImportRoundTrip_serviceAgentImpersonationCrossProject imports an
// impersonation whose agent belongs to another project than the account
// (the job's project is demo-project, the account lives in shared-ids): the
// agent's project is the ID's fourth part. Before it had a place in the ID,
// the documented ID found no binding ("Cannot import non-existent remote
// object").
func TestAccImportRoundTrip_serviceAgentImpersonationCrossProject(t *testing.T) {
	const name = "projects/shared-ids/serviceAccounts/tasks-invoker@shared-ids.iam.gserviceaccount.com"
	seed := emulator.DefaultSeed()
	seed.Projects = append(seed.Projects, emulator.SeedProject{ProjectID: "shared-ids", ProjectNumber: "222222222222"})
	seed.ServiceAccounts = append(seed.ServiceAccounts, emulator.SeedServiceAccount{Project: "shared-ids", AccountID: "tasks-invoker"})
	f := testAccEmulator(t, emulator.Options{Seed: seed})
	testAccImportRoundTrip(t, f, `
resource "gcpinvoke_service_agent_impersonation" "tasks" {
  service_account = "`+name+`"
  agent           = "cloudtasks"
  project         = "demo-project"
  role            = "roles/iam.serviceAccountTokenCreator"
}`, "gcpinvoke_service_agent_impersonation.tasks", []importForm{
		{"own id", ""},
		{"documented form", name + " cloudtasks roles/iam.serviceAccountTokenCreator demo-project"},
	})
}

// ---- the IAM family (its code belongs to the IAM resources; these tests
// only import what a configuration created) ----

func TestAccImportRoundTrip_runServiceIAMMember(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	const rest = " roles/run.invoker user:alice@example.com"
	testAccImportRoundTrip(t, f, `
resource "gcpinvoke_run_service_iam_member" "m" {
  service = "hello"
  member  = "user:alice@example.com"
}`, "gcpinvoke_run_service_iam_member.m", []importForm{
		{"own id", ""},
		{"full name", testAccHelloService + rest},
		{"project/location/service", "demo-project/us-central1/hello" + rest},
		{"location/service", "us-central1/hello" + rest},
		{"service", "hello" + rest},
	})
}

// An `_iam_members` imported with its members listed gives an empty plan
// and claims no other holder: a foreign holder of the role survives the
// applies and the destroy.
func TestAccImportRoundTrip_runServiceIAMMembers(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	const rest = " roles/run.invoker"
	const listed = " user:a@example.com,user:b@example.com"
	testAccImportRoundTripCase(t, f, `
resource "gcpinvoke_run_service_iam_members" "m" {
  service = "hello"
  role    = "roles/run.invoker"
  members = ["user:a@example.com", "user:b@example.com"]
}`, "gcpinvoke_run_service_iam_members.m", []importForm{
		{"own id", ""},
		{"full name", testAccHelloService + rest},
		{"project/location/service", "demo-project/us-central1/hello" + rest},
		{"location/service", "us-central1/hello" + rest},
		{"service", "hello" + rest},
		{"full name, members listed", testAccHelloService + rest + listed},
		{"service, members listed (other order)", "hello" + rest + " user:b@example.com,user:a@example.com"},
	}, &importForeign{testAccHelloService, runInvokerRole, "user:foreign@example.com"})
}

func TestAccImportRoundTrip_cloudfunctionsFunctionIAMMember(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	testAccImportRoundTrip(t, f, `
resource "gcpinvoke_cloudfunctions_function_iam_member" "gen2" {
  function = "hello-fn"
  member   = "user:alice@example.com"
}`, "gcpinvoke_cloudfunctions_function_iam_member.gen2", []importForm{
		{"own id", ""},
		{"full name (gen2)", "projects/demo-project/locations/us-central1/functions/hello-fn roles/run.invoker user:alice@example.com"},
		{"location/function (gen2)", "us-central1/hello-fn roles/run.invoker user:alice@example.com"},
		{"function (gen2)", "hello-fn roles/run.invoker user:alice@example.com"},
	})
}

func TestAccImportRoundTrip_cloudfunctionsFunctionIAMMembers(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	const listed = " user:a@example.com,user:b@example.com"
	testAccImportRoundTripCase(t, f, `
resource "gcpinvoke_cloudfunctions_function_iam_members" "gen1" {
  function = "legacy-fn"
  members  = ["user:a@example.com", "user:b@example.com"]
}`, "gcpinvoke_cloudfunctions_function_iam_members.gen1", []importForm{
		{"own id", ""},
		{"full name (gen1)", testAccGen1Function + " roles/cloudfunctions.invoker"},
		{"project/location/function (gen1)", "demo-project/us-central1/legacy-fn roles/cloudfunctions.invoker"},
		{"function (gen1)", "legacy-fn roles/cloudfunctions.invoker"},
		{"full name (gen1), members listed", testAccGen1Function + " roles/cloudfunctions.invoker" + listed},
		{"function (gen1), members listed", "legacy-fn roles/cloudfunctions.invoker" + listed},
	}, &importForeign{testAccGen1Function, functionsInvokerRole, "user:foreign@example.com"})
}

// The service account is imported as the ID writes it (email or resource
// name), so each configuration style is imported with its own form.
func TestAccImportRoundTrip_serviceAccountIAMMember(t *testing.T) {
	const rest = " roles/iam.serviceAccountTokenCreator user:alice@example.com"
	for _, account := range []string{"runner@demo-project.iam.gserviceaccount.com", testAccSAPolicyName("runner")} {
		t.Run(account, func(t *testing.T) {
			f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("runner")})
			testAccImportRoundTrip(t, f, `
resource "gcpinvoke_service_account_iam_member" "m" {
  service_account = "`+account+`"
  role            = "roles/iam.serviceAccountTokenCreator"
  member          = "user:alice@example.com"
}`, "gcpinvoke_service_account_iam_member.m", []importForm{
				{"own id", ""},
				{"account as configured", account + rest},
			})
		})
	}
}

func TestAccImportRoundTrip_serviceAccountIAMMembers(t *testing.T) {
	const rest = " roles/iam.serviceAccountUser"
	const listed = " user:a@example.com,user:b@example.com"
	for _, account := range []string{"runner@demo-project.iam.gserviceaccount.com", testAccSAPolicyName("runner")} {
		t.Run(account, func(t *testing.T) {
			f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("runner")})
			testAccImportRoundTripCase(t, f, `
resource "gcpinvoke_service_account_iam_members" "m" {
  service_account = "`+account+`"
  role            = "roles/iam.serviceAccountUser"
  members         = ["user:a@example.com", "user:b@example.com"]
}`, "gcpinvoke_service_account_iam_members.m", []importForm{
				{"own id", ""},
				{"account as configured", account + rest},
				{"account as configured, members listed", account + rest + listed},
			}, &importForeign{testAccSAPolicyName("runner"), "roles/iam.serviceAccountUser", "user:foreign@example.com"})
		})
	}
}

// A service account IAM resource imported with the other spelling of the
// account than its configuration (email vs projects/P/serviceAccounts/EMAIL)
// is the same binding: the plan is an in-place update that only records the
// configuration's spelling (no replacement, no policy write), then empty.
func TestAccImportRoundTrip_serviceAccountIAMOtherSpelling(t *testing.T) {
	const (
		email = "runner@demo-project.iam.gserviceaccount.com"
		role  = "roles/iam.serviceAccountUser"
		a     = "user:a@example.com"
	)
	name := testAccSAPolicyName("runner")
	for _, typ := range []string{"gcpinvoke_service_account_iam_member", "gcpinvoke_service_account_iam_members"} {
		for _, spelling := range []struct{ config, id string }{{email, name}, {name, email}} {
			t.Run(typ+"/config "+spelling.config, func(t *testing.T) {
				f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("runner")})
				body, id := `member = "`+a+`"`, spelling.id+" "+role+" "+a
				if strings.HasSuffix(typ, "_members") {
					body = `members = ["` + a + `"]`
				}
				hcl := fmt.Sprintf(`
resource %q "m" {
  service_account = %q
  role            = %q
  %s
}
`, typ, spelling.config, role, body)
				addr := typ + ".m"
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProviders,
					Steps: []resource.TestStep{
						{
							PreConfig: func() {
								testAccOutOfBand(t, f, name, iampolicy.AddMembers(role, nil, a))
								f.ResetCalls()
							},
							Config: f.Config(hcl + fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", addr, id)),
							ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
							}},
							Check: resource.ComposeTestCheckFunc(
								resource.TestCheckResourceAttr(addr, "service_account", spelling.config),
								testAccCheckNoPolicyWrite(f),
								testAccCheckPolicy(f, name, role, []string{a}, nil)),
						},
						{
							Config: f.Config(hcl),
							ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
								plancheck.ExpectEmptyPlan(),
							}},
						},
					},
					CheckDestroy: testAccCheckPolicy(f, name, role, nil, []string{a}),
				})
			})
		}
	}
}
