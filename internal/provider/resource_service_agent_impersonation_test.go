package provider

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	iam "google.golang.org/api/iam/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

const (
	testAccImpAddr       = "gcpinvoke_service_agent_impersonation.scheduler"
	testAccSchedulerRole = "roles/cloudscheduler.serviceAgent"
	testAccTokenCreator  = "roles/iam.serviceAccountTokenCreator"
)

func testAccImpConfig(f *gcpinvoketesting.Fixture, serviceAccount, extra string) string {
	return f.Config(fmt.Sprintf(`
resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = %q
  agent           = "cloudscheduler"
  %s
}
`, serviceAccount, extra))
}

// testAccImpFixture is an emulator with an account created outside
// Terraform on which someone else holds a role.
func testAccImpFixture(t *testing.T, opts emulator.Options) (f *gcpinvoketesting.Fixture, name string) {
	f = testAccEmulator(t, opts)
	testAccCreateSA(t, f, "runner")
	name = testAccSAName("runner")
	testAccEditSAPolicy(t, f, name, func(p *iam.Policy) {
		p.Bindings = append(p.Bindings, &iam.Binding{Role: testAccForeignRole, Members: []string{testAccForeignMember}})
	})
	return f, name
}

func TestAccServiceAgentImpersonation_lifecycle(t *testing.T) {
	f, name := testAccImpFixture(t, emulator.Options{})
	email := testAccSAEmail("runner")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		// Destroy removes only this binding: the foreign member stays.
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			testAccCheckSAMembers(f, name, testAccSchedulerRole),
			testAccCheckSAMembers(f, name, testAccTokenCreator),
			testAccCheckSAMembers(f, name, testAccForeignRole, testAccForeignMember),
		),
		Steps: []resource.TestStep{
			{
				Config: testAccImpConfig(f, email, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(testAccImpAddr, tfjsonpath.New("project"), knownvalue.StringExact("demo-project")),
					plancheck.ExpectKnownValue(testAccImpAddr, tfjsonpath.New("role"), knownvalue.StringExact(testAccSchedulerRole)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccImpAddr, tfjsonpath.New("agent_email"), knownvalue.StringExact(testAccSchedulerAgent)),
					statecheck.ExpectKnownValue(testAccImpAddr, tfjsonpath.New("project_number"), knownvalue.StringExact("123456789012")),
					statecheck.ExpectKnownValue(testAccImpAddr, tfjsonpath.New("role"), knownvalue.StringExact(testAccSchedulerRole)),
					statecheck.ExpectKnownValue(testAccImpAddr, tfjsonpath.New("id"),
						knownvalue.StringExact(email+" cloudscheduler "+testAccSchedulerRole)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckSAMembers(f, name, testAccSchedulerRole, "serviceAccount:"+testAccSchedulerAgent),
					testAccCheckSAMembers(f, name, testAccForeignRole, testAccForeignMember),
					func(*terraform.State) error {
						// The number came from Resource Manager, not a guess.
						if n := f.Calls()["cloudresourcemanager.projects.get"]; n == 0 {
							return fmt.Errorf("cloudresourcemanager.projects.get was not called")
						}
						return nil
					},
				),
			},
			{
				ResourceName:      testAccImpAddr,
				ImportState:       true,
				ImportStateId:     email + " cloudscheduler",
				ImportStateVerify: true,
			},
			{
				// A role change is made in place, in one policy write.
				Config: testAccImpConfig(f, email, `role = "`+testAccTokenCreator+`"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccImpAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckSAMembers(f, name, testAccSchedulerRole),
					testAccCheckSAMembers(f, name, testAccTokenCreator, "serviceAccount:"+testAccSchedulerAgent),
					testAccCheckSAMembers(f, name, testAccForeignRole, testAccForeignMember),
				),
			},
			{
				ResourceName:      testAccImpAddr,
				ImportState:       true,
				ImportStateId:     email + " cloudscheduler " + testAccTokenCreator,
				ImportStateVerify: true,
			},
		},
	})
}

func TestAccServiceAgentImpersonation_bindingRemovedOutsideTerraform(t *testing.T) {
	f, name := testAccImpFixture(t, emulator.Options{})
	config := testAccImpConfig(f, name, "") // the account by resource name
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  testAccCheckSAMembers(f, name, testAccSchedulerRole, "serviceAccount:"+testAccSchedulerAgent),
			},
			{
				PreConfig: func() {
					testAccEditSAPolicy(t, f, name, func(p *iam.Policy) {
						var kept []*iam.Binding
						for _, b := range p.Bindings {
							if b.Role != testAccSchedulerRole {
								kept = append(kept, b)
							}
						}
						p.Bindings = kept
					})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccImpAddr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckSAMembers(f, name, testAccSchedulerRole, "serviceAccount:"+testAccSchedulerAgent),
					testAccCheckSAMembers(f, name, testAccForeignRole, testAccForeignMember),
				),
			},
			{
				// The account itself deleted: the binding went with it.
				PreConfig: func() {
					if _, err := testAccIAM(t, f).Projects.ServiceAccounts.Delete(name).Do(); err != nil {
						t.Fatalf("deleting %s: %v", name, err)
					}
				},
				RefreshState: true,
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources[testAccImpAddr]; ok {
						return fmt.Errorf("%s is still in state after its account was deleted", testAccImpAddr)
					}
					return nil
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestAccServiceAgentImpersonation_sameApplyAsAccount builds the whole
// chain for a new account in one apply while IAM still denies knowing the
// account for two seconds: both agents' bindings on it, and its invoker
// binding on the Cloud Run service, which names it as a member.
func TestAccServiceAgentImpersonation_sameApplyAsAccount(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{IAMPropagationDelay: 2 * time.Second})
	name := testAccSAName("fresh-invoker")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             testAccCheckSAGone(f, testAccSAEmail("fresh-invoker")),
		Steps: []resource.TestStep{{
			Config: f.Config(`
resource "gcpinvoke_service_account" "invoker" {
  account_id = "fresh-invoker"
}

resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.invoker.email
  agent           = "cloudscheduler"
}

resource "gcpinvoke_service_agent_impersonation" "tasks" {
  service_account = gcpinvoke_service_account.invoker.name
  agent           = "cloudtasks"
  role            = "roles/iam.serviceAccountTokenCreator"
}

resource "gcpinvoke_run_service_iam_member" "invoker" {
  location = "us-central1"
  service  = "hello"
  member   = gcpinvoke_service_account.invoker.member
}
`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				// The account's email is known at plan time, so is the project.
				plancheck.ExpectKnownValue(testAccImpAddr, tfjsonpath.New("project"), knownvalue.StringExact("demo-project")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("gcpinvoke_service_agent_impersonation.tasks", tfjsonpath.New("agent_email"),
					knownvalue.StringExact(testAccTasksAgent)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckSAMembers(f, name, testAccSchedulerRole, "serviceAccount:"+testAccSchedulerAgent),
				testAccCheckSAMembers(f, name, testAccTokenCreator, "serviceAccount:"+testAccTasksAgent),
				func(*terraform.State) error {
					svc := f.Snapshot().Policies["projects/demo-project/locations/us-central1/services/hello"]
					if svc == nil || !slices.ContainsFunc(svc.Bindings, func(b *emulator.Binding) bool {
						return b.Role == "roles/run.invoker" && slices.Contains(b.Members, "serviceAccount:"+testAccSAEmail("fresh-invoker"))
					}) {
						return fmt.Errorf("the new account has no invoker binding on the service: %+v", svc)
					}
					// IAM refused the new member at first: the retry is what converged.
					if n := f.Calls()["run.services.setIamPolicy"]; n < 2 {
						return fmt.Errorf("run.services.setIamPolicy called %d times; the propagation delay was never hit", n)
					}
					return nil
				},
			),
		}},
	})
}

func TestAccServiceAgentImpersonation_unknownProject(t *testing.T) {
	f, _ := testAccImpFixture(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      testAccImpConfig(f, testAccSAEmail("runner"), `project = "no-such-project"`),
			ExpectError: regexp.MustCompile(`(?s)Project not found.*"no-such-project".*Check .project.`),
		}},
	})
}

// TestAccServiceAgentImpersonation_invalidInputs are refused at plan time
// by a provider that has no credentials and reaches no API.
func TestAccServiceAgentImpersonation_invalidInputs(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"unknown agent", `
  service_account = "runner@demo-project.iam.gserviceaccount.com"
  agent           = "cloudbuild"`,
			`(?s)agent.*value must be one of:.*"cloudscheduler".*"cloudtasks".*"workflows".*got: "cloudbuild"`},
		{"malformed email", `
  service_account = "runner@demo-project"
  agent           = "cloudscheduler"`,
			`(?s)Invalid service account.*"runner@demo-project"`},
		{"account ID instead of email", `
  service_account = "runner"
  agent           = "cloudscheduler"`,
			`(?s)Invalid service account.*looks like an account ID`},
		{"role that cannot mint tokens", `
  service_account = "runner@demo-project.iam.gserviceaccount.com"
  agent           = "cloudscheduler"
  role            = "roles/iam.serviceAccountUser"`,
			`(?s)Role does not let the service agent mint tokens.*roles/cloudscheduler.serviceAgent.*roles/iam.serviceAccountTokenCreator`},
		{"another agent's role", `
  service_account = "runner@demo-project.iam.gserviceaccount.com"
  agent           = "workflows"
  role            = "roles/cloudscheduler.serviceAgent"`,
			`(?s)does not let the Workflows service\s+agent mint tokens.*roles/workflows.serviceAgent`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:      testAccNoCredentialsProvider + "resource \"gcpinvoke_service_agent_impersonation\" \"scheduler\" {" + tc.body + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

func TestAccServiceAgentImpersonation_planWithoutCredentials(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: testAccNoCredentialsProvider + `
resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = "runner@other-project.iam.gserviceaccount.com"
  agent           = "cloudscheduler"
}
`,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
				// The project comes from the account's email, not the provider.
				plancheck.ExpectKnownValue(testAccImpAddr, tfjsonpath.New("project"), knownvalue.StringExact("other-project")),
				plancheck.ExpectKnownValue(testAccImpAddr, tfjsonpath.New("role"), knownvalue.StringExact(testAccSchedulerRole)),
				plancheck.ExpectUnknownValue(testAccImpAddr, tfjsonpath.New("agent_email")),
			}},
		}},
	})
}

func TestServiceAgentImpersonationImportID(t *testing.T) {
	cases := []struct {
		id                       string
		sa, agent, role, project string
		wantErr                  string
	}{
		{id: "runner@p1.iam.gserviceaccount.com cloudtasks", sa: "runner@p1.iam.gserviceaccount.com", agent: "cloudtasks",
			role: "roles/cloudtasks.serviceAgent", project: "p1"},
		{id: "projects/p1/serviceAccounts/runner@p1.iam.gserviceaccount.com  Workflows  roles/iam.serviceAccountTokenCreator",
			sa: "projects/p1/serviceAccounts/runner@p1.iam.gserviceaccount.com", agent: "workflows",
			role: "roles/iam.serviceAccountTokenCreator", project: "p1"},
		{id: "123-compute@developer.gserviceaccount.com cloudscheduler", sa: "123-compute@developer.gserviceaccount.com",
			agent: "cloudscheduler", role: "roles/cloudscheduler.serviceAgent", project: "default-project"},
		{id: "runner@shared-ids.iam.gserviceaccount.com cloudscheduler roles/cloudscheduler.serviceAgent jobs-project",
			sa: "runner@shared-ids.iam.gserviceaccount.com", agent: "cloudscheduler", role: "roles/cloudscheduler.serviceAgent", project: "jobs-project"},
		{id: "123-compute@developer.gserviceaccount.com cloudtasks roles/cloudtasks.serviceAgent jobs-project",
			sa: "123-compute@developer.gserviceaccount.com", agent: "cloudtasks", role: "roles/cloudtasks.serviceAgent", project: "jobs-project"},
		{id: "runner@p1.iam.gserviceaccount.com cloudtasks roles/cloudtasks.serviceAgent Jobs", wantErr: "the fourth part names the agent's project"},
		{id: "runner@p1.iam.gserviceaccount.com a b c d", wantErr: "want 2, 3 or 4"},
		{id: "runner@p1.iam.gserviceaccount.com", wantErr: "want 2, 3 or 4"},
		{id: "runner@p1.iam.gserviceaccount.com cloudbuild", wantErr: `unknown service agent "cloudbuild"`},
		{id: "runner@p1.iam.gserviceaccount.com cloudtasks roles/viewer", wantErr: "does not let the Cloud Tasks service agent"},
		{id: "runner cloudtasks", wantErr: "looks like an account ID"},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			sa, agent, role, project, err := parseImpersonationImportID(tc.id, "default-project")
			if tc.wantErr != "" {
				if err == nil || !regexp.MustCompile(regexp.QuoteMeta(tc.wantErr)).MatchString(err.Error()) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sa != tc.sa || agent != tc.agent || role != tc.role || project != tc.project {
				t.Errorf("got (%q, %q, %q, %q), want (%q, %q, %q, %q)", sa, agent, role, project, tc.sa, tc.agent, tc.role, tc.project)
			}
		})
	}
}

// TestAccServiceAgentImpersonation_example plans the documentation example
// as written, without credentials.
func TestAccServiceAgentImpersonation_example(t *testing.T) {
	example, err := os.ReadFile("../../examples/resources/gcpinvoke_service_agent_impersonation/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:             testAccNoCredentialsProvider + string(example),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(testAccImpAddr, tfjsonpath.New("project"), knownvalue.StringExact("my-project")),
				plancheck.ExpectKnownValue("gcpinvoke_service_agent_impersonation.tasks", tfjsonpath.New("project"), knownvalue.StringExact("my-project")),
				plancheck.ExpectKnownValue("gcpinvoke_service_agent_impersonation.tasks", tfjsonpath.New("id"), knownvalue.StringExact(
					"projects/shared-identities/serviceAccounts/tasks-invoker@shared-identities.iam.gserviceaccount.com cloudtasks roles/iam.serviceAccountTokenCreator my-project")),
			}},
		}},
	})
}
