package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	executions "google.golang.org/api/workflowexecutions/v1"
	workflows "google.golang.org/api/workflows/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

const testAccWorkflowName = "projects/demo-project/locations/us-central1/workflows/call-hello"

// testAccExecuteWorkflow runs the workflow once and checks its state and
// result (or error payload).
func testAccExecuteWorkflow(t *testing.T, f *gcpinvoketesting.Fixture, wantState, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		svc, err := executions.NewService(context.Background(), testAccClientOptions(f)...)
		if err != nil {
			return err
		}
		x, err := svc.Projects.Locations.Workflows.Executions.Create(testAccWorkflowName, &executions.Execution{}).Do()
		if err != nil {
			return fmt.Errorf("create execution: %v", err)
		}
		got := x.Result
		if x.Error != nil {
			got = x.Error.Payload
		}
		if x.State != wantState || !strings.Contains(got, want) {
			return fmt.Errorf("execution = %s %s, want %s containing %s", x.State, got, wantState, want)
		}
		return nil
	}
}

func testAccWorkflows(t *testing.T, f *gcpinvoketesting.Fixture) *workflows.Service {
	t.Helper()
	svc, err := workflows.NewService(context.Background(), testAccClientOptions(f)...)
	if err != nil {
		t.Fatalf("workflows client: %v", err)
	}
	return svc
}

// A workflow applied by Terraform calls the private service as its own
// service account and gets 200; import and drift work.
func TestAccWorkflow_endToEnd(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: &emulator.Seed{
		Projects:    []emulator.SeedProject{{ProjectID: "demo-project", ProjectNumber: "123456789012", WithoutServiceAgentGrants: true}},
		RunServices: []emulator.SeedRunService{{Project: "demo-project", Location: "us-central1", Name: "hello"}},
	}})
	const email = "wf-runner@demo-project.iam.gserviceaccount.com"
	config := func(binding, greeting string) string {
		return f.Config(`
data "gcpinvoke_run_service" "hello" {
  name = "hello"
}

resource "gcpinvoke_service_account" "runner" {
  account_id = "wf-runner"
}
` + binding + `
resource "gcpinvoke_workflow" "w" {
  name            = "call-hello"
  description     = "calls hello"
  service_account = gcpinvoke_service_account.runner.email
  source          = <<-EOT
    main:
      steps:
        - callHello:
            call: http.get
            args:
              url: ${data.gcpinvoke_run_service.hello.uri}/greet
              query:
                greeting: ` + greeting + `
              auth:
                type: OIDC
                audience: ${data.gcpinvoke_run_service.hello.uri}
            result: resp
        - done:
            return: $${resp.body.caller + " " + resp.body.query}
  EOT
}
`)
	}
	binding := `
resource "gcpinvoke_run_service_iam_member" "invoker" {
  service = data.gcpinvoke_run_service.hello.name
  member  = gcpinvoke_service_account.runner.member
}
`
	var firstRevision string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// Without the invoker binding the service refuses the account.
				Config: config("", "hi"),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("gcpinvoke_workflow.w", "id", testAccWorkflowName),
					resource.TestCheckResourceAttr("gcpinvoke_workflow.w", "service_account", email),
					resource.TestMatchResourceAttr("gcpinvoke_workflow.w", "revision_id", regexp.MustCompile(`^000001-`)),
					testAccExecuteWorkflow(t, f, "FAILED", `"code":403`),
				),
			},
			{
				Config: config(binding, "hi"),
				Check: resource.ComposeTestCheckFunc(
					testAccExecuteWorkflow(t, f, "SUCCEEDED", `"`+email+` greeting=hi"`),
					func(s *terraform.State) error {
						firstRevision = s.RootModule().Resources["gcpinvoke_workflow.w"].Primary.Attributes["revision_id"]
						return nil
					},
				),
			},
			{
				ResourceName:            "gcpinvoke_workflow.w",
				ImportState:             true,
				ImportStateId:           "demo-project/us-central1/call-hello",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				// The source changed outside Terraform: the plan shows it.
				PreConfig: func() {
					svc := testAccWorkflows(t, f)
					op, err := svc.Projects.Locations.Workflows.Patch(testAccWorkflowName, &workflows.Workflow{SourceContents: "- x:\n    return: 1\n"}).
						UpdateMask("sourceContents").Do()
					if err != nil || !op.Done {
						t.Fatalf("out-of-band patch: %v %+v", err, op)
					}
				},
				Config:             config(binding, "hi"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// Applying restores the source as a new revision.
				Config: config(binding, "hello"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("gcpinvoke_workflow.w", plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue("gcpinvoke_workflow.w", tfjsonpath.New("revision_id")),
				}},
				Check: resource.ComposeTestCheckFunc(
					testAccExecuteWorkflow(t, f, "SUCCEEDED", "greeting=hello"),
					func(s *terraform.State) error {
						rev := s.RootModule().Resources["gcpinvoke_workflow.w"].Primary.Attributes["revision_id"]
						if rev == firstRevision || !strings.HasPrefix(rev, "000003-") {
							return fmt.Errorf("revision_id = %s after two source changes (first %s), want 000003-…", rev, firstRevision)
						}
						return nil
					},
				),
			},
			{
				// A description change keeps the revision.
				Config: strings.Replace(config(binding, "hello"), `"calls hello"`, `"says hello"`, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue("gcpinvoke_workflow.w", tfjsonpath.New("revision_id"), knownvalue.StringRegexp(regexp.MustCompile(`^000003-`))),
				}},
			},
		},
	})
}

