package emulator

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	tasks "google.golang.org/api/cloudtasks/v2"
	iam "google.golang.org/api/iam/v1"
	run "google.golang.org/api/run/v2"
)

const (
	callerParent  = "projects/demo-project/locations/us-central1"
	callerInvoker = "invoker@demo-project.iam.gserviceaccount.com"
	callerNobody  = "nobody@demo-project.iam.gserviceaccount.com"
	callerRunner  = "runner@other-project.iam.gserviceaccount.com"
	callerHello   = "projects/demo-project/locations/us-central1/services/hello"
	callerPrivate = "projects/other-project/locations/us-central1/services/private"
)

// callerTestSeed: demo-project (service agents granted) with accounts
// "invoker" (run.invoker on hello) and "nobody", service hello;
// other-project without the agents' grants, with account "runner" and
// service "private" (runner holds run.invoker on it).
func callerTestSeed() *Seed {
	return &Seed{
		Projects: []SeedProject{
			{ProjectID: "demo-project", ProjectNumber: "123456789012"},
			{ProjectID: "other-project", ProjectNumber: "210987654321", WithoutServiceAgentGrants: true},
		},
		ServiceAccounts: []SeedServiceAccount{
			{Project: "demo-project", AccountID: "invoker"},
			{Project: "demo-project", AccountID: "nobody"},
			{Project: "other-project", AccountID: "runner"},
		},
		RunServices: []SeedRunService{
			{Project: "demo-project", Location: "us-central1", Name: "hello"},
			{Project: "other-project", Location: "us-central1", Name: "private"},
		},
	}
}

// callerEnv is an emulator with the caller seed and the invoker grants in
// place, and the URL of each service.
type callerEnv struct {
	*testEmulator
	clock     *manualClock
	helloURL  string
	privURL   string
	queues    *tasks.ProjectsLocationsQueuesService
	runClient *run.Service
}

func newCallerEnv(t *testing.T) *callerEnv {
	t.Helper()
	clock := newManualClock()
	te := startEmulator(t, Options{Seed: callerTestSeed(), Now: clock.Now})
	ctx := testContext(t)
	rs, err := run.NewService(ctx, te.clientOptions()...)
	wantNoError(t, err, "run.NewService")
	env := &callerEnv{testEmulator: te, clock: clock, runClient: rs}
	for svc, member := range map[string]string{callerHello: "serviceAccount:" + callerInvoker, callerPrivate: "serviceAccount:" + callerRunner} {
		_, err := rs.Projects.Locations.Services.SetIamPolicy(svc, &run.GoogleIamV1SetIamPolicyRequest{Policy: &run.GoogleIamV1Policy{
			Bindings: []*run.GoogleIamV1Binding{{Role: "roles/run.invoker", Members: []string{member}}},
		}}).Context(ctx).Do()
		wantNoError(t, err, "grant invoker on "+svc)
	}
	hello, err := rs.Projects.Locations.Services.Get(callerHello).Context(ctx).Do()
	wantNoError(t, err, "get hello")
	priv, err := rs.Projects.Locations.Services.Get(callerPrivate).Context(ctx).Do()
	wantNoError(t, err, "get private")
	env.helloURL, env.privURL = hello.Uri, priv.Uri
	ts, err := tasks.NewService(ctx, te.clientOptions()...)
	wantNoError(t, err, "cloudtasks.NewService")
	env.queues = ts.Projects.Locations.Queues
	return env
}

// uriOverride points a queue at a service URL with a path.
func uriOverride(t *testing.T, serviceURL, path string) *tasks.UriOverride {
	t.Helper()
	u, err := url.Parse(serviceURL)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.ParseInt(u.Port(), 10, 64)
	return &tasks.UriOverride{Scheme: strings.ToUpper(u.Scheme), Host: u.Hostname(), Port: port, PathOverride: &tasks.PathOverride{Path: path}}
}

// echo decodes the gateway's answer recorded in an attempt.
func echo(t *testing.T, a *Attempt) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(a.Response), &m); err != nil {
		t.Fatalf("attempt response %q is not the gateway echo: %v", a.Response, err)
	}
	return m
}

// attemptsOf returns the attempts made by a caller.
func attemptsOf(e *Emulator, caller string) []*Attempt {
	var out []*Attempt
	for _, a := range e.Attempts() {
		if a.Caller == caller {
			out = append(out, a)
		}
	}
	return out
}

