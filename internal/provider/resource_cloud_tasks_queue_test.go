package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	cloudtasks "google.golang.org/api/cloudtasks/v2"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

const testAccQueueName = "projects/demo-project/locations/us-central1/queues/orders"

// testAccTasks is a Cloud Tasks client on the emulator.
func testAccTasks(t *testing.T, f *gcpinvoketesting.Fixture) *cloudtasks.Service {
	t.Helper()
	svc, err := cloudtasks.NewService(context.Background(), testAccClientOptions(f)...)
	if err != nil {
		t.Fatalf("cloudtasks client: %v", err)
	}
	return svc
}

// testAccExpectTaskDelivered creates a task in the queue and checks what
// the target answered and, for a 200, who called and on which path.
func testAccExpectTaskDelivered(t *testing.T, f *gcpinvoketesting.Fixture, status int, caller, path string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		before := len(f.Attempts())
		_, err := testAccTasks(t, f).Projects.Locations.Queues.Tasks.Create(testAccQueueName, &cloudtasks.CreateTaskRequest{
			Task: &cloudtasks.Task{HttpRequest: &cloudtasks.HttpRequest{Url: "https://placeholder.example.com/replaced", Body: "e30="}},
		}).Do()
		if err != nil {
			return fmt.Errorf("create task: %v", err)
		}
		as := f.Attempts()
		if len(as) != before+1 {
			return fmt.Errorf("creating a task recorded %d attempts, want 1", len(as)-before)
		}
		a := as[len(as)-1]
		if a.Caller != "cloudtasks" || a.StatusCode != status {
			return fmt.Errorf("task attempt = %s %d (%s), want cloudtasks %d", a.Caller, a.StatusCode, a.Error, status)
		}
		if status != 200 {
			return nil
		}
		var echo struct {
			Caller  string            `json:"caller"`
			Path    string            `json:"path"`
			Headers map[string]string `json:"headers"`
		}
		if err := json.Unmarshal([]byte(a.Response), &echo); err != nil {
			return fmt.Errorf("response %q: %v", a.Response, err)
		}
		if !strings.EqualFold(echo.Caller, caller) || echo.Path != path || echo.Headers["X-Team"] != "blue" {
			return fmt.Errorf("service saw caller %q path %q headers %v; want %q %q with X-Team", echo.Caller, echo.Path, echo.Headers, caller, path)
		}
		return nil
	}
}