// Each plan-time rule of the source, as `terraform plan` reports errors.
func TestAccWorkflow_planRules(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	cases := []struct {
		name, source string
		err          *regexp.Regexp
	}{
		{"missing auth", `- c:
    call: http.get
    args:
      url: https://hello-abc-uc.a.run.app/greet`, regexp.MustCompile(`(?s)private service without auth.*audience: https://hello-abc-uc.a.run.app`)},
		{"oauth2 to run.app", `- c:
    call: http.post
    args:
      url: https://hello-abc-uc.a.run.app
      auth:
        type: OAuth2`, regexp.MustCompile(`OAuth2 token to a host that is not a Google API`)},
		{"unparsable", "main: [", regexp.MustCompile(`Workflow source does not parse`)},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      f.Config("resource \"gcpinvoke_workflow\" \"w\" {\n  name   = \"w\"\n  source = <<-EOT\n" + c.source + "\n  EOT\n}\n"),
			PlanOnly:    true,
			ExpectError: c.err,
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
}

// The diagnostics of every rule, warnings included, with their severity.
func TestWorkflowSourceDiagnostics(t *testing.T) {
	call := func(args string) string { return "- c:\n    call: http.get\n    args:\n" + args }
	cases := []struct {
		name     string
		src      string
		errors   []string
		warnings []string
	}{
		{name: "oidc root audience", src: call("      url: https://hello-abc-uc.a.run.app/x\n      auth: {type: OIDC, audience: https://hello-abc-uc.a.run.app}\n")},
		{name: "missing auth", src: call("      url: https://us-central1-p.cloudfunctions.net/fn\n"), errors: []string{"type: OIDC"}},
		{name: "audience with path", src: call("      url: https://hello-abc-uc.a.run.app/x\n      auth: {type: OIDC, audience: https://hello-abc-uc.a.run.app/x}\n"),
			warnings: []string{"audience: https://hello-abc-uc.a.run.app`"}},
		{name: "oauth2 to run", src: call("      url: https://hello-abc-uc.a.run.app\n      auth: {type: OAuth2}\n"), errors: []string{"Google attaches OAuth2"}},
		{name: "oauth2 to google", src: call("      url: https://run.googleapis.com/v2/x\n      auth: {type: OAuth2}\n")},
		{name: "public url", src: call("      url: https://example.com\n")},
		{name: "does not parse", src: "- c: [", errors: []string{"not valid YAML or JSON"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var errs, warns []string
			for _, d := range workflowSourceDiagnostics(c.src) {
				if d.Severity().String() == "Error" {
					errs = append(errs, d.Detail())
				} else {
					warns = append(warns, d.Detail())
				}
			}
			for kind, pair := range map[string][2][]string{"errors": {errs, c.errors}, "warnings": {warns, c.warnings}} {
				got, want := pair[0], pair[1]
				if len(got) != len(want) {
					t.Fatalf("%s = %q, want %d containing %q", kind, got, len(want), want)
				}
				for i := range want {
					if !strings.Contains(got[i], want[i]) {
						t.Errorf("%s[%d] = %q, want it to contain %q", kind, i, got[i], want[i])
					}
				}
			}
		})
	}
}

func TestSameWorkflowSA(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"a@p.iam.gserviceaccount.com", "projects/p/serviceAccounts/a@p.iam.gserviceaccount.com", true},
		{"A@p.iam.gserviceaccount.com", "a@p.iam.gserviceaccount.com", true},
		{"a@p.iam.gserviceaccount.com", "b@p.iam.gserviceaccount.com", false},
	} {
		if got := sameWorkflowSA(c.a, c.b); got != c.want {
			t.Errorf("sameWorkflowSA(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
