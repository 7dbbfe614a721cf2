package provider

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	scheduler "google.golang.org/api/cloudscheduler/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

const testAccJobSA = "invoker@demo-project.iam.gserviceaccount.com"

// Every attribute goes to the API and comes back: defaults, a full job with
// an OIDC token, an OAuth job to a Google API, and import.
func TestAccSchedulerJob_roundTrip(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	const res = "gcpinvoke_scheduler_job.j"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: f.Config(`
resource "gcpinvoke_scheduler_job" "j" {
  name     = "round-trip"
  schedule = "*/5 * * * *"
  http_target = {
    uri = "https://example.com/ping"
  }
}`),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "id", testAccJobName("round-trip")),
					resource.TestCheckResourceAttr(res, "project", "demo-project"),
					resource.TestCheckResourceAttr(res, "location", "us-central1"),
					resource.TestCheckResourceAttr(res, "time_zone", "Etc/UTC"),
					resource.TestCheckResourceAttr(res, "paused", "false"),
					resource.TestCheckResourceAttr(res, "state", "ENABLED"),
					resource.TestCheckResourceAttr(res, "attempt_deadline", "180s"),
					resource.TestCheckResourceAttr(res, "retry_config.retry_count", "0"),
					resource.TestCheckResourceAttr(res, "retry_config.max_retry_duration", "0s"),
					resource.TestCheckResourceAttr(res, "retry_config.min_backoff", "5s"),
					resource.TestCheckResourceAttr(res, "retry_config.max_backoff", "3600s"),
					resource.TestCheckResourceAttr(res, "retry_config.max_doublings", "5"),
					resource.TestCheckResourceAttr(res, "http_target.http_method", "POST"),
					resource.TestCheckNoResourceAttr(res, "http_target.oidc_token"),
					resource.TestCheckNoResourceAttr(res, "last_attempt_time"),
					resource.TestCheckNoResourceAttr(res, "last_attempt_status"),
				),
			},
			{
				Config: f.Config(`
resource "gcpinvoke_scheduler_job" "j" {
  name             = "round-trip"
  description      = "nightly report"
  schedule         = "0 9 * * MON-FRI"
  time_zone        = "Europe/Berlin"
  attempt_deadline = "3m"
  retry_config = {
    retry_count        = 3
    max_retry_duration = "1h"
    min_backoff        = "10s"
    max_backoff        = "300s"
    max_doublings      = 2
  }
  http_target = {
    uri         = "https://hello.example.com/tasks?x=1"
    http_method = "PUT"
    headers     = { "Content-Type" = "application/json", "X-Trace" = "t1" }
    body        = "{\"report\":\"daily\"}"
    oidc_token = {
      service_account_email = "` + testAccJobSA + `"
    }
  }
}`),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "description", "nightly report"),
					resource.TestCheckResourceAttr(res, "time_zone", "Europe/Berlin"),
					resource.TestCheckResourceAttr(res, "attempt_deadline", "3m"),
					resource.TestCheckResourceAttr(res, "retry_config.max_retry_duration", "1h"),
					resource.TestCheckResourceAttr(res, "http_target.body", `{"report":"daily"}`),
					resource.TestCheckResourceAttr(res, "http_target.headers.X-Trace", "t1"),
					resource.TestCheckResourceAttr(res, "http_target.oidc_token.audience", "https://hello.example.com"),
					testAccJobCheck(t, f, "round-trip", func(j *scheduler.Job) error {
						want := base64.StdEncoding.EncodeToString([]byte(`{"report":"daily"}`))
						switch {
						case j.HttpTarget.Body != want:
							return fmt.Errorf("body on the wire = %q, want base64 %q", j.HttpTarget.Body, want)
						case j.AttemptDeadline != "180s" || j.RetryConfig.MaxRetryDuration != "3600s":
							return fmt.Errorf("durations on the wire = %q, %q; want Google's form 180s, 3600s", j.AttemptDeadline, j.RetryConfig.MaxRetryDuration)
						case j.RetryConfig.RetryCount != 3 || j.RetryConfig.MaxDoublings != 2 || j.RetryConfig.MinBackoffDuration != "10s":
							return fmt.Errorf("retryConfig = %+v", j.RetryConfig)
						case j.HttpTarget.OidcToken.Audience != "https://hello.example.com":
							return fmt.Errorf("audience = %q, want the root URL", j.HttpTarget.OidcToken.Audience)
						}
						return nil
					}),
				),
			},
			{
				ResourceName:            res,
				ImportState:             true,
				ImportStateId:           "demo-project/us-central1/round-trip",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"attempt_deadline", "retry_config.max_retry_duration", "timeouts"},
			},
			{
				Config: f.Config(`
resource "gcpinvoke_scheduler_job" "j" {
  name     = "round-trip"
  schedule = "0 9 * * MON-FRI"
  http_target = {
    uri         = "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/us-central1-a/instances"
    http_method = "GET"
    oauth_token = {
      service_account_email = "` + testAccJobSA + `"
    }
  }
}`),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr(res, "description"),
					resource.TestCheckNoResourceAttr(res, "http_target.body"),
					resource.TestCheckNoResourceAttr(res, "http_target.headers"),
					resource.TestCheckNoResourceAttr(res, "http_target.oidc_token"),
					resource.TestCheckResourceAttr(res, "http_target.oauth_token.scope", "https://www.googleapis.com/auth/cloud-platform"),
					resource.TestCheckResourceAttr(res, "retry_config.retry_count", "0"),
					testAccJobCheck(t, f, "round-trip", func(j *scheduler.Job) error {
						if j.HttpTarget.OidcToken != nil || j.HttpTarget.OauthToken == nil || j.HttpTarget.Body != "" || j.Description != "" {
							return fmt.Errorf("job after switching to OAuth: %+v", j.HttpTarget)
						}
						return nil
					}),
				),
			},
			{
				ResourceName:            res,
				ImportState:             true,
				ImportStateId:           testAccJobName("round-trip"),
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// paused costs a pause/resume call only when it changes.
func TestAccSchedulerJob_paused(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	const res = "gcpinvoke_scheduler_job.p"
	config := func(desc string, paused bool) string {
		return f.Config(fmt.Sprintf(`
resource "gcpinvoke_scheduler_job" "p" {
  name        = "pausable"
  description = %q
  schedule    = "0 * * * *"
  paused      = %t
  http_target = { uri = "https://example.com/" }
}`, desc, paused))
	}
	calls := func(pause, resume, patch int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			c := f.Calls()
			if c["cloudscheduler.jobs.pause"] != pause || c["cloudscheduler.jobs.resume"] != resume || c["cloudscheduler.jobs.patch"] != patch {
				return fmt.Errorf("calls pause=%d resume=%d patch=%d, want %d %d %d", c["cloudscheduler.jobs.pause"],
					c["cloudscheduler.jobs.resume"], c["cloudscheduler.jobs.patch"], pause, resume, patch)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: f.ResetCalls,
				Config:    config("a", true),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "state", "PAUSED"),
					calls(1, 0, 0),
				),
			},
			{
				PreConfig: f.ResetCalls,
				Config:    config("b", true),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "state", "PAUSED"),
					resource.TestCheckResourceAttr(res, "description", "b"),
					calls(0, 0, 1),
				),
			},
			{
				PreConfig: f.ResetCalls,
				Config:    config("b", false),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "state", "ENABLED"),
					calls(0, 1, 0),
				),
			},
			{
				PreConfig: f.ResetCalls,
				Config:    config("c", false),
				Check:     calls(0, 0, 1),
			},
		},
	})
}