// A queue applied by Terraform, with the whole chain (account, Cloud Tasks
// agent impersonation, invoker binding), delivers tasks to the private
// service as the account; import and drift work.
func TestAccCloudTasksQueue_endToEnd(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: &emulator.Seed{
		Projects:    []emulator.SeedProject{{ProjectID: "demo-project", ProjectNumber: "123456789012", WithoutServiceAgentGrants: true}},
		RunServices: []emulator.SeedRunService{{Project: "demo-project", Location: "us-central1", Name: "hello"}},
	}})
	uri := testAccRunServiceURI(t, f)
	const email = "tasks-invoker@demo-project.iam.gserviceaccount.com"
	config := func(rate string) string {
		return f.Config(`
data "gcpinvoke_run_service" "hello" {
  name = "hello"
}

resource "gcpinvoke_service_account" "invoker" {
  account_id = "tasks-invoker"
}

resource "gcpinvoke_service_agent_impersonation" "tasks" {
  service_account = gcpinvoke_service_account.invoker.email
  agent           = "cloudtasks"
}

resource "gcpinvoke_run_service_iam_member" "invoker" {
  service = data.gcpinvoke_run_service.hello.name
  member  = gcpinvoke_service_account.invoker.member
}

resource "gcpinvoke_cloud_tasks_queue" "q" {
  name = "orders"
  rate_limits = {
    max_dispatches_per_second = ` + rate + `
  }
  retry_config = {
    max_attempts = 3
    min_backoff  = "1s"
  }
  http_target = {
    uri        = "${data.gcpinvoke_run_service.hello.uri}/tasks"
    headers    = { "X-Team" = "blue" }
    oidc_token = { service_account_email = gcpinvoke_service_account.invoker.email }
  }
  depends_on = [gcpinvoke_service_agent_impersonation.tasks, gcpinvoke_run_service_iam_member.invoker]
}
`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: config("5"),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("gcpinvoke_cloud_tasks_queue.q", "id", testAccQueueName),
					resource.TestCheckResourceAttr("gcpinvoke_cloud_tasks_queue.q", "state", "RUNNING"),
					resource.TestCheckResourceAttr("gcpinvoke_cloud_tasks_queue.q", "http_target.oidc_token.audience", uri),
					resource.TestCheckResourceAttr("gcpinvoke_cloud_tasks_queue.q", "retry_config.max_backoff", "3600s"),
					resource.TestCheckResourceAttr("gcpinvoke_cloud_tasks_queue.q", "rate_limits.max_concurrent_dispatches", "1000"),
					testAccExpectTaskDelivered(t, f, 200, email, "/tasks"),
				),
			},
			{
				ResourceName:            "gcpinvoke_cloud_tasks_queue.q",
				ImportState:             true,
				ImportStateId:           "us-central1/orders",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				// Changed outside Terraform: the plan shows it.
				PreConfig: func() {
					_, err := testAccTasks(t, f).Projects.Locations.Queues.Patch(testAccQueueName, &cloudtasks.Queue{
						RateLimits: &cloudtasks.RateLimits{MaxDispatchesPerSecond: 9},
					}).UpdateMask("rateLimits.maxDispatchesPerSecond").Do()
					if err != nil {
						t.Fatalf("out-of-band patch: %v", err)
					}
				},
				Config:             config("5"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config("5"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("gcpinvoke_cloud_tasks_queue.q", plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					q, err := testAccTasks(t, f).Projects.Locations.Queues.Get(testAccQueueName).Do()
					if err != nil {
						return err
					}
					if q.RateLimits.MaxDispatchesPerSecond != 5 || q.RetryConfig.MaxAttempts != 3 {
						return fmt.Errorf("queue after apply = %+v %+v; want rate 5, 3 attempts", q.RateLimits, q.RetryConfig)
					}
					return nil
				},
			},
			{
				Config:           config("5"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// A queue without the invoker binding is created, but its tasks get 403.
func TestAccCloudTasksQueue_withoutInvokerTasksAreRefused(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{Seed: testAccSeedWithAccounts("tasks-invoker")})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: f.Config(`
data "gcpinvoke_run_service" "hello" {
  name = "hello"
}

resource "gcpinvoke_cloud_tasks_queue" "q" {
  name = "orders"
  http_target = {
    uri        = data.gcpinvoke_run_service.hello.uri
    headers    = { "X-Team" = "blue" }
    oidc_token = { service_account_email = "tasks-invoker@demo-project.iam.gserviceaccount.com" }
  }
}
`),
			Check: testAccExpectTaskDelivered(t, f, 403, "", ""),
		}},
	})
}