func TestTasksQueueCRUD(t *testing.T) {
	env := newCallerEnv(t)
	ctx := testContext(t)
	q, err := env.queues.Create(callerParent, &tasks.Queue{Name: callerParent + "/queues/work"}).Context(ctx).Do()
	wantNoError(t, err, "create")
	if q.State != "RUNNING" || q.RateLimits.MaxDispatchesPerSecond != 500 || q.RateLimits.MaxConcurrentDispatches != 1000 ||
		q.RetryConfig.MaxAttempts != 100 || q.RetryConfig.MinBackoff != "0.100s" || q.RetryConfig.MaxBackoff != "3600s" || q.RetryConfig.MaxDoublings != 16 {
		t.Fatalf("created queue = %+v %+v %+v; want Google's defaults", q, q.RateLimits, q.RetryConfig)
	}
	if _, err := env.queues.Get("projects/123456789012/locations/us-central1/queues/work").Context(ctx).Do(); err != nil {
		t.Fatalf("get by project number: %v", err)
	}
	_, err = env.queues.Create(callerParent, &tasks.Queue{Name: callerParent + "/queues/work"}).Context(ctx).Do()
	wantAPIError(t, err, 409, "already exists")

	// A masked patch changes only the named field.
	got, err := env.queues.Patch(q.Name, &tasks.Queue{RateLimits: &tasks.RateLimits{MaxDispatchesPerSecond: 5, MaxConcurrentDispatches: 3},
		RetryConfig: &tasks.RetryConfig{MaxAttempts: 7}}).UpdateMask("rateLimits.maxDispatchesPerSecond").Context(ctx).Do()
	wantNoError(t, err, "patch")
	if got.RateLimits.MaxDispatchesPerSecond != 5 || got.RateLimits.MaxConcurrentDispatches != 1000 || got.RetryConfig.MaxAttempts != 100 {
		t.Fatalf("patched = %+v %+v; want only maxDispatchesPerSecond changed", got.RateLimits, got.RetryConfig)
	}

	// Patch of a missing queue creates it (UpdateQueue is an upsert).
	up, err := env.queues.Patch(callerParent+"/queues/upserted", &tasks.Queue{RetryConfig: &tasks.RetryConfig{MaxAttempts: 3}}).Context(ctx).Do()
	wantNoError(t, err, "upsert")
	if up.RetryConfig.MaxAttempts != 3 || up.State != "RUNNING" {
		t.Fatalf("upserted = %+v", up)
	}

	list, err := env.queues.List(callerParent).Context(ctx).Do()
	wantNoError(t, err, "list")
	if len(list.Queues) != 2 || list.Queues[0].Name != callerParent+"/queues/upserted" {
		t.Fatalf("list = %d queues, first %q", len(list.Queues), list.Queues[0].Name)
	}

	p, err := env.queues.Pause(q.Name, &tasks.PauseQueueRequest{}).Context(ctx).Do()
	wantNoError(t, err, "pause")
	if p.State != "PAUSED" {
		t.Fatalf("after pause state = %s", p.State)
	}
	p, err = env.queues.Resume(q.Name, &tasks.ResumeQueueRequest{}).Context(ctx).Do()
	wantNoError(t, err, "resume")
	if p.State != "RUNNING" {
		t.Fatalf("after resume state = %s", p.State)
	}

	_, err = env.queues.Delete(q.Name).Context(ctx).Do()
	wantNoError(t, err, "delete")
	_, err = env.queues.Get(q.Name).Context(ctx).Do()
	wantAPIError(t, err, 404, "does not exist")
	_, err = env.queues.Get("projects/nope-project/locations/us-central1/queues/x").Context(ctx).Do()
	wantAPIError(t, err, 403, "denied")
}

