package emulator

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	scheduler "google.golang.org/api/cloudscheduler/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// Job execution. A job fires on :run, and with Options.ExecuteSchedules on
// its cron schedule (a loop calls FireDueJobs every second). Each attempt
// goes through deliver, which does what Google's dispatchers do: check that
// the service agent may mint tokens for the job's account, mint the token,
// call the target and record the attempt. A failed attempt is retried per
// the job's retryConfig: the retry is due at lastAttemptTime + backoff and
// shows as the job's scheduleTime, as at Google.

// fireKind says why a job runs.
type fireKind int

const (
	fireScheduled fireKind = iota // its cron time came
	fireManual                    // jobs.run
	fireRetry                     // a retry of a failed attempt
)

// maxAttemptsKept bounds st.Attempts; the oldest are dropped first.
const maxAttemptsKept = 10000

// maxResponseKept is how much of a target's answer an attempt keeps.
const maxResponseKept = 4096

// jobRunner is the per-emulator execution state that is not part of the
// stored State: which jobs are running and which wait for a retry.
type jobRunner struct {
	mu      sync.Mutex
	running map[string]bool
	retries map[string]*jobRetry

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// jobRetry is an execution that failed and will be retried.
type jobRetry struct {
	done         int       // retries made so far
	first        time.Time // first attempt of the execution
	scheduleTime time.Time // sent as X-CloudScheduler-ScheduleTime on every retry
	due          time.Time
}

// jobRunners maps each *Emulator to its *jobRunner (the Emulator struct
// belongs to the core; the runner is dropped by Close).
var jobRunners sync.Map

func newJobRunner() *jobRunner {
	ctx, cancel := context.WithCancel(context.Background())
	return &jobRunner{running: map[string]bool{}, retries: map[string]*jobRetry{}, ctx: ctx, cancel: cancel}
}

// jobRunner returns the emulator's runner. After Close it returns a fresh,
// unregistered one, so on-demand runs still work without pinning the
// emulator in jobRunners.
func (e *Emulator) jobRunner() *jobRunner {
	if r, ok := jobRunners.Load(e); ok {
		return r.(*jobRunner)
	}
	return newJobRunner()
}

// startJobRunner creates the runner, registers its closer and, with
// Options.ExecuteSchedules, starts the schedule loop.
func (e *Emulator) startJobRunner() {
	r := newJobRunner()
	jobRunners.Store(e, r)
	e.closers = append(e.closers, func() {
		r.cancel()
		r.wg.Wait()
		jobRunners.Delete(e)
	})
	if !e.opts.ExecuteSchedules {
		return
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-r.ctx.Done():
				return
			case <-e.done:
				return
			case <-tick.C:
				e.FireDueJobs(e.now())
			}
		}
	}()
}

func (r *jobRunner) begin(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running[name] {
		return false // Cloud Scheduler never runs two executions of a job at once
	}
	r.running[name] = true
	return true
}

func (r *jobRunner) end(name string) {
	r.mu.Lock()
	delete(r.running, name)
	r.mu.Unlock()
}

// forgetRetry drops a pending retry (job updated, paused, resumed, deleted).
func (r *jobRunner) forgetRetry(name string) {
	r.mu.Lock()
	delete(r.retries, name)
	r.mu.Unlock()
}

func (r *jobRunner) retryDue(name string) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rt, ok := r.retries[name]; ok {
		return rt.due, true
	}
	return time.Time{}, false
}

func (r *jobRunner) retryScheduleTime(name string) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rt, ok := r.retries[name]; ok {
		return rt.scheduleTime, true
	}
	return time.Time{}, false
}

// FireDueJobs runs every ENABLED job whose scheduled time (or pending retry)
// is at or before now, one attempt each, and returns how many attempts were
// made. The schedule loop calls it every second; tests call it with an
// injected clock. Missed fire times are not made up: a job fires once and
// its next time is computed after now.
func (e *Emulator) FireDueJobs(now time.Time) int {
	r := e.jobRunner()
	type dueJob struct {
		name string
		at   time.Time
		kind fireKind
	}
	var due []dueJob
	_ = e.read(func(st *State) error {
		for name, j := range st.Jobs {
			if j.State != jobStateEnabled {
				continue
			}
			if at, ok := r.retryDue(name); ok {
				if !at.After(now) {
					due = append(due, dueJob{name, at, fireRetry})
				}
				continue
			}
			at, err := time.Parse(time.RFC3339Nano, j.ScheduleTime)
			if err == nil && !at.After(now) {
				due = append(due, dueJob{name, at, fireScheduled})
			}
		}
		return nil
	})
	sort.Slice(due, func(i, j int) bool {
		if !due[i].at.Equal(due[j].at) {
			return due[i].at.Before(due[j].at)
		}
		return due[i].name < due[j].name
	})
	n := 0
	for _, d := range due {
		if e.runJobAt(r.ctx, d.name, d.kind, d.at, now) {
			n++
		}
	}
	return n
}

