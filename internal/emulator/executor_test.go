package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	cloudscheduler "google.golang.org/api/cloudscheduler/v1"
	iamv1 "google.golang.org/api/iam/v1"
	runv2 "google.golang.org/api/run/v2"
)

// execTarget is a loopback HTTP server standing for a user's own endpoint;
// it records what it receives.
type execTarget struct {
	mu     sync.Mutex
	seen   []execSeen
	status int
	srv    *httptest.Server
}

type execSeen struct {
	method, path string
	header       http.Header
	body         string
}

func newExecTarget(t *testing.T, status int) *execTarget {
	t.Helper()
	tg := &execTarget{status: status}
	tg.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		tg.mu.Lock()
		tg.seen = append(tg.seen, execSeen{r.Method, r.URL.Path, r.Header.Clone(), string(body)})
		tg.mu.Unlock()
		w.WriteHeader(tg.status)
		_, _ = w.Write([]byte("target says hi"))
	}))
	t.Cleanup(tg.srv.Close)
	return tg
}

func (tg *execTarget) requests() []execSeen {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return append([]execSeen(nil), tg.seen...)
}

// runService returns a seeded service through the Cloud Run API.
func (env *schedEnv) runService(t *testing.T, name string) *runv2.GoogleCloudRunV2Service {
	t.Helper()
	rs, err := runv2.NewService(env.ctx, env.opts...)
	if err != nil {
		t.Fatalf("run.NewService: %v", err)
	}
	svc, err := rs.Projects.Locations.Services.Get(name).Context(env.ctx).Do()
	if err != nil {
		t.Fatalf("get %s: %v", name, err)
	}
	return svc
}

// grantRunInvoker adds roles/run.invoker for member through the Cloud Run API.
func (env *schedEnv) grantRunInvoker(t *testing.T, service, member string) {
	t.Helper()
	rs, err := runv2.NewService(env.ctx, env.opts...)
	if err != nil {
		t.Fatalf("run.NewService: %v", err)
	}
	_, err = rs.Projects.Locations.Services.SetIamPolicy(service, &runv2.GoogleIamV1SetIamPolicyRequest{
		Policy: &runv2.GoogleIamV1Policy{Bindings: []*runv2.GoogleIamV1Binding{{Role: "roles/run.invoker", Members: []string{member}}}},
	}).Context(env.ctx).Do()
	if err != nil {
		t.Fatalf("setIamPolicy on %s: %v", service, err)
	}
}

// grantOnAccount sets role for member on a service account through the IAM API.
func (env *schedEnv) grantOnAccount(t *testing.T, email, role, member string) {
	t.Helper()
	is, err := iamv1.NewService(env.ctx, env.opts...)
	if err != nil {
		t.Fatalf("iam.NewService: %v", err)
	}
	_, err = is.Projects.ServiceAccounts.SetIamPolicy("projects/-/serviceAccounts/"+email, &iamv1.SetIamPolicyRequest{
		Policy: &iamv1.Policy{Bindings: []*iamv1.Binding{{Role: role, Members: []string{member}}}},
	}).Context(env.ctx).Do()
	if err != nil {
		t.Fatalf("setIamPolicy on %s: %v", email, err)
	}
}

// runNow creates a job under parent and runs it, returning the job the run
// answered and the attempt it made.
func (env *schedEnv) runNow(t *testing.T, parent string, job *cloudscheduler.Job) (*cloudscheduler.Job, *Attempt) {
	t.Helper()
	job.Name = parent + "/jobs/" + job.Name
	created, err := env.jobs.Create(parent, job).Context(env.ctx).Do()
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	before := len(env.e.Attempts())
	got, err := env.jobs.Run(created.Name, &cloudscheduler.RunJobRequest{}).Context(env.ctx).Do()
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	attempts := env.e.Attempts()
	if len(attempts) != before+1 {
		t.Fatalf("run made %d attempts, want 1", len(attempts)-before)
	}
	return got, attempts[len(attempts)-1]
}