func TestTasksQueueValidation(t *testing.T) {
	env := newCallerEnv(t)
	ctx := testContext(t)
	tests := []struct {
		name string
		q    *tasks.Queue
		msg  string
	}{
		{"no name", &tasks.Queue{}, "Queue.name is required"},
		{"bad id", &tasks.Queue{Name: callerParent + "/queues/bad_id"}, "Invalid queue id"},
		{"other parent", &tasks.Queue{Name: "projects/other-project/locations/us-central1/queues/q"}, "not under the parent"},
		{"rate too high", &tasks.Queue{Name: callerParent + "/queues/q", RateLimits: &tasks.RateLimits{MaxDispatchesPerSecond: 501}}, "maxDispatchesPerSecond"},
		{"backoffs inverted", &tasks.Queue{Name: callerParent + "/queues/q", RetryConfig: &tasks.RetryConfig{MinBackoff: "10s", MaxBackoff: "1s"}}, "must not be greater"},
		{"bad duration", &tasks.Queue{Name: callerParent + "/queues/q", RetryConfig: &tasks.RetryConfig{MinBackoff: "10m"}}, "google.protobuf.Duration"},
		{"both tokens", &tasks.Queue{Name: callerParent + "/queues/q", HttpTarget: &tasks.HttpTarget{
			OidcToken: &tasks.OidcToken{ServiceAccountEmail: callerInvoker}, OauthToken: &tasks.OAuthToken{ServiceAccountEmail: callerInvoker}}}, "Oneof"},
		{"bad method", &tasks.Queue{Name: callerParent + "/queues/q", HttpTarget: &tasks.HttpTarget{HttpMethod: "FETCH"}}, "http_method"},
		{"host with scheme", &tasks.Queue{Name: callerParent + "/queues/q", HttpTarget: &tasks.HttpTarget{UriOverride: &tasks.UriOverride{Host: "https://x"}}}, "host name only"},
		{"forbidden header", &tasks.Queue{Name: callerParent + "/queues/q", HttpTarget: &tasks.HttpTarget{
			HeaderOverrides: []*tasks.HeaderOverride{{Header: &tasks.Header{Key: "Host", Value: "x"}}}}}, "cannot be overridden"},
		{"bad token email", &tasks.Queue{Name: callerParent + "/queues/q", HttpTarget: &tasks.HttpTarget{OidcToken: &tasks.OidcToken{ServiceAccountEmail: "nope"}}}, "service account email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := env.queues.Create(callerParent, tt.q).Context(ctx).Do()
			wantAPIError(t, err, 400, tt.msg)
		})
	}
}

func TestTasksQueueIAM(t *testing.T) {
	env := newCallerEnv(t)
	ctx := testContext(t)
	q, err := env.queues.Create(callerParent, &tasks.Queue{Name: callerParent + "/queues/iam"}).Context(ctx).Do()
	wantNoError(t, err, "create")
	empty, err := env.queues.GetIamPolicy(q.Name, &tasks.GetIamPolicyRequest{Options: &tasks.GetPolicyOptions{RequestedPolicyVersion: 3}}).Context(ctx).Do()
	wantNoError(t, err, "getIamPolicy")
	if len(empty.Bindings) != 0 || empty.Etag == "" {
		t.Fatalf("new queue policy = %+v", empty)
	}
	_, err = env.queues.SetIamPolicy(q.Name, &tasks.SetIamPolicyRequest{Policy: &tasks.Policy{Etag: empty.Etag,
		Bindings: []*tasks.Binding{{Role: "roles/cloudtasks.enqueuer", Members: []string{"serviceAccount:" + callerInvoker}}}}}).Context(ctx).Do()
	wantNoError(t, err, "setIamPolicy")
	pol, err := env.queues.GetIamPolicy(q.Name, &tasks.GetIamPolicyRequest{}).Context(ctx).Do()
	wantNoError(t, err, "getIamPolicy")
	if len(pol.Bindings) != 1 || pol.Bindings[0].Members[0] != "serviceAccount:"+callerInvoker {
		t.Fatalf("policy = %+v", pol.Bindings)
	}
	_, err = env.queues.SetIamPolicy(q.Name, &tasks.SetIamPolicyRequest{Policy: &tasks.Policy{Etag: empty.Etag}}).Context(ctx).Do()
	wantAPIError(t, err, 409, "concurrent policy changes")
	_, err = env.queues.GetIamPolicy(callerParent+"/queues/missing", &tasks.GetIamPolicyRequest{}).Context(ctx).Do()
	wantAPIError(t, err, 404, "")
	if env.Calls()["cloudtasks.queues.getIamPolicy"] != 3 {
		t.Fatalf("calls = %v", env.Calls())
	}
}

