package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	cloudscheduler "google.golang.org/api/cloudscheduler/v1"
	"google.golang.org/api/option"
)

// schedStart is the clock's start: 10:00:30 UTC on a Tuesday, after the
// 2026 US switch to daylight saving time (New York is UTC-4).
var schedStart = time.Date(2026, 3, 10, 10, 0, 30, 0, time.UTC)

// schedEnv is an emulator served on a test server with a Cloud Scheduler
// client pointed at it.
type schedEnv struct {
	e     *Emulator
	url   string
	clock *manualClock
	opts  []option.ClientOption
	jobs  *cloudscheduler.ProjectsLocationsJobsService
	ctx   context.Context
}

// schedTestSeed: demo-project (service agents granted, as when the API is
// enabled) with account "invoker" and "stranger", service "hello", a
// service with a custom audience, an internal-only service and gen1
// function "legacy-fn"; other-project without the agents' grants, with
// account "runner".
func schedTestSeed() *Seed {
	return &Seed{
		Projects: []SeedProject{
			{ProjectID: "demo-project", ProjectNumber: "123456789012"},
			{ProjectID: "other-project", ProjectNumber: "210987654321", WithoutServiceAgentGrants: true},
		},
		ServiceAccounts: []SeedServiceAccount{
			{Project: "demo-project", AccountID: "invoker"},
			{Project: "demo-project", AccountID: "stranger"},
			{Project: "other-project", AccountID: "runner"},
		},
		RunServices: []SeedRunService{
			{Project: "demo-project", Location: "us-central1", Name: "hello"},
			{Project: "demo-project", Location: "us-central1", Name: "aud", CustomAudiences: []string{"https://api.example.com"}},
			{Project: "demo-project", Location: "us-central1", Name: "internal", Ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY"},
			{Project: "demo-project", Location: "us-central1", Name: "open", InvokerIAMDisabled: true},
			{Project: "other-project", Location: "us-central1", Name: "private"},
		},
		Functions: []SeedFunction{
			{Project: "demo-project", Location: "us-central1", Name: "legacy-fn", Generation: "GEN_1"},
		},
	}
}

const (
	schedInvoker  = "invoker@demo-project.iam.gserviceaccount.com"
	schedStranger = "stranger@demo-project.iam.gserviceaccount.com"
	schedRunner   = "runner@other-project.iam.gserviceaccount.com"
	schedParentID = "projects/demo-project/locations/us-central1"
	schedHelloSvc = "projects/demo-project/locations/us-central1/services/hello"
)

// newSchedTestEmulator starts an emulator with schedTestSeed and the
// injectable clock at schedStart.
func newSchedTestEmulator(t *testing.T, opts Options) *schedEnv {
	t.Helper()
	clock := &manualClock{now: schedStart}
	if opts.Seed == nil {
		opts.Seed = schedTestSeed()
	}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	te := startEmulator(t, opts)
	ctx := testContext(t)
	copts := te.clientOptions()
	svc, err := cloudscheduler.NewService(ctx, copts...)
	if err != nil {
		t.Fatalf("cloudscheduler.NewService: %v", err)
	}
	return &schedEnv{e: te.Emulator, url: te.URL(), clock: clock, opts: copts, jobs: svc.Projects.Locations.Jobs, ctx: ctx}
}

// create creates a job and fails the test on error.
func (env *schedEnv) create(t *testing.T, job *cloudscheduler.Job) *cloudscheduler.Job {
	t.Helper()
	got, err := env.jobs.Create(schedParentID, job).Context(env.ctx).Do()
	if err != nil {
		t.Fatalf("create %s: %v", job.Name, err)
	}
	return got
}

// schedJob is a valid job posting to uri every minute.
func schedJob(id, uri string) *cloudscheduler.Job {
	return &cloudscheduler.Job{
		Name:       schedParentID + "/jobs/" + id,
		Schedule:   "* * * * *",
		HttpTarget: &cloudscheduler.HttpTarget{Uri: uri},
	}
}

func TestSchedCRUDAndDefaults(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	created := env.create(t, schedJob("nightly", "https://example.com/run"))

	want := map[string]string{
		"name":            schedParentID + "/jobs/nightly",
		"state":           "ENABLED",
		"timeZone":        "Etc/UTC",
		"attemptDeadline": "180s",
		"httpMethod":      "POST",
		"scheduleTime":    "2026-03-10T10:01:00Z",
		"userUpdateTime":  "2026-03-10T10:00:30Z",
	}
	got := map[string]string{
		"name": created.Name, "state": created.State, "timeZone": created.TimeZone,
		"attemptDeadline": created.AttemptDeadline, "httpMethod": created.HttpTarget.HttpMethod,
		"scheduleTime": created.ScheduleTime, "userUpdateTime": created.UserUpdateTime,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	// Sent without retryConfig, the job reads back without one (what the
	// Google provider, whose retry_config block is not computed, expects).
	if created.RetryConfig != nil {
		t.Errorf("retryConfig = %+v, want none for a job created without one", created.RetryConfig)
	}
	// A partial retryConfig gets Google's defaults for the rest.
	partial := schedJob("partial", "https://example.com/run")
	partial.RetryConfig = &cloudscheduler.RetryConfig{RetryCount: 1}
	withRetry := env.create(t, partial)
	if rc := withRetry.RetryConfig; rc == nil || rc.RetryCount != 1 || rc.MinBackoffDuration != "5s" || rc.MaxBackoffDuration != "3600s" ||
		rc.MaxRetryDuration != "0s" || rc.MaxDoublings != 5 {
		t.Errorf("retryConfig = %+v, want retryCount 1 and the defaults 5s, 3600s, 0s, 5", rc)
	}
	if created.LastAttemptTime != "" || created.Status != nil {
		t.Errorf("a new job shows lastAttemptTime %q, status %+v; want none", created.LastAttemptTime, created.Status)
	}

	fetched, err := env.jobs.Get(created.Name).Context(env.ctx).Do()
	if err != nil || fetched.ScheduleTime != created.ScheduleTime || fetched.HttpTarget.Uri != "https://example.com/run" {
		t.Fatalf("get = %+v, %v; want the created job", fetched, err)
	}

	// The project number addresses the same job.
	if _, err := env.jobs.Get("projects/123456789012/locations/us-central1/jobs/nightly").Context(env.ctx).Do(); err != nil {
		t.Fatalf("get by project number: %v", err)
	}

	_, err = env.jobs.Create(schedParentID, schedJob("nightly", "https://example.com/other")).Context(env.ctx).Do()
	wantAPIError(t, err, 409, "already exists")

	_, err = env.jobs.Create("projects/no-such-project/locations/us-central1", schedJob("x", "https://example.com")).Context(env.ctx).Do()
	wantAPIError(t, err, 403, "projects/no-such-project")

	if _, err := env.jobs.Delete(created.Name).Context(env.ctx).Do(); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = env.jobs.Get(created.Name).Context(env.ctx).Do()
	wantAPIError(t, err, 404, "Job not found")
	_, err = env.jobs.Delete(created.Name).Context(env.ctx).Do()
	wantAPIError(t, err, 404, "Job not found")
}

func TestSchedListPaginates(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	for _, id := range []string{"c", "a", "b"} {
		env.create(t, schedJob(id, "https://example.com/"+id))
	}
	// A job elsewhere is not listed.
	if _, err := env.jobs.Create("projects/demo-project/locations/europe-west1", &cloudscheduler.Job{
		Name: "projects/demo-project/locations/europe-west1/jobs/far", Schedule: "0 * * * *",
		HttpTarget: &cloudscheduler.HttpTarget{Uri: "https://example.com"},
	}).Context(env.ctx).Do(); err != nil {
		t.Fatalf("create in europe-west1: %v", err)
	}
	var names []string
	pages := 0
	err := env.jobs.List(schedParentID).PageSize(2).Pages(env.ctx, func(r *cloudscheduler.ListJobsResponse) error {
		pages++
		for _, j := range r.Jobs {
			names = append(names, j.Name[strings.LastIndex(j.Name, "/")+1:])
		}
		return nil
	})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if strings.Join(names, ",") != "a,b,c" || pages != 2 {
		t.Fatalf("list = %v in %d pages, want a,b,c in 2 pages", names, pages)
	}
}

func TestSchedCreateValidation(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	oidc := &cloudscheduler.OidcToken{ServiceAccountEmail: schedInvoker}
	oauth := &cloudscheduler.OAuthToken{ServiceAccountEmail: schedInvoker}
	tests := []struct {
		name   string
		parent string
		edit   func(j *cloudscheduler.Job)
		msg    string
	}{
		{"job id charset", "", func(j *cloudscheduler.Job) { j.Name = schedParentID + "/jobs/bad.id" }, `Invalid job id "bad.id"`},
		{"job id too long", "", func(j *cloudscheduler.Job) { j.Name = schedParentID + "/jobs/" + strings.Repeat("a", 501) }, "at most 500 characters"},
		{"name malformed", "", func(j *cloudscheduler.Job) { j.Name = "jobs/x" }, "Job name must be formatted"},
		{"name under another parent", "", func(j *cloudscheduler.Job) { j.Name = "projects/demo-project/locations/europe-west1/jobs/x" }, "is not under the parent"},
		{"location not a region", "projects/demo-project/locations/moon", func(j *cloudscheduler.Job) { j.Name = "projects/demo-project/locations/moon/jobs/x" }, `Location "moon"`},
		{"both token kinds", "", func(j *cloudscheduler.Job) { j.HttpTarget.OidcToken, j.HttpTarget.OauthToken = oidc, oauth }, "Oneof field 'authorization_header' is already set"},
		{"body with GET", "", func(j *cloudscheduler.Job) { j.HttpTarget.HttpMethod, j.HttpTarget.Body = "GET", "aGk=" }, "only allowed for HTTP methods POST, PUT and PATCH"},
		{"body not base64", "", func(j *cloudscheduler.Job) { j.HttpTarget.Body = "not base64!" }, "Base64 decoding failed"},
		{"unknown http method", "", func(j *cloudscheduler.Job) { j.HttpTarget.HttpMethod = "FETCH" }, "job.http_target.http_method"},
		{"six-field schedule", "", func(j *cloudscheduler.Job) { j.Schedule = "0 * * * * *" }, "Schedule or time zone is invalid: schedule \"0 * * * * *\" has 6 fields"},
		{"hour out of range", "", func(j *cloudscheduler.Job) { j.Schedule = "0 25 * * *" }, "field 2 (hour)"},
		{"missing schedule", "", func(j *cloudscheduler.Job) { j.Schedule = "" }, "Schedule is required"},
		{"unknown time zone", "", func(j *cloudscheduler.Job) { j.TimeZone = "Europe/Berln" }, `did you mean "Europe/Berlin"`},
		{"deadline too short", "", func(j *cloudscheduler.Job) { j.AttemptDeadline = "10s" }, "between 15s and 1800s"},
		{"deadline too long", "", func(j *cloudscheduler.Job) { j.AttemptDeadline = "1801s" }, "between 15s and 1800s"},
		{"deadline not a duration", "", func(j *cloudscheduler.Job) { j.AttemptDeadline = "3m" }, "google.protobuf.Duration"},
		{"retry count above 5", "", func(j *cloudscheduler.Job) { j.RetryConfig = &cloudscheduler.RetryConfig{RetryCount: 6} }, "between 0 and 5"},
		{"min backoff above max", "", func(j *cloudscheduler.Job) {
			j.RetryConfig = &cloudscheduler.RetryConfig{MinBackoffDuration: "60s", MaxBackoffDuration: "10s"}
		}, "must not be greater than"},
		{"no target", "", func(j *cloudscheduler.Job) { j.HttpTarget = nil }, "Job must have a target"},
		{"relative uri", "", func(j *cloudscheduler.Job) { j.HttpTarget.Uri = "/run" }, "Invalid HttpTarget.uri"},
		{"ftp uri", "", func(j *cloudscheduler.Job) { j.HttpTarget.Uri = "ftp://example.com/x" }, "Invalid HttpTarget.uri"},
		{"forbidden header", "", func(j *cloudscheduler.Job) { j.HttpTarget.Headers = map[string]string{"X-Google-Foo": "1"} }, `Header "X-Google-Foo" cannot be set`},
		{"token without account", "", func(j *cloudscheduler.Job) { j.HttpTarget.OidcToken = &cloudscheduler.OidcToken{Audience: "https://x"} }, "oidcToken.serviceAccountEmail"},
		{"description too long", "", func(j *cloudscheduler.Job) { j.Description = strings.Repeat("d", 501) }, "more than 500 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := schedJob("valid-id", "https://example.com/run")
			tt.edit(job)
			parent := tt.parent
			if parent == "" {
				parent = schedParentID
			}
			_, err := env.jobs.Create(parent, job).Context(env.ctx).Do()
			wantAPIError(t, err, 400, tt.msg)
		})
	}
	// None of them was stored.
	if n := len(env.e.Snapshot().Jobs); n != 0 {
		t.Fatalf("%d jobs stored after invalid creates, want 0", n)
	}
}

func TestSchedAcceptsValidVariants(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	tests := []struct {
		name string
		edit func(j *cloudscheduler.Job)
	}{
		{"underscore and dash id", func(j *cloudscheduler.Job) { j.Name = schedParentID + "/jobs/A_b-9" }},
		{"lower-case utc", func(j *cloudscheduler.Job) { j.TimeZone = "utc" }},
		{"deadline bounds", func(j *cloudscheduler.Job) { j.AttemptDeadline = "15s" }},
		{"put with body", func(j *cloudscheduler.Job) { j.HttpTarget.HttpMethod, j.HttpTarget.Body = "PUT", "aGk=" }},
		{"server-chosen id", func(j *cloudscheduler.Job) { j.Name = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := schedJob("ok-"+strings.ReplaceAll(tt.name, " ", "-"), "https://example.com/run")
			tt.edit(job)
			got, err := env.jobs.Create(schedParentID, job).Context(env.ctx).Do()
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			if !strings.HasPrefix(got.Name, schedParentID+"/jobs/") {
				t.Fatalf("name %q is not under %s", got.Name, schedParentID)
			}
		})
	}
}

func TestSchedReadOnlyFieldsIgnored(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	job := schedJob("ro", "https://example.com/run")
	job.State = "PAUSED"
	job.ScheduleTime = "2030-01-01T00:00:00Z"
	job.LastAttemptTime = "2020-01-01T00:00:00Z"
	job.UserUpdateTime = "2020-01-01T00:00:00Z"
	job.Status = &cloudscheduler.Status{Code: 7, Message: "nope"}
	got := env.create(t, job)
	if got.State != "ENABLED" || got.ScheduleTime != "2026-03-10T10:01:00Z" || got.LastAttemptTime != "" ||
		got.UserUpdateTime != "2026-03-10T10:00:30Z" || got.Status != nil {
		t.Fatalf("output-only input was not ignored: %+v", got)
	}
	patch := &cloudscheduler.Job{State: "PAUSED", Description: "d"}
	got, err := env.jobs.Patch(got.Name, patch).UpdateMask("state,description").Context(env.ctx).Do()
	if err != nil {
		t.Fatalf("patch: %v", err)
	}
	if got.State != "ENABLED" || got.Description != "d" {
		t.Fatalf("patch state=%s description=%q, want ENABLED and d", got.State, got.Description)
	}
}

func TestSchedPatchHonoursUpdateMask(t *testing.T) {
	base := func() *cloudscheduler.Job {
		j := schedJob("p", "https://example.com/run")
		j.Description = "old"
		j.HttpTarget.Headers = map[string]string{"X-Old": "1"}
		j.HttpTarget.OauthToken = &cloudscheduler.OAuthToken{ServiceAccountEmail: schedInvoker}
		return j
	}
	tests := []struct {
		name  string
		mask  string
		patch *cloudscheduler.Job
		check func(t *testing.T, j *cloudscheduler.Job)
	}{
		{
			name: "only masked field changes", mask: "description",
			patch: &cloudscheduler.Job{Description: "new", Schedule: "0 0 * * *", TimeZone: "Europe/Berlin"},
			check: func(t *testing.T, j *cloudscheduler.Job) {
				if j.Description != "new" || j.Schedule != "* * * * *" || j.TimeZone != "Etc/UTC" {
					t.Errorf("description=%q schedule=%q timeZone=%q; want new, unchanged, unchanged", j.Description, j.Schedule, j.TimeZone)
				}
			},
		},
		{
			name: "snake case paths and new scheduleTime", mask: "schedule,time_zone",
			patch: &cloudscheduler.Job{Schedule: "0 9 * * *", TimeZone: "America/New_York", Description: "ignored"},
			check: func(t *testing.T, j *cloudscheduler.Job) {
				if j.Schedule != "0 9 * * *" || j.TimeZone != "America/New_York" || j.Description != "old" {
					t.Errorf("got schedule=%q tz=%q description=%q", j.Schedule, j.TimeZone, j.Description)
				}
				if j.ScheduleTime != "2026-03-10T13:00:00Z" {
					t.Errorf("scheduleTime = %s, want 09:00 New York = 2026-03-10T13:00:00Z", j.ScheduleTime)
				}
			},
		},
		{
			name: "masked field absent from body is cleared", mask: "description,httpTarget.headers",
			patch: &cloudscheduler.Job{},
			check: func(t *testing.T, j *cloudscheduler.Job) {
				if j.Description != "" || len(j.HttpTarget.Headers) != 0 || j.HttpTarget.Uri != "https://example.com/run" {
					t.Errorf("description=%q headers=%v uri=%q", j.Description, j.HttpTarget.Headers, j.HttpTarget.Uri)
				}
			},
		},
		{
			name: "setting oidcToken clears oauthToken", mask: "httpTarget.oidcToken",
			patch: &cloudscheduler.Job{HttpTarget: &cloudscheduler.HttpTarget{OidcToken: &cloudscheduler.OidcToken{ServiceAccountEmail: schedInvoker}}},
			check: func(t *testing.T, j *cloudscheduler.Job) {
				if j.HttpTarget.OidcToken == nil || j.HttpTarget.OauthToken != nil || j.HttpTarget.Uri == "" {
					t.Errorf("httpTarget = %+v, want oidcToken only and the uri kept", j.HttpTarget)
				}
			},
		},
		{
			name: "empty mask updates the fields sent", mask: "",
			patch: &cloudscheduler.Job{Description: "sent", AttemptDeadline: "60s"},
			check: func(t *testing.T, j *cloudscheduler.Job) {
				if j.Description != "sent" || j.AttemptDeadline != "60s" || j.Schedule != "* * * * *" || j.HttpTarget.OauthToken == nil {
					t.Errorf("got description=%q deadline=%q schedule=%q", j.Description, j.AttemptDeadline, j.Schedule)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newSchedTestEmulator(t, Options{})
			created := env.create(t, base())
			env.clock.Set(schedStart.Add(time.Minute))
			call := env.jobs.Patch(created.Name, tt.patch).Context(env.ctx)
			if tt.mask != "" {
				call = call.UpdateMask(tt.mask)
			}
			got, err := call.Do()
			if err != nil {
				t.Fatalf("patch: %v", err)
			}
			tt.check(t, got)
			if got.UserUpdateTime != "2026-03-10T10:01:30Z" {
				t.Errorf("userUpdateTime = %s, want the patch time", got.UserUpdateTime)
			}
			stored, _ := env.jobs.Get(created.Name).Context(env.ctx).Do()
			tt.check(t, stored)
		})
	}
}

func TestSchedPatchErrors(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	created := env.create(t, schedJob("p", "https://example.com/run"))
	tests := []struct {
		name  string
		job   string
		mask  string
		patch *cloudscheduler.Job
		code  int
		msg   string
	}{
		{"unknown mask path", created.Name, "colour", &cloudscheduler.Job{}, 400, `Invalid update mask path "colour"`},
		{"invalid new schedule", created.Name, "schedule", &cloudscheduler.Job{Schedule: "every day"}, 400, "Schedule or time zone is invalid"},
		{"clearing the target", created.Name, "httpTarget", &cloudscheduler.Job{}, 400, "Job must have a target"},
		{"both tokens through the mask", created.Name, "httpTarget.oidcToken,httpTarget.oauthToken", &cloudscheduler.Job{HttpTarget: &cloudscheduler.HttpTarget{
			OidcToken:  &cloudscheduler.OidcToken{ServiceAccountEmail: schedInvoker},
			OauthToken: &cloudscheduler.OAuthToken{ServiceAccountEmail: schedInvoker},
		}}, 400, "Oneof field"},
		{"missing job", schedParentID + "/jobs/none", "description", &cloudscheduler.Job{}, 404, "Job not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := env.jobs.Patch(tt.job, tt.patch).UpdateMask(tt.mask).Context(env.ctx).Do()
			wantAPIError(t, err, tt.code, tt.msg)
		})
	}
	stored, _ := env.jobs.Get(created.Name).Context(env.ctx).Do()
	if stored.Schedule != "* * * * *" || stored.HttpTarget == nil {
		t.Fatalf("a failed patch changed the job: %+v", stored)
	}
}

func TestSchedPauseResumeStateMachine(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	name := env.create(t, schedJob("pr", "https://example.com/run")).Name
	steps := []struct {
		verb  string
		state string // state after a successful step
		msg   string // error message part when the step must fail
	}{
		// The Google provider resumes every job right after creating it;
		// Google answers with the (unchanged) job.
		{"resume", "ENABLED", ""},
		{"pause", "PAUSED", ""},
		{"pause", "PAUSED", ""},
		{"resume", "ENABLED", ""},
		{"resume", "ENABLED", ""},
	}
	for i, s := range steps {
		var got *cloudscheduler.Job
		var err error
		if s.verb == "pause" {
			got, err = env.jobs.Pause(name, &cloudscheduler.PauseJobRequest{}).Context(env.ctx).Do()
		} else {
			got, err = env.jobs.Resume(name, &cloudscheduler.ResumeJobRequest{}).Context(env.ctx).Do()
		}
		if s.msg != "" {
			wantAPIError(t, err, 400, s.msg)
			continue
		}
		if err != nil || got.State != s.state {
			t.Fatalf("step %d %s: state %v, err %v; want %s", i, s.verb, got, err, s.state)
		}
	}
	_, err := env.jobs.Pause(schedParentID+"/jobs/none", &cloudscheduler.PauseJobRequest{}).Context(env.ctx).Do()
	wantAPIError(t, err, 404, "Job not found")
}

// The Google provider (hashicorp/google, google_cloud_scheduler_job) creates
// a job with this body when retry_config is not set, then resumes it at once
// ("paused" defaults to false), then reads it. Its retry_config block is not
// computed: a retryConfig the job was not created with would be a permanent
// diff. Plain HTTP, as scripts/google-provider-smoke.sh saw it.
func TestSchedGoogleProviderCreateResumeRead(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	do := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequestWithContext(env.ctx, method, env.url+path+"?alt=json", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer test")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	const job = "/v1/" + schedParentID + "/jobs/smoke-hello"
	code, created := do("POST", "/v1/"+schedParentID+"/jobs", `{"httpTarget":{"httpMethod":"POST","oidcToken":{"serviceAccountEmail":"`+schedInvoker+`"},"uri":"https://example.com/"},"name":"`+schedParentID+`/jobs/smoke-hello","schedule":"*/10 * * * *","timeZone":"Etc/UTC"}`)
	if code != 200 {
		t.Fatalf("create: %d %v", code, created)
	}
	code, resumed := do("POST", job+":resume", `{}`)
	if code != 200 || resumed["state"] != "ENABLED" || resumed["name"] != schedParentID+"/jobs/smoke-hello" {
		t.Fatalf("resume right after create: %d %v, want 200 and the ENABLED job", code, resumed)
	}
	code, read := do("GET", job, "")
	if code != 200 {
		t.Fatalf("get: %d %v", code, read)
	}
	for _, got := range []map[string]any{created, resumed, read} {
		if rc, ok := got["retryConfig"]; ok {
			t.Fatalf("job created without retryConfig answers retryConfig %v; the Google provider would plan to remove it", rc)
		}
	}
	code, paused := do("POST", job+":pause", `{}`)
	if code != 200 || paused["state"] != "PAUSED" {
		t.Fatalf("pause: %d %v", code, paused)
	}
	code, again := do("POST", job+":pause", `{}`)
	if code != 200 || again["state"] != "PAUSED" {
		t.Fatalf("pause of a PAUSED job: %d %v, want 200 and the job", code, again)
	}
}