// echoOf decodes the gateway's or googleapis echo in an attempt.
func echoOf(t *testing.T, a *Attempt) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(a.Response), &m); err != nil {
		t.Fatalf("attempt response %q is not the JSON echo: %v", a.Response, err)
	}
	return m
}

func oidcJob(id, uri, account, audience string) *cloudscheduler.Job {
	return &cloudscheduler.Job{
		Name: id, Schedule: "*/5 * * * *",
		HttpTarget: &cloudscheduler.HttpTarget{Uri: uri, OidcToken: &cloudscheduler.OidcToken{ServiceAccountEmail: account, Audience: audience}},
	}
}

func TestExecSchedulerToCloudRunEndToEnd(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	const otherParent = "projects/other-project/locations/us-central1"
	const privateSvc = "projects/other-project/locations/us-central1/services/private"
	env.grantRunInvoker(t, schedHelloSvc, "serviceAccount:"+schedInvoker)
	env.grantRunInvoker(t, privateSvc, "serviceAccount:"+schedRunner)
	env.grantRunInvoker(t, "projects/demo-project/locations/us-central1/services/internal", "serviceAccount:"+schedInvoker)
	hello := env.runService(t, schedHelloSvc).Uri
	private := env.runService(t, privateSvc).Uri
	internal := env.runService(t, "projects/demo-project/locations/us-central1/services/internal").Uri
	if !strings.HasPrefix(hello, "http://hello-") || !strings.Contains(hello, ".run.localhost:") {
		t.Fatalf("hello uri = %q, want an emulated run.localhost URL", hello)
	}
	local := newExecTarget(t, 200)

	tests := []struct {
		name     string
		parent   string
		job      *cloudscheduler.Job
		setup    func(t *testing.T)
		status   int   // target's HTTP status, 0 when nothing was sent
		code     int64 // job status code (google.rpc)
		msg      string
		caller   string // caller in the echo
		audience string // audience recorded in the attempt
	}{
		{
			name: "root URL audience", parent: schedParentID,
			job:    oidcJob("root", hello, schedInvoker, hello),
			status: 200, code: 0, caller: schedInvoker, audience: hello,
		},
		{
			name: "default audience is the uri with its path and query", parent: schedParentID,
			job:    oidcJob("defaud", hello+"/tasks?x=1", schedInvoker, ""),
			status: 401, code: 16, msg: "is not accepted", audience: hello + "/tasks?x=1",
		},
		{
			name: "audience with a query", parent: schedParentID,
			job:    oidcJob("queryaud", hello, schedInvoker, hello+"?a=b"),
			status: 401, code: 16, msg: "the root URL, without path or query",
		},
		{
			name: "no invoker binding", parent: schedParentID,
			job:    oidcJob("stranger", hello, schedStranger, hello),
			status: 403, code: 7, msg: "does not hold roles/run.invoker",
		},
		{
			name: "internal-only service counts scheduler as internal", parent: schedParentID,
			job:    oidcJob("internal", internal, schedInvoker, internal),
			status: 200, code: 0, caller: schedInvoker,
		},
		{
			name: "no impersonation binding: nothing sent", parent: otherParent,
			job:    oidcJob("noimp", local.srv.URL+"/hook", schedRunner, ""),
			status: 0, code: 7, msg: "grant it roles/iam.serviceAccountTokenCreator (or roles/cloudscheduler.serviceAgent) on projects/other-project/serviceAccounts/" + schedRunner,
		},
		{
			name: "account does not exist", parent: schedParentID,
			job:    oidcJob("ghost", hello, "ghost@demo-project.iam.gserviceaccount.com", hello),
			status: 0, code: 7, msg: "does not exist",
		},
		{
			name: "impersonation granted on the account", parent: otherParent,
			job: oidcJob("imp", private, schedRunner, private),
			setup: func(t *testing.T) {
				env.grantOnAccount(t, schedRunner, "roles/iam.serviceAccountTokenCreator", "serviceAccount:service-210987654321@gcp-sa-cloudscheduler.iam.gserviceaccount.com")
			},
			status: 200, code: 0, caller: schedRunner,
		},
		{
			// Google counts Cloud Scheduler as internal only in the
			// service's own project (or VPC-SC perimeter, not modelled).
			name: "internal-only service refuses scheduler of another project", parent: otherParent,
			job: oidcJob("crossinternal", internal, schedRunner, internal),
			setup: func(t *testing.T) {
				env.grantRunInvoker(t, "projects/demo-project/locations/us-central1/services/internal", "serviceAccount:"+schedRunner)
			},
			status: 404, code: 5, msg: "internal only for services of its own project",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup(t)
			}
			job, a := env.runNow(t, tt.parent, tt.job)
			if a.StatusCode != tt.status {
				t.Fatalf("attempt status %d (%s), want %d", a.StatusCode, a.Error, tt.status)
			}
			if job.Status == nil || job.Status.Code != tt.code || !strings.Contains(job.Status.Message, tt.msg) {
				t.Fatalf("job status %+v, want code %d with %q", job.Status, tt.code, tt.msg)
			}
			if job.LastAttemptTime != "2026-03-10T10:00:30Z" {
				t.Errorf("lastAttemptTime = %q, want the clock's time", job.LastAttemptTime)
			}
			if tt.audience != "" && a.Audience != tt.audience {
				t.Errorf("attempt audience %q, want %q", a.Audience, tt.audience)
			}
			if tt.caller != "" {
				echo := echoOf(t, a)
				if echo["caller"] != tt.caller {
					t.Errorf("target saw caller %v, want %s", echo["caller"], tt.caller)
				}
				if a.TokenType != "oidc" || a.Identity != tt.caller {
					t.Errorf("attempt token %q for %q, want oidc for %s", a.TokenType, a.Identity, tt.caller)
				}
			}
			if strings.Contains(a.Error+a.Response, "eyJ") {
				t.Errorf("attempt leaks a token: %+v", a)
			}
		})
	}
	if n := len(local.requests()); n != 0 {
		t.Fatalf("the target got %d requests from a job whose token could not be minted, want 0", n)
	}
}