func TestTasksDispatch(t *testing.T) {
	tests := []struct {
		name       string
		project    string // queue project
		target     func(env *callerEnv) *tasks.HttpTarget
		taskURL    func(env *callerEnv) string
		wantStatus int
		wantErr    string
		wantID     string
		wantAud    string
		wantKept   bool // the task stays for a retry
		check      func(t *testing.T, e map[string]any)
	}{
		{
			name: "queue oidc target reaches hello as the account",
			target: func(env *callerEnv) *tasks.HttpTarget {
				return &tasks.HttpTarget{UriOverride: uriOverride(t, env.helloURL, "/work"),
					OidcToken: &tasks.OidcToken{ServiceAccountEmail: callerInvoker, Audience: env.helloURL}}
			},
			taskURL:    func(*callerEnv) string { return "https://placeholder.example.com/ignored" },
			wantStatus: 200, wantID: callerInvoker,
			check: func(t *testing.T, e map[string]any) {
				h := e["headers"].(map[string]any)
				if e["path"] != "/work" || h["X-Cloudtasks-Queuename"] != "q" || h["User-Agent"] != "Google-Cloud-Tasks" || h["X-Cloudtasks-Taskretrycount"] != "0" {
					t.Errorf("echo = %v", e)
				}
			},
		},
		{
			name: "method and header overrides apply",
			target: func(env *callerEnv) *tasks.HttpTarget {
				return &tasks.HttpTarget{HttpMethod: "PUT", HeaderOverrides: []*tasks.HeaderOverride{{Header: &tasks.Header{Key: "X-Team", Value: "blue"}}},
					OidcToken: &tasks.OidcToken{ServiceAccountEmail: callerInvoker, Audience: env.helloURL}}
			},
			taskURL:    func(env *callerEnv) string { return env.helloURL + "/direct?x=1" },
			wantStatus: 200, wantID: callerInvoker,
			check: func(t *testing.T, e map[string]any) {
				if e["method"] != "PUT" || e["query"] != "x=1" || e["headers"].(map[string]any)["X-Team"] != "blue" {
					t.Errorf("echo = %v", e)
				}
			},
		},
		{
			name: "default audience is the full task URL and is refused",
			target: func(env *callerEnv) *tasks.HttpTarget {
				return &tasks.HttpTarget{OidcToken: &tasks.OidcToken{ServiceAccountEmail: callerInvoker}}
			},
			taskURL:    func(env *callerEnv) string { return env.helloURL + "/path" },
			wantStatus: 401, wantErr: "audience", wantKept: true,
		},
		{
			name: "account without invoker gets 403",
			target: func(env *callerEnv) *tasks.HttpTarget {
				return &tasks.HttpTarget{OidcToken: &tasks.OidcToken{ServiceAccountEmail: callerNobody, Audience: env.helloURL}}
			},
			taskURL:    func(env *callerEnv) string { return env.helloURL },
			wantStatus: 403, wantErr: "does not hold roles/run.invoker", wantKept: true,
		},
		{
			name:    "agent without impersonation sends nothing",
			project: "other-project",
			target: func(env *callerEnv) *tasks.HttpTarget {
				return &tasks.HttpTarget{OidcToken: &tasks.OidcToken{ServiceAccountEmail: callerRunner, Audience: env.privURL}}
			},
			taskURL:    func(env *callerEnv) string { return env.privURL },
			wantStatus: 0, wantErr: "service-210987654321@gcp-sa-cloudtasks.iam.gserviceaccount.com may not mint tokens", wantKept: true,
		},
		{
			name: "oauth token is not attached for run.app",
			target: func(env *callerEnv) *tasks.HttpTarget {
				return &tasks.HttpTarget{OauthToken: &tasks.OAuthToken{ServiceAccountEmail: callerInvoker}}
			},
			taskURL:    func(env *callerEnv) string { return env.helloURL },
			wantStatus: 403, wantErr: "OAuth tokens are only attached", wantKept: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newCallerEnv(t)
			ctx := testContext(t)
			project := tt.project
			if project == "" {
				project = "demo-project"
			}
			parent := "projects/" + project + "/locations/us-central1"
			q, err := env.queues.Create(parent, &tasks.Queue{Name: parent + "/queues/q", HttpTarget: tt.target(env)}).Context(ctx).Do()
			wantNoError(t, err, "create queue")
			task, err := env.queues.Tasks.Create(q.Name, &tasks.CreateTaskRequest{Task: &tasks.Task{
				HttpRequest: &tasks.HttpRequest{Url: tt.taskURL(env), HttpMethod: "POST", Body: "aGk="}}}).Context(ctx).Do()
			wantNoError(t, err, "create task")
			as := attemptsOf(env.Emulator, "cloudtasks")
			if len(as) != 1 {
				t.Fatalf("attempts = %d, want 1 (dispatched on create)", len(as))
			}
			a := as[0]
			if a.StatusCode != tt.wantStatus || a.Source != task.Name {
				t.Fatalf("attempt = %+v, want status %d from %s", a, tt.wantStatus, task.Name)
			}
			if tt.wantErr != "" && !strings.Contains(a.Error, tt.wantErr) {
				t.Fatalf("attempt error = %q, want it to contain %q", a.Error, tt.wantErr)
			}
			if tt.wantID != "" && (a.Identity != tt.wantID || a.TokenType != "oidc") {
				t.Fatalf("attempt identity = %s %s, want oidc %s", a.TokenType, a.Identity, tt.wantID)
			}
			if tt.check != nil {
				e := echo(t, a)
				if e["caller"] != tt.wantID {
					t.Errorf("service saw caller %v, want %s", e["caller"], tt.wantID)
				}
				tt.check(t, e)
			}
			got, err := env.queues.Tasks.Get(task.Name).Context(ctx).Do()
			if !tt.wantKept {
				wantAPIError(t, err, 404, "")
				return
			}
			wantNoError(t, err, "get kept task")
			if got.DispatchCount != 1 || got.LastAttempt == nil || got.LastAttempt.ResponseStatus.Code == 0 || got.ScheduleTime == task.ScheduleTime {
				t.Fatalf("kept task = %+v (last attempt %+v); want one failed attempt and a later schedule", got, got.LastAttempt)
			}
		})
	}
}