// runJob makes one attempt of a job now.
func (e *Emulator) runJob(ctx context.Context, name string, kind fireKind, scheduled time.Time) bool {
	return e.runJobAt(ctx, name, kind, scheduled, e.now())
}

// runJobAt makes one attempt of a job at time now and records its outcome
// on the job (lastAttemptTime, status, scheduleTime). scheduled is the cron
// time that made it fire (zero for manual runs).
func (e *Emulator) runJobAt(ctx context.Context, name string, kind fireKind, scheduled, now time.Time) bool {
	r := e.jobRunner()
	if !r.begin(name) {
		return false
	}
	defer r.end(name)

	var job *scheduler.Job
	var projectID string
	_ = e.read(func(st *State) error {
		if j, ok := st.Jobs[name]; ok {
			job = deepCopyJSON(j)
			if n, ok := parseLocatedName(name, "jobs"); ok {
				projectID = n.project
			}
		}
		return nil
	})
	if job == nil {
		return false
	}
	scheduleTime := now
	switch kind {
	case fireScheduled:
		scheduleTime = scheduled
	case fireRetry:
		if t, ok := r.retryScheduleTime(name); ok {
			scheduleTime = t
		}
	}
	var a *Attempt
	if call, err := schedulerCall(job, projectID, scheduleTime, now); err != nil {
		a = &Attempt{Caller: "cloudscheduler", Source: name, Time: now.UTC(), Error: err.Error()}
		e.recordAttempt(a)
	} else {
		a = e.deliver(ctx, call)
	}
	code, msg := attemptStatus(a)
	_ = e.mutate(func(st *State) error {
		j, ok := st.Jobs[name]
		if !ok {
			return nil
		}
		j.LastAttemptTime = formatTime(a.Time)
		j.Status = &scheduler.Status{Code: int64(code), Message: msg}
		next := r.afterAttempt(name, j, kind, code == 0, now, scheduleTime)
		if j.State == jobStateEnabled && !next.IsZero() {
			j.ScheduleTime = formatTime(next)
		}
		return nil
	})
	return true
}

// afterAttempt updates the retry state of a job after an attempt at now and
// returns when the job runs next: a retry time or its next cron time.
func (r *jobRunner) afterAttempt(name string, job *scheduler.Job, kind fireKind, ok bool, now, scheduleTime time.Time) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	rt := r.retries[name]
	if kind != fireRetry || rt == nil {
		rt = &jobRetry{first: now, scheduleTime: scheduleTime}
	}
	if !ok {
		if backoff, retry := retryBackoff(job.RetryConfig, rt.done, now.Sub(rt.first)); retry {
			rt.done++
			rt.due = now.Add(backoff)
			r.retries[name] = rt
			return rt.due
		}
	}
	delete(r.retries, name)
	return nextFire(job, now)
}