func TestExecOAuthTokenOnlyForGoogleAPIs(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	gwGrant(t, env.e, "projects/demo-project", "roles/compute.instanceAdmin.v1", "serviceAccount:"+schedInvoker)
	env.grantRunInvoker(t, schedHelloSvc, "serviceAccount:"+schedInvoker)
	hello := env.runService(t, schedHelloSvc).Uri
	local := newExecTarget(t, 401)
	oauthJob := func(id, uri string) *cloudscheduler.Job {
		return &cloudscheduler.Job{Name: id, Schedule: "0 * * * *", HttpTarget: &cloudscheduler.HttpTarget{
			Uri: uri, OauthToken: &cloudscheduler.OAuthToken{ServiceAccountEmail: schedInvoker},
		}}
	}

	job, a := env.runNow(t, schedParentID, oauthJob("compute", "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/us-central1-a/instances/vm/start"))
	if a.StatusCode != 200 || job.Status.Code != 0 || a.TokenType != "oauth" || a.Identity != schedInvoker {
		t.Fatalf("googleapis attempt = %+v, job status %+v; want 200 with an oauth token for %s", a, job.Status, schedInvoker)
	}
	echo := echoOf(t, a)
	if echo["caller"] != schedInvoker || echo["host"] != "compute.googleapis.com" || echo["method"] != "POST" {
		t.Fatalf("googleapis echo = %v", echo)
	}

	_, a = env.runNow(t, schedParentID, oauthJob("local", local.srv.URL+"/hook"))
	reqs := local.requests()
	if len(reqs) != 1 || reqs[0].header.Get("Authorization") != "" {
		t.Fatalf("non-Google target got %d requests with Authorization %q, want 1 without", len(reqs), reqs[0].header.Get("Authorization"))
	}
	if a.StatusCode != 401 || a.TokenType != "" || !strings.Contains(a.Error, "only attached for *.googleapis.com") {
		t.Fatalf("attempt = %+v, want 401, no token and the OAuth hint", a)
	}

	job, a = env.runNow(t, schedParentID, oauthJob("run", hello))
	if a.StatusCode != 403 || job.Status.Code != 7 {
		t.Fatalf("OAuth job to Cloud Run: attempt %d, status %+v; want 403 (no token sent)", a.StatusCode, job.Status)
	}
}