// An update sends only the fields that changed.
func TestAccSchedulerJob_updateMask(t *testing.T) {
	f, masks := testAccEmulatorRecordingMasks(t)
	config := func(schedule, uri string, retries int) string {
		return f.Config(fmt.Sprintf(`
resource "gcpinvoke_scheduler_job" "m" {
  name        = "masked"
  description = "keep"
  schedule    = %q
  retry_config = { retry_count = %d }
  http_target = {
    uri        = %q
    oidc_token = { service_account_email = "%s" }
  }
}`, schedule, retries, uri, testAccJobSA))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: config("0 1 * * *", "https://a.example.com/x", 1), Check: masks.expect()},
			{Config: config("0 2 * * *", "https://a.example.com/x", 1), Check: masks.expect("schedule")},
			// Same root URL: the defaulted audience does not change.
			{Config: config("0 2 * * *", "https://a.example.com/y", 2), Check: masks.expect("retryConfig.retryCount,httpTarget.uri")},
			{Config: config("0 2 * * *", "https://b.example.com/y", 2), Check: masks.expect("httpTarget.uri,httpTarget.oidcToken")},
		},
	})
}

// A change made outside Terraform shows in the plan and is undone; a job
// deleted outside Terraform is created again.
func TestAccSchedulerJob_drift(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	config := f.Config(`
resource "gcpinvoke_scheduler_job" "d" {
  name     = "drifting"
  schedule = "0 3 * * *"
  http_target = {
    uri     = "https://example.com/hook"
    body    = "hello"
    headers = { "X-Env" = "prod" }
  }
}`)
	svc := testAccScheduler(t, f)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					_, err := svc.Projects.Locations.Jobs.Patch(testAccJobName("drifting"), &scheduler.Job{
						Schedule:   "0 4 * * *",
						HttpTarget: &scheduler.HttpTarget{Body: base64.StdEncoding.EncodeToString([]byte("changed"))},
					}).UpdateMask("schedule,httpTarget.body").Do()
					if err != nil {
						t.Fatalf("out-of-band patch: %v", err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("gcpinvoke_scheduler_job.d", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("gcpinvoke_scheduler_job.d", tfjsonpath.New("schedule"), knownvalue.StringExact("0 3 * * *")),
				}},
				Check: testAccJobCheck(t, f, "drifting", func(j *scheduler.Job) error {
					if j.Schedule != "0 3 * * *" || j.HttpTarget.Body != base64.StdEncoding.EncodeToString([]byte("hello")) {
						return fmt.Errorf("drift not undone: schedule %q body %q", j.Schedule, j.HttpTarget.Body)
					}
					return nil
				}),
			},
			{
				PreConfig: func() {
					if _, err := svc.Projects.Locations.Jobs.Delete(testAccJobName("drifting")).Do(); err != nil {
						t.Fatalf("out-of-band delete: %v", err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("gcpinvoke_scheduler_job.d", plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// Every plan-time rule stops the plan with a message naming the fix.
func TestAccSchedulerJob_planRules(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	job := func(attrs, target string) string {
		return f.Config(`
resource "gcpinvoke_scheduler_job" "r" {
` + attrs + `
  http_target = {
` + target + `
  }
}`)
	}
	const defaults = `name = "rules"
  schedule = "0 * * * *"`
	const sa = `service_account_email = "` + testAccJobSA + `"`
	cases := []struct {
		name, attrs, target, want string
	}{
		{"both tokens", defaults, `uri = "https://compute.googleapis.com/x"
    oidc_token = { ` + sa + ` }
    oauth_token = { ` + sa + ` }`, `Two kinds of token configured[\s\S]*remove the other`},
		{"oauth to run.app", defaults, `uri = "https://hello-abc-uc.a.run.app/"
    oauth_token = { ` + sa + ` }`, `OAuth token for a non-Google target[\s\S]*never attaches OAuth[\s\S]*unauthenticated[\s\S]*oidc_token`},
		{"oauth to lookalike host", defaults, `uri = "https://googleapis.com.evil.io/"
    oauth_token = { ` + sa + ` }`, `OAuth token for a non-Google target`},
		{"body with GET", defaults, `uri = "https://example.com/"
    http_method = "GET"
    body = "x"`, `Body not allowed for this HTTP method[\s\S]*POST, PUT or PATCH`},
		{"content-length header", defaults, `uri = "https://example.com/"
    headers = { "Content-Length" = "3" }`, `Header not allowed[\s\S]*Content-Length`},
		{"user-agent header", defaults, `uri = "https://example.com/"
    headers = { "User-Agent" = "me" }`, `Header not allowed[\s\S]*Google-Cloud-Scheduler`},
		{"x-google header", defaults, `uri = "https://example.com/"
    headers = { "X-Google-Thing" = "1" }`, `Header not allowed[\s\S]*reserved for Google`},
		{"authorization with token", defaults, `uri = "https://example.com/"
    headers = { "Authorization" = "Bearer x" }
    oidc_token = { ` + sa + ` }`, `Header not allowed[\s\S]*oidc_token or oauth_token sets Authorization`},
		{"relative uri", defaults, `uri = "/ping"`, `Invalid URL[\s\S]*absolute`},
		{"bad cron", `name = "rules"
  schedule = "61 * * * *"`, `uri = "https://example.com/"`, `Invalid cron schedule`},
		{"attempt deadline too short", defaults + `
  attempt_deadline = "10s"`, `uri = "https://example.com/"`, `Invalid duration[\s\S]*15s`},
		{"bad time zone", defaults + `
  time_zone = "Mars/Olympus"`, `uri = "https://example.com/"`, `Invalid time zone`},
		{"bad name", `name = "nightly report"
  schedule = "0 * * * *"`, `uri = "https://example.com/"`, `letters \(\[A-Za-z\]\), digits, hyphens`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: job(c.attrs, c.target), PlanOnly: true, ExpectError: regexp.MustCompile(strings.ReplaceAll(c.want, " ", `\s+`))})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
}