// retryBackoff says whether a failed execution is retried after done retries
// and elapsed time since its first attempt, and after how long. The interval
// starts at minBackoff, doubles maxDoublings times, then grows linearly by
// the last doubled interval, capped at maxBackoff (Google's documented
// sequence: 10s, 20s, 40s, 80s, 160s, 240s, 300s for 10s/300s/3 doublings).
func retryBackoff(rc *scheduler.RetryConfig, done int, elapsed time.Duration) (time.Duration, bool) {
	if rc == nil {
		return 0, false
	}
	maxDur, _ := parseDuration(orDefault(rc.MaxRetryDuration, defaultMaxRetryDuration), "")
	countLeft := int64(done) < rc.RetryCount
	timeLeft := maxDur > 0 && elapsed < maxDur
	if !countLeft && !timeLeft {
		return 0, false
	}
	minB, _ := parseDuration(orDefault(rc.MinBackoffDuration, defaultMinBackoff), "")
	maxB, _ := parseDuration(orDefault(rc.MaxBackoffDuration, defaultMaxBackoff), "")
	doublings := int(rc.MaxDoublings)
	var d time.Duration
	if done <= doublings {
		d = minB << uint(done)
	} else {
		d = (minB << uint(doublings)) * time.Duration(done-doublings+1)
	}
	if d > maxB || d <= 0 {
		d = maxB
	}
	return d, true
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// schedulerCall builds the request Cloud Scheduler sends for a job.
func schedulerCall(job *scheduler.Job, projectID string, scheduleTime, now time.Time) (outboundCall, error) {
	t := job.HttpTarget
	if t == nil {
		return outboundCall{}, errors.New("UNIMPLEMENTED: the emulator executes only httpTarget jobs; Pub/Sub and App Engine targets are stored but not run")
	}
	h := http.Header{}
	for k, v := range t.Headers {
		h.Set(k, v)
	}
	id := job.Name[strings.LastIndex(job.Name, "/")+1:]
	h.Set("User-Agent", "Google-Cloud-Scheduler")
	h.Set("X-CloudScheduler", "true")
	h.Set("X-CloudScheduler-JobName", id)
	h.Set("X-CloudScheduler-ScheduleTime", scheduleTime.UTC().Format(time.RFC3339))
	body, _ := base64.StdEncoding.DecodeString(t.Body)
	deadline, _ := parseDuration(orDefault(job.AttemptDeadline, defaultAttemptDeadline), "")
	call := outboundCall{
		Caller:       "cloudscheduler",
		Source:       job.Name,
		Method:       orDefault(t.HttpMethod, "POST"),
		URL:          t.Uri,
		Header:       h,
		Body:         body,
		AgentProject: projectID,
		Deadline:     deadline,
		At:           now,
	}
	switch {
	case t.OidcToken != nil:
		call.Token = tokenSpec{Kind: "oidc", ServiceAccount: t.OidcToken.ServiceAccountEmail, Audience: t.OidcToken.Audience}
	case t.OauthToken != nil:
		call.Token = tokenSpec{Kind: "oauth", ServiceAccount: t.OauthToken.ServiceAccountEmail}
		if t.OauthToken.Scope != "" {
			call.Token.Scopes = []string{t.OauthToken.Scope}
		}
	}
	return call, nil
}

// tokenSpec says which token a call carries.
type tokenSpec struct {
	Kind           string   // "oidc", "oauth" or "" (none)
	ServiceAccount string   // the account the token is minted for
	Audience       string   // oidc: the aud claim; empty means the call's URL
	Scopes         []string // oauth: empty means cloud-platform
}

// outboundCall is one request an emulated Google service (Cloud Scheduler,
// Cloud Tasks, Workflows) makes to a target on a user's behalf.
type outboundCall struct {
	Caller string // the calling API: "cloudscheduler", "cloudtasks", "workflows"
	Source string // job, task or execution name, recorded in the attempt
	Method string
	URL    string
	Header http.Header // caller-specific headers (User-Agent, X-CloudScheduler-…)
	Body   []byte
	Token  tokenSpec
	// AgentProject is the project (id or number) whose service agent of
	// Caller (service-N@gcp-sa-CALLER.iam.gserviceaccount.com) mints the
	// token; it must hold roles/iam.serviceAccountTokenCreator or
	// roles/CALLER.serviceAgent on the account or its project. Empty skips
	// the check (the caller acts as the account itself, as Workflows does).
	AgentProject string
	Deadline     time.Duration // for network calls; 0 means 180s
	At           time.Time     // attempt time; zero means the emulator's clock
}

// internalCallKey marks requests made by an emulated Google service, which
// Cloud Run and Cloud Functions count as internal traffic for ingress.
type internalCallKey struct{}

// isInternalCall reports whether a request was made by deliver.
func isInternalCall(r *http.Request) bool { return r.Context().Value(internalCallKey{}) != nil }

// callerNames are the product names used in attempt messages.
var callerNames = map[string]string{
	"cloudscheduler": "Cloud Scheduler",
	"cloudtasks":     "Cloud Tasks",
	"workflows":      "Workflows",
}

// deliver makes one attempt of an outbound call and records it in
// st.Attempts. A failure before anything is sent (impersonation not
// granted, account missing, target unreachable) has StatusCode 0 and an
// Error starting with the google.rpc code name ("PERMISSION_DENIED: …").
// The token itself is never recorded.
func (e *Emulator) deliver(ctx context.Context, c outboundCall) *Attempt {
	at := c.At
	if at.IsZero() {
		at = e.now()
	}
	a := &Attempt{Caller: c.Caller, Source: c.Source, Time: at.UTC(), URL: c.URL, Method: c.Method}
	defer e.recordAttempt(a)

	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" {
		a.Error = fmt.Sprintf("INVALID_ARGUMENT: target URL %q is not an absolute URL", c.URL)
		return a
	}
	authz, oauthSkipped, err := e.outboundAuthorization(c, u, a)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	h := c.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if authz != "" {
		h.Set("Authorization", authz)
	}
	if len(c.Body) > 0 && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/octet-stream")
	}

	var status int
	var respBody []byte
	var reason string
	switch {
	case isEmulatedHostName(u.Host):
		status, respBody, reason = e.dispatchInProcess(ctx, c, u, h)
	case isLoopbackHost(u.Hostname()):
		status, respBody, err = dispatchLoopback(ctx, c, u, h)
		if err != nil {
			a.Error = err.Error()
			return a
		}
	default:
		a.Error = fmt.Sprintf("UNAVAILABLE: network unreachable from the emulator: it calls only emulated hosts (*.localhost, *.googleapis.com) and loopback addresses, and %s is neither; nothing was sent", u.Host)
		return a
	}
	a.StatusCode = status
	if len(respBody) > maxResponseKept {
		respBody = respBody[:maxResponseKept]
	}
	a.Response = string(respBody)
	if status < 200 || status > 299 {
		a.Error = fmt.Sprintf("the target answered HTTP %d %s", status, http.StatusText(status))
		if reason != "" {
			a.Error += ": " + reason
		}
		if oauthSkipped && (status == http.StatusUnauthorized || status == http.StatusForbidden) {
			a.Error += " (no token was sent: OAuth tokens are only attached for *.googleapis.com targets; use an OIDC token with the service's root URL as audience)"
		}
	}
	return a
}