func TestExecRequestShape(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	local := newExecTarget(t, 204)
	tests := []struct {
		name        string
		target      cloudscheduler.HttpTarget
		contentType string
		body        string
	}{
		{"body gets octet-stream", cloudscheduler.HttpTarget{Body: "eyJhIjoxfQ==", Headers: map[string]string{"X-Custom": "v"}}, "application/octet-stream", `{"a":1}`},
		{"user content type kept", cloudscheduler.HttpTarget{HttpMethod: "PUT", Body: "eyJhIjoxfQ==", Headers: map[string]string{"Content-Type": "application/json", "X-Custom": "v"}}, "application/json", `{"a":1}`},
		{"get without body", cloudscheduler.HttpTarget{HttpMethod: "GET", Headers: map[string]string{"X-Custom": "v"}}, "", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := tt.target
			target.Uri = local.srv.URL + "/hook?n=1"
			id := "shape" + string(rune('a'+i))
			job, _ := env.runNow(t, schedParentID, &cloudscheduler.Job{Name: id, Schedule: "0 * * * *", HttpTarget: &target})
			if job.Status == nil || job.Status.Code != 0 {
				t.Fatalf("status %+v, want OK for a 204", job.Status)
			}
			reqs := local.requests()
			r := reqs[len(reqs)-1]
			want := map[string]string{
				"User-Agent":                    "Google-Cloud-Scheduler",
				"X-Cloudscheduler":              "true",
				"X-Cloudscheduler-Jobname":      id,
				"X-Cloudscheduler-Scheduletime": "2026-03-10T10:00:30Z",
				"X-Custom":                      "v",
				"Content-Type":                  tt.contentType,
			}
			for k, v := range want {
				if got := r.header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if r.body != tt.body || r.method != orDefault(target.HttpMethod, "POST") || r.path != "/hook" {
				t.Errorf("got %s %s body %q, want %s /hook body %q", r.method, r.path, r.body, target.HttpMethod, tt.body)
			}
		})
	}
}

func TestExecUnreachableTarget(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	job, a := env.runNow(t, schedParentID, &cloudscheduler.Job{Name: "far", Schedule: "0 * * * *",
		HttpTarget: &cloudscheduler.HttpTarget{Uri: "https://example.com/hook"}})
	if a.StatusCode != 0 || job.Status.Code != 14 || !strings.Contains(job.Status.Message, "network unreachable from the emulator") {
		t.Fatalf("attempt %+v, status %+v; want UNAVAILABLE network unreachable", a, job.Status)
	}
}