func TestTasksImpersonationGrantFixesDispatch(t *testing.T) {
	env := newCallerEnv(t)
	ctx := testContext(t)
	parent := "projects/other-project/locations/us-central1"
	q, err := env.queues.Create(parent, &tasks.Queue{Name: parent + "/queues/q",
		HttpTarget: &tasks.HttpTarget{OidcToken: &tasks.OidcToken{ServiceAccountEmail: callerRunner, Audience: env.privURL}}}).Context(ctx).Do()
	wantNoError(t, err, "create queue")
	task, err := env.queues.Tasks.Create(q.Name, &tasks.CreateTaskRequest{Task: &tasks.Task{HttpRequest: &tasks.HttpRequest{Url: env.privURL}}}).Context(ctx).Do()
	wantNoError(t, err, "create task")
	if as := attemptsOf(env.Emulator, "cloudtasks"); len(as) != 1 || as[0].StatusCode != 0 {
		t.Fatalf("attempts before the grant = %+v", as)
	}
	// Grant the Cloud Tasks agent the service agent role on the account.
	grantOnAccount(t, env, callerRunner, "roles/cloudtasks.serviceAgent", "serviceAccount:service-210987654321@gcp-sa-cloudtasks.iam.gserviceaccount.com")
	ran, err := env.queues.Tasks.Run(task.Name, &tasks.RunTaskRequest{}).Context(ctx).Do()
	wantNoError(t, err, "run")
	if ran.DispatchCount != 2 || ran.LastAttempt.ResponseStatus.Code != 0 {
		t.Fatalf("run = dispatchCount %d, last %+v; want a successful second attempt", ran.DispatchCount, ran.LastAttempt.ResponseStatus)
	}
	as := attemptsOf(env.Emulator, "cloudtasks")
	if last := as[len(as)-1]; last.StatusCode != 200 || last.Identity != callerRunner {
		t.Fatalf("attempt after grant = %+v", last)
	}
	_, err = env.queues.Tasks.Get(task.Name).Context(ctx).Do()
	wantAPIError(t, err, 404, "")
}