// outboundAuthorization checks impersonation and mints the call's token. It
// returns the Authorization header value ("" for none) and whether an OAuth
// token was left out because the target is not a Google API host.
func (e *Emulator) outboundAuthorization(c outboundCall, u *url.URL, a *Attempt) (string, bool, error) {
	switch c.Token.Kind {
	case "":
		return "", false, nil
	case "oauth":
		if !gcpnames.IsGoogleAPIHost(u.Host) {
			return "", true, nil
		}
	case "oidc":
	default:
		return "", false, fmt.Errorf("INVALID_ARGUMENT: unknown token kind %q", c.Token.Kind)
	}
	email := strings.ToLower(c.Token.ServiceAccount)
	if err := e.checkImpersonation(c, email); err != nil {
		return "", false, err
	}
	if c.Token.Kind == "oidc" {
		aud := c.Token.Audience
		if aud == "" {
			aud = c.URL
		}
		tok, err := e.mintIDToken(email, aud)
		if err != nil {
			return "", false, fmt.Errorf("PERMISSION_DENIED: could not mint an ID token for %s: %v; nothing was sent", email, err)
		}
		a.TokenType, a.Identity, a.Audience = "oidc", email, aud
		return "Bearer " + tok, false, nil
	}
	scopes := c.Token.Scopes
	if len(scopes) == 0 {
		scopes = []string{defaultAccessScope}
	}
	tok, _, err := e.mintAccessToken(email, scopes)
	if err != nil {
		return "", false, fmt.Errorf("PERMISSION_DENIED: could not mint an access token for %s: %v; nothing was sent", email, err)
	}
	a.TokenType, a.Identity = "oauth", email
	return "Bearer " + tok, false, nil
}

// impersonationRoles are the roles that let a service agent mint tokens
// for an account.
func impersonationRoles(caller string) []string {
	return []string{"roles/iam.serviceAccountTokenCreator", "roles/" + caller + ".serviceAgent"}
}

// checkImpersonation verifies, as Google does before attaching a token,
// that the account exists and that the caller's service agent may mint
// tokens for it: a token-creator or service-agent role on the account's
// policy or on its project's policy.
func (e *Emulator) checkImpersonation(c outboundCall, email string) error {
	product := callerNames[c.Caller]
	if product == "" {
		product = c.Caller
	}
	return e.read(func(st *State) error {
		sa := st.serviceAccount(email)
		if sa == nil {
			return fmt.Errorf("PERMISSION_DENIED: service account %s does not exist, so %s cannot mint a token for it; nothing was sent", email, product)
		}
		if sa.Disabled {
			return fmt.Errorf("PERMISSION_DENIED: service account %s is disabled, so %s cannot mint a token for it; nothing was sent", email, product)
		}
		if c.AgentProject == "" {
			return nil
		}
		p := st.project(c.AgentProject)
		if p == nil {
			return fmt.Errorf("PERMISSION_DENIED: project %s does not exist; nothing was sent", c.AgentProject)
		}
		agent := serviceAgentEmail(p.ProjectNumber, c.Caller)
		member := "serviceAccount:" + agent
		roles := impersonationRoles(c.Caller)
		for _, res := range []string{sa.Name, "projects/" + sa.ProjectId} {
			for _, role := range roles {
				if st.hasRole(res, role, member) {
					return nil
				}
			}
		}
		return fmt.Errorf("PERMISSION_DENIED: the %s service agent %s may not mint tokens for %s: grant it %s (or %s) on %s, or on project %s; nothing was sent",
			product, agent, email, roles[0], roles[1], sa.Name, sa.ProjectId)
	})
}