// The plan-time rules, as `terraform plan` reports them.
func TestAccCloudTasksQueue_planRules(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	cases := []struct {
		name, target string
		err          *regexp.Regexp
	}{
		{"oauth to run.app", `uri = "https://hello-abc-uc.a.run.app/x"
    oauth_token = { service_account_email = "a-b@demo-project.iam.gserviceaccount.com" }`, regexp.MustCompile(`Cloud Tasks never attaches OAuth`)},
		{"both tokens", `uri = "https://compute.googleapis.com/x"
    oauth_token = { service_account_email = "a-b@demo-project.iam.gserviceaccount.com" }
    oidc_token = { service_account_email = "a-b@demo-project.iam.gserviceaccount.com" }`, regexp.MustCompile(`(?s)oidc_token.*oauth_token|Invalid Attribute Combination`)},
		{"reserved header", `uri = "https://hello-abc-uc.a.run.app"
    headers = { "X-CloudTasks-QueueName" = "x" }`, regexp.MustCompile(`X-CloudTasks-\* headers`)},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      f.Config("resource \"gcpinvoke_cloud_tasks_queue\" \"q\" {\n  name = \"q\"\n  http_target = {\n    " + c.target + "\n  }\n}\n"),
			PlanOnly:    true,
			ExpectError: c.err,
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
}

// Every rule of queueHTTPTarget.check, including the warnings a plan shows.
func TestCheckQueueTarget(t *testing.T) {
	const run = "https://hello-abc-uc.a.run.app"
	cases := []struct {
		name     string
		in       httpTargetConfig
		errors   []string
		warnings []string
	}{
		{name: "oidc to run, default audience", in: httpTargetConfig{URI: run + "/x", URIKnown: true, OIDC: true}},
		{name: "oidc root audience", in: httpTargetConfig{URI: run + "/x", URIKnown: true, OIDC: true, Audience: run, AudienceKnown: true}},
		{name: "oidc audience with path", in: httpTargetConfig{URI: run + "/x", URIKnown: true, OIDC: true, Audience: run + "/x", AudienceKnown: true},
			warnings: []string{"carries a path or query"}},
		{name: "no uri, audience with path", in: httpTargetConfig{OIDC: true, Audience: run + "/x", AudienceKnown: true},
			warnings: []string{`use "https://hello-abc-uc.a.run.app"`}},
		{name: "oauth to run", in: httpTargetConfig{URI: run, URIKnown: true, OAuth: true}, errors: []string{"never attaches OAuth"}},
		{name: "oauth to google api", in: httpTargetConfig{URI: "https://pubsub.googleapis.com/v1/x", URIKnown: true, OAuth: true}},
		{name: "oauth without uri", in: httpTargetConfig{OAuth: true}},
		{name: "oidc to google api", in: httpTargetConfig{URI: "https://pubsub.googleapis.com/v1/x", URIKnown: true, OIDC: true},
			warnings: []string{"Use oauth_token"}},
		{name: "headers", in: httpTargetConfig{URI: run, URIKnown: true, OIDC: true,
			Headers: []string{"Authorization", "Content-Type", "Host", "User-Agent", "X-CloudTasks-TaskName", "X-Google-Foo"}},
			errors: []string{`"Authorization"`, `"Host"`, `"User-Agent"`, `"X-CloudTasks-TaskName"`, `"X-Google-Foo"`}},
		{name: "authorization without token", in: httpTargetConfig{URI: run, URIKnown: true, Headers: []string{"Authorization"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			diags := queueHTTPTarget.check(c.in)
			var errs, warns []string
			for _, d := range diags {
				if d.Severity().String() == "Error" {
					errs = append(errs, d.Detail())
				} else {
					warns = append(warns, d.Detail())
				}
			}
			match := func(kind string, got, want []string) {
				if len(got) != len(want) {
					t.Fatalf("%s = %q, want %d containing %q", kind, got, len(want), want)
				}
				for i := range want {
					if !strings.Contains(got[i], want[i]) {
						t.Errorf("%s[%d] = %q, want it to contain %q", kind, i, got[i], want[i])
					}
				}
			}
			match("errors", errs, c.errors)
			match("warnings", warns, c.warnings)
		})
	}
}

func TestQueueURIOverrideRoundTrip(t *testing.T) {
	for _, u := range []string{
		"https://hello-abc-uc.a.run.app",
		"https://hello-abc-uc.a.run.app/",
		"http://hello-x-uc.a.run.localhost:8787/tasks/run?x=1&y=two",
		"https://api.example.com:8443/a%2Fb",
	} {
		o, err := queueURIOverride(u)
		if err != nil {
			t.Fatalf("queueURIOverride(%q): %v", u, err)
		}
		if got := queueURIFromOverride(o); got != u {
			t.Errorf("round trip of %q = %q", u, got)
		}
	}
	if _, err := queueURIOverride("ftp://x/y"); err == nil {
		t.Error("ftp URL accepted")
	}
}