func TestTasksPausedQueueHoldsTasksUntilResume(t *testing.T) {
	env := newCallerEnv(t)
	ctx := testContext(t)
	q, err := env.queues.Create(callerParent, &tasks.Queue{Name: callerParent + "/queues/q",
		HttpTarget: &tasks.HttpTarget{OidcToken: &tasks.OidcToken{ServiceAccountEmail: callerInvoker, Audience: env.helloURL}}}).Context(ctx).Do()
	wantNoError(t, err, "create queue")
	_, err = env.queues.Pause(q.Name, &tasks.PauseQueueRequest{}).Context(ctx).Do()
	wantNoError(t, err, "pause")
	_, err = env.queues.Tasks.Create(q.Name, &tasks.CreateTaskRequest{Task: &tasks.Task{Name: q.Name + "/tasks/t1", HttpRequest: &tasks.HttpRequest{Url: env.helloURL}}}).Context(ctx).Do()
	wantNoError(t, err, "create task")
	_, err = env.queues.Tasks.Create(q.Name, &tasks.CreateTaskRequest{Task: &tasks.Task{Name: q.Name + "/tasks/t1", HttpRequest: &tasks.HttpRequest{Url: env.helloURL}}}).Context(ctx).Do()
	wantAPIError(t, err, 409, "already exists")
	list, err := env.queues.Tasks.List(q.Name).Context(ctx).Do()
	wantNoError(t, err, "list")
	if len(list.Tasks) != 1 || len(attemptsOf(env.Emulator, "cloudtasks")) != 0 {
		t.Fatalf("paused queue: %d tasks, %d attempts; want 1 task, no attempt", len(list.Tasks), len(attemptsOf(env.Emulator, "cloudtasks")))
	}
	_, err = env.queues.Resume(q.Name, &tasks.ResumeQueueRequest{}).Context(ctx).Do()
	wantNoError(t, err, "resume")
	as := attemptsOf(env.Emulator, "cloudtasks")
	if len(as) != 1 || as[0].StatusCode != 200 {
		t.Fatalf("after resume attempts = %+v", as)
	}
}

func TestTasksRetryUntilAttemptsUsedUp(t *testing.T) {
	env := newCallerEnv(t)
	ctx := testContext(t)
	q, err := env.queues.Create(callerParent, &tasks.Queue{Name: callerParent + "/queues/q",
		RetryConfig: &tasks.RetryConfig{MaxAttempts: 2, MinBackoff: "10s", MaxBackoff: "60s"},
		HttpTarget:  &tasks.HttpTarget{OidcToken: &tasks.OidcToken{ServiceAccountEmail: callerNobody, Audience: env.helloURL}}}).Context(ctx).Do()
	wantNoError(t, err, "create queue")
	task, err := env.queues.Tasks.Create(q.Name, &tasks.CreateTaskRequest{Task: &tasks.Task{HttpRequest: &tasks.HttpRequest{Url: env.helloURL}}}).Context(ctx).Do()
	wantNoError(t, err, "create task")
	got, err := env.queues.Tasks.Get(task.Name).Context(ctx).Do()
	wantNoError(t, err, "get")
	if want := formatTime(env.clock.Now().Add(10 * time.Second)); got.ScheduleTime != want {
		t.Fatalf("retry scheduled at %s, want %s (minBackoff)", got.ScheduleTime, want)
	}
	if n := env.DispatchDueTasks(ctx, env.clock.Now().Add(5*time.Second)); n != 0 {
		t.Fatalf("dispatched %d tasks before the backoff elapsed", n)
	}
	env.clock.Advance(10 * time.Second)
	if n := env.DispatchDueTasks(ctx, env.clock.Now()); n != 1 {
		t.Fatalf("dispatched %d tasks after the backoff, want 1", n)
	}
	if h := echoHeaderOfRetry(env.Emulator); h != "" {
		t.Fatalf("%s", h)
	}
	_, err = env.queues.Tasks.Get(task.Name).Context(ctx).Do()
	wantAPIError(t, err, 404, "") // maxAttempts used up: the task is dropped
}

// echoHeaderOfRetry checks the second attempt is a 403 again.
func echoHeaderOfRetry(e *Emulator) string {
	as := attemptsOf(e, "cloudtasks")
	if len(as) != 2 || as[1].StatusCode != 403 {
		return "want two 403 attempts"
	}
	return ""
}

// grantOnAccount adds a binding to a service account's policy through the
// IAM API.
func grantOnAccount(t *testing.T, env *callerEnv, email, role, member string) {
	t.Helper()
	ctx := testContext(t)
	svc, err := iam.NewService(ctx, env.clientOptions()...)
	wantNoError(t, err, "iam.NewService")
	name := "projects/-/serviceAccounts/" + email
	pol, err := svc.Projects.ServiceAccounts.GetIamPolicy(name).Context(ctx).Do()
	wantNoError(t, err, "getIamPolicy")
	pol.Bindings = append(pol.Bindings, &iam.Binding{Role: role, Members: []string{member}})
	_, err = svc.Projects.ServiceAccounts.SetIamPolicy(name, &iam.SetIamPolicyRequest{Policy: pol}).Context(ctx).Do()
	wantNoError(t, err, "setIamPolicy")
}