// dispatchInProcess serves a call to an emulated host with the emulator's
// own handler: no network. The reason is the gateway's explanation of a
// refusal (X-Emulator-Reason).
func (e *Emulator) dispatchInProcess(ctx context.Context, c outboundCall, u *url.URL, h http.Header) (int, []byte, string) {
	ctx = context.WithValue(ctx, internalCallKey{}, c.Caller)
	req, err := http.NewRequestWithContext(ctx, c.Method, u.String(), bytes.NewReader(c.Body))
	if err != nil {
		return http.StatusBadRequest, []byte(err.Error()), ""
	}
	req.Header = h
	req.Host = u.Host
	req.RequestURI = u.RequestURI()
	req.RemoteAddr = "127.0.0.1:0"
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes(), rec.Header().Get(gatewayReasonHeader)
}

// isLoopbackHost reports whether a host name is a loopback address or
// "localhost" (no DNS lookups: the sandbox allows no other traffic).
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// dispatchLoopback calls a loopback target over the network, refusing to
// dial anything but loopback addresses (redirects are not followed).
func dispatchLoopback(ctx context.Context, c outboundCall, u *url.URL, h http.Header) (int, []byte, error) {
	deadline := c.Deadline
	if deadline <= 0 {
		deadline = 180 * time.Second
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	client := &http.Client{
		Timeout: deadline,
		Transport: &http.Transport{
			Proxy: nil,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				host, _, err := net.SplitHostPort(addr)
				if err != nil || !isLoopbackHost(host) {
					return nil, fmt.Errorf("refusing to dial %s: not a loopback address", addr)
				}
				return dialer.DialContext(ctx, network, addr)
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, c.Method, u.String(), bytes.NewReader(c.Body))
	if err != nil {
		return 0, nil, fmt.Errorf("INVALID_ARGUMENT: %v", err)
	}
	req.Header = h
	resp, err := client.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return 0, nil, fmt.Errorf("DEADLINE_EXCEEDED: the target did not answer within the attempt deadline %s", deadline)
		}
		return 0, nil, fmt.Errorf("UNAVAILABLE: calling %s failed: %v", u.Host, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseKept+1))
	return resp.StatusCode, body, nil
}

// recordAttempt appends an attempt to the state, dropping the oldest beyond
// maxAttemptsKept.
func (e *Emulator) recordAttempt(a *Attempt) {
	c := *a
	_ = e.mutate(func(st *State) error {
		st.Attempts = append(st.Attempts, &c)
		if over := len(st.Attempts) - maxAttemptsKept; over > 0 {
			st.Attempts = append([]*Attempt(nil), st.Attempts[over:]...)
		}
		return nil
	})
}

// attemptStatus is the google.rpc status Google reports for an attempt: OK
// for a 2xx answer, the code mapped from the HTTP status otherwise, or the
// code named at the start of Error when nothing was sent.
func attemptStatus(a *Attempt) (int, string) {
	if a.StatusCode != 0 {
		if a.StatusCode >= 200 && a.StatusCode <= 299 {
			return 0, ""
		}
		return rpcCodeForHTTP(a.StatusCode), a.Error
	}
	if name, msg, ok := strings.Cut(a.Error, ": "); ok {
		if code, known := grpcCode[name]; known {
			return code, msg
		}
	}
	return grpcCode["UNKNOWN"], a.Error
}

// rpcCodeForHTTP maps a target's HTTP status to a google.rpc code.
func rpcCodeForHTTP(status int) int {
	switch status {
	case 400:
		return grpcCode["INVALID_ARGUMENT"]
	case 401:
		return grpcCode["UNAUTHENTICATED"]
	case 403:
		return grpcCode["PERMISSION_DENIED"]
	case 404:
		return grpcCode["NOT_FOUND"]
	case 409:
		return grpcCode["ABORTED"]
	case 412:
		return grpcCode["FAILED_PRECONDITION"]
	case 429:
		return grpcCode["RESOURCE_EXHAUSTED"]
	case 499:
		return grpcCode["CANCELLED"]
	case 500:
		return grpcCode["INTERNAL"]
	case 501:
		return grpcCode["UNIMPLEMENTED"]
	case 503:
		return grpcCode["UNAVAILABLE"]
	case 504:
		return grpcCode["DEADLINE_EXCEEDED"]
	}
	return grpcCode["UNKNOWN"]
}