func TestExecScheduleFiresInTimeZone(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	local := newExecTarget(t, 200)
	every := env.create(t, schedJob("every-minute", local.srv.URL+"/minute"))
	morning := schedJob("morning", local.srv.URL+"/morning")
	morning.Schedule, morning.TimeZone = "0 9 * * *", "America/New_York"
	morning = env.create(t, morning)
	paused := env.create(t, schedJob("paused", local.srv.URL+"/paused"))
	if _, err := env.jobs.Pause(paused.Name, &cloudscheduler.PauseJobRequest{}).Context(env.ctx).Do(); err != nil {
		t.Fatalf("pause: %v", err)
	}
	if morning.ScheduleTime != "2026-03-10T13:00:00Z" {
		t.Fatalf("morning scheduleTime = %s, want 09:00 EDT = 13:00Z", morning.ScheduleTime)
	}

	steps := []struct {
		at    string
		fired int
	}{
		{"10:00:59", 0},
		{"10:01:00", 1},
		{"10:01:30", 0},
		{"10:02:05", 1},
		{"10:02:59", 0},
		{"12:59:59", 1}, // missed minutes fire once
		{"13:00:00", 2}, // every-minute and morning
		{"13:00:30", 0},
	}
	for _, s := range steps {
		at, _ := time.Parse("2006-01-02 15:04:05", "2026-03-10 "+s.at)
		env.clock.Set(at)
		if got := env.e.FireDueJobs(at); got != s.fired {
			t.Fatalf("at %s fired %d jobs, want %d", s.at, got, s.fired)
		}
	}
	got, _ := env.jobs.Get(morning.Name).Context(env.ctx).Do()
	if got.ScheduleTime != "2026-03-11T13:00:00Z" || got.LastAttemptTime != "2026-03-10T13:00:00Z" {
		t.Fatalf("morning after firing: scheduleTime %s lastAttemptTime %s", got.ScheduleTime, got.LastAttemptTime)
	}
	got, _ = env.jobs.Get(every.Name).Context(env.ctx).Do()
	if got.ScheduleTime != "2026-03-10T13:01:00Z" {
		t.Fatalf("every-minute scheduleTime = %s, want 13:01", got.ScheduleTime)
	}
	for _, r := range local.requests() {
		if r.path == "/paused" {
			t.Fatalf("a paused job fired")
		}
	}
	var minuteTimes []string
	for _, r := range local.requests() {
		if r.path == "/minute" {
			minuteTimes = append(minuteTimes, r.header.Get("X-CloudScheduler-ScheduleTime"))
		}
	}
	if strings.Join(minuteTimes, ",") != "2026-03-10T10:01:00Z,2026-03-10T10:02:00Z,2026-03-10T10:03:00Z,2026-03-10T13:00:00Z" {
		t.Fatalf("X-CloudScheduler-ScheduleTime of the minute job: %v", minuteTimes)
	}
}

func TestExecRetriesFollowRetryConfig(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	failing := newExecTarget(t, 500)
	job := schedJob("retry", failing.srv.URL+"/fail")
	job.Schedule = "0 * * * *"
	job.RetryConfig = &cloudscheduler.RetryConfig{RetryCount: 3, MinBackoffDuration: "10s", MaxBackoffDuration: "25s", MaxDoublings: 1}
	created := env.create(t, job)
	ran, err := env.jobs.Run(created.Name, &cloudscheduler.RunJobRequest{}).Context(env.ctx).Do()
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if ran.Status.Code != 13 || ran.ScheduleTime != "2026-03-10T10:00:40Z" {
		t.Fatalf("after the first failure: status %+v scheduleTime %s; want INTERNAL and a retry at +10s", ran.Status, ran.ScheduleTime)
	}
	// Backoff 10s, then doubled once to 20s, then linear (+20s) capped at 25s.
	steps := []struct {
		at       time.Time
		fired    int
		schedule string
	}{
		{schedStart.Add(9 * time.Second), 0, "2026-03-10T10:00:40Z"},
		{schedStart.Add(10 * time.Second), 1, "2026-03-10T10:01:00Z"},
		{schedStart.Add(30 * time.Second), 1, "2026-03-10T10:01:25Z"},
		{schedStart.Add(55 * time.Second), 1, "2026-03-10T11:00:00Z"}, // retries exhausted: next cron time
		{schedStart.Add(10 * time.Minute), 0, "2026-03-10T11:00:00Z"},
	}
	for i, s := range steps {
		env.clock.Set(s.at)
		if got := env.e.FireDueJobs(s.at); got != s.fired {
			t.Fatalf("step %d: fired %d, want %d", i, got, s.fired)
		}
		got, _ := env.jobs.Get(created.Name).Context(env.ctx).Do()
		if got.ScheduleTime != s.schedule {
			t.Fatalf("step %d: scheduleTime %s, want %s", i, got.ScheduleTime, s.schedule)
		}
	}
	reqs := failing.requests()
	if len(reqs) != 4 {
		t.Fatalf("target got %d requests, want 1 + 3 retries", len(reqs))
	}
	for _, r := range reqs {
		if r.header.Get("X-CloudScheduler-ScheduleTime") != "2026-03-10T10:00:30Z" {
			t.Fatalf("retries must keep X-CloudScheduler-ScheduleTime, got %s", r.header.Get("X-CloudScheduler-ScheduleTime"))
		}
	}
	var recorded int
	for _, a := range env.e.Attempts() {
		if a.Source == created.Name && a.StatusCode == 500 {
			recorded++
		}
	}
	if recorded != 4 {
		t.Fatalf("%d attempts recorded, want 4", recorded)
	}
}

