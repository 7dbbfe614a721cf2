package emulator

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	scheduler "google.golang.org/api/cloudscheduler/v1"
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