func TestExecRetryBackoffSequence(t *testing.T) {
	tests := []struct {
		name string
		rc   *cloudscheduler.RetryConfig
		want []time.Duration // backoff before retry 1, 2, …; the list ends where retries stop
	}{
		{"google's documented example", &cloudscheduler.RetryConfig{RetryCount: 5, MinBackoffDuration: "10s", MaxBackoffDuration: "300s", MaxDoublings: 3, MaxRetryDuration: "0s"},
			[]time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second, 160 * time.Second}},
		{"defaults", &cloudscheduler.RetryConfig{RetryCount: 2},
			[]time.Duration{5 * time.Second, 10 * time.Second}},
		{"no retries", &cloudscheduler.RetryConfig{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []time.Duration
			for done := 0; done < 10; done++ {
				d, ok := retryBackoff(tt.rc, done, 0)
				if !ok {
					break
				}
				got = append(got, d)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("backoffs %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("backoffs %v, want %v", got, tt.want)
				}
			}
		})
	}
	// Past the doublings the interval grows linearly, then caps.
	rc := &cloudscheduler.RetryConfig{RetryCount: 5, MinBackoffDuration: "10s", MaxBackoffDuration: "300s", MaxDoublings: 3}
	var tail []time.Duration
	for done := 5; done < 8; done++ {
		rc.RetryCount = int64(done + 1)
		d, _ := retryBackoff(rc, done, 0)
		tail = append(tail, d)
	}
	if tail[0] != 240*time.Second || tail[1] != 300*time.Second || tail[2] != 300*time.Second {
		t.Fatalf("tail %v, want [4m0s 5m0s 5m0s]", tail)
	}
}

func TestExecScheduleLoopRunsUntilClose(t *testing.T) {
	env := newSchedTestEmulator(t, Options{ExecuteSchedules: true})
	local := newExecTarget(t, 200)
	env.create(t, schedJob("loop", local.srv.URL+"/loop"))
	env.clock.Set(schedStart.Add(30 * time.Second)) // 10:01:00, the job is due
	deadline := time.Now().Add(10 * time.Second)
	for len(local.requests()) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the schedule loop did not fire a due job within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	env.e.Close()
	n := len(env.e.Attempts())
	env.clock.Set(schedStart.Add(90 * time.Second))
	if fired := env.e.FireDueJobs(schedStart.Add(90 * time.Second)); fired != 1 {
		t.Fatalf("FireDueJobs after Close fired %d, want 1 (it still works on demand)", fired)
	}
	if got := len(env.e.Attempts()); got != n+1 {
		t.Fatalf("attempts %d, want %d", got, n+1)
	}
}
