package emulator

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	scheduler "google.golang.org/api/cloudscheduler/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/cron"
)

// Cloud Scheduler v1: jobs under projects/P/locations/L/jobs. What Google
// validates is validated here with its messages; output-only fields (state,
// status, scheduleTime, lastAttemptTime, userUpdateTime) are set by the
// emulator and ignored in input. Execution lives in executor.go.

func init() {
	registerAPI(func(e *Emulator) {
		const jobs = "/v1/projects/{project}/locations/{location}/jobs"
		e.handle("POST", jobs, "cloudscheduler.jobs.create", e.schedCreate)
		e.handle("GET", jobs, "cloudscheduler.jobs.list", e.schedList)
		e.handle("GET", jobs+"/{job}", "cloudscheduler.jobs.get", e.schedGet)
		e.handle("PATCH", jobs+"/{job}", "cloudscheduler.jobs.patch", e.schedPatch)
		e.handle("DELETE", jobs+"/{job}", "cloudscheduler.jobs.delete", e.schedDelete)
		e.handle("POST", jobs+"/{job}:pause", "cloudscheduler.jobs.pause", e.schedPause)
		e.handle("POST", jobs+"/{job}:resume", "cloudscheduler.jobs.resume", e.schedResume)
		e.handle("POST", jobs+"/{job}:run", "cloudscheduler.jobs.run", e.schedRun)
		e.startJobRunner()
	})
}

// Defaults Google applies to a job.
const (
	defaultJobTimeZone        = "Etc/UTC"
	defaultAttemptDeadline    = "180s"
	defaultMinBackoff         = "5s"
	defaultMaxBackoff         = "3600s"
	defaultMaxDoublings       = 5
	defaultMaxRetryDuration   = "0s"
	jobStateEnabled           = "ENABLED"
	jobStatePaused            = "PAUSED"
	maxJobIDLength            = 500
	maxJobDescriptionLength   = 500
	maxHTTPTargetURILength    = 2083
	minHTTPAttemptDeadline    = 15 * time.Second
	maxHTTPAttemptDeadline    = 30 * time.Minute
	maxSchedulerRetryCount    = 5
	defaultSchedulerPageSize  = 500
	schedulerJobNameFormatMsg = `Job name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/jobs/<JOB_ID>".`
)

var (
	jobIDRe    = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	locationRe = regexp.MustCompile(`^[a-z]+(-[a-z]+)+[0-9]+$`)
)

// httpMethods are the values of google.cloud.scheduler.v1.HttpMethod.
var httpMethods = map[string]bool{
	"POST": true, "GET": true, "HEAD": true, "PUT": true, "DELETE": true, "PATCH": true, "OPTIONS": true,
}

// schedParent resolves the project and location of a request and returns
// the canonical parent "projects/ID/locations/L".
func schedParent(st *State, project, location, permission string) (string, error) {
	p, err := st.requireProject(project, permission)
	if err != nil {
		return "", err
	}
	if !locationRe.MatchString(location) {
		return "", errInvalid("Location %q is not a valid Cloud Scheduler location; use a region such as \"us-central1\".", location)
	}
	return "projects/" + p.ProjectID + "/locations/" + location, nil
}

// schedJobName resolves the job addressed by a request.
func schedJobName(st *State, r *request, permission string) (string, error) {
	parent, err := schedParent(st, r.Param("project"), r.Param("location"), permission)
	if err != nil {
		return "", err
	}
	return parent + "/jobs/" + r.Param("job"), nil
}

func errJobNotFound(name string) *apiError { return errNotFound("Job not found: %s.", name) }

func (e *Emulator) schedCreate(r *request) (any, error) {
	_, job, err := decodeJob(r)
	if err != nil {
		return nil, err
	}
	var out *scheduler.Job
	err = e.mutate(func(st *State) error {
		parent, err := schedParent(st, r.Param("project"), r.Param("location"), "cloudscheduler.jobs.create")
		if err != nil {
			return err
		}
		name, err := jobNameUnder(st, parent, job.Name)
		if err != nil {
			return err
		}
		if name == "" {
			name = fmt.Sprintf("%s/jobs/job-%d", parent, st.nextSeq())
		}
		if _, ok := st.Jobs[name]; ok {
			return errAlreadyExists("Job %s already exists.", name)
		}
		clearJobOutputs(job)
		job.Name = name
		applyJobDefaults(job)
		if err := validateJob(job); err != nil {
			return err
		}
		now := e.now()
		job.State = jobStateEnabled
		job.UserUpdateTime = formatTime(now)
		job.ScheduleTime = nextScheduleTime(job, now)
		st.Jobs[name] = job
		out = deepCopyJSON(job)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// jobNameUnder checks a caller-set job name against the parent of the
// request and returns it in canonical form ("" when the caller set none).
func jobNameUnder(st *State, parent, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	parts := strings.Split(name, "/")
	if len(parts) != 6 || parts[0] != "projects" || parts[2] != "locations" || parts[4] != "jobs" {
		return "", errInvalid("%s Got %q.", schedulerJobNameFormatMsg, name)
	}
	id := parts[5]
	if id == "" || len(id) > maxJobIDLength || !jobIDRe.MatchString(id) {
		return "", errInvalid("Invalid job id %q: a job id can contain only letters ([A-Za-z]), numbers ([0-9]), hyphens (-) or underscores (_), and at most %d characters.", id, maxJobIDLength)
	}
	p := st.project(parts[1])
	if p == nil || "projects/"+p.ProjectID+"/locations/"+parts[3] != parent {
		return "", errInvalid("Job name %s is not under the parent %s of the request.", name, parent)
	}
	return parent + "/jobs/" + id, nil
}

func (e *Emulator) schedGet(r *request) (any, error) {
	return readOne(e, func(st *State) (*scheduler.Job, error) {
		name, err := schedJobName(st, r, "cloudscheduler.jobs.get")
		if err != nil {
			return nil, err
		}
		job, ok := st.Jobs[name]
		if !ok {
			return nil, errJobNotFound(name)
		}
		return deepCopyJSON(job), nil
	})
}

func (e *Emulator) schedList(r *request) (any, error) {
	pageSize, offset, err := pageArgs(r, defaultSchedulerPageSize)
	if err != nil {
		return nil, err
	}
	resp := &scheduler.ListJobsResponse{}
	err = e.read(func(st *State) error {
		parent, err := schedParent(st, r.Param("project"), r.Param("location"), "cloudscheduler.jobs.list")
		if err != nil {
			return err
		}
		page, next := offsetPage(namesUnder(st.Jobs, parent+"/jobs/"), offset, pageSize)
		for _, name := range page {
			resp.Jobs = append(resp.Jobs, deepCopyJSON(st.Jobs[name]))
		}
		resp.NextPageToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func (e *Emulator) schedPatch(r *request) (any, error) {
	raw, _, err := decodeJob(r)
	if err != nil {
		return nil, err
	}
	paths, err := jobUpdatePaths(r.Query("updateMask"), raw)
	if err != nil {
		return nil, err
	}
	var out *scheduler.Job
	err = e.mutate(func(st *State) error {
		name, err := schedJobName(st, r, "cloudscheduler.jobs.update")
		if err != nil {
			return err
		}
		cur, ok := st.Jobs[name]
		if !ok {
			return errJobNotFound(name)
		}
		job, err := applyJobMask(cur, raw, paths)
		if err != nil {
			return err
		}
		job.Name = name
		applyJobDefaults(job)
		if err := validateJob(job); err != nil {
			return err
		}
		now := e.now()
		job.UserUpdateTime = formatTime(now)
		if job.State == jobStateEnabled {
			job.ScheduleTime = nextScheduleTime(job, now)
			e.jobRunner().forgetRetry(name)
		}
		st.Jobs[name] = job
		out = deepCopyJSON(job)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (e *Emulator) schedDelete(r *request) (any, error) {
	err := e.mutate(func(st *State) error {
		name, err := schedJobName(st, r, "cloudscheduler.jobs.delete")
		if err != nil {
			return err
		}
		if _, ok := st.Jobs[name]; !ok {
			return errJobNotFound(name)
		}
		delete(st.Jobs, name)
		e.jobRunner().forgetRetry(name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func (e *Emulator) schedPause(r *request) (any, error) {
	return e.schedTransition(r, "cloudscheduler.jobs.pause", jobStateEnabled, jobStatePaused, "pause")
}

func (e *Emulator) schedResume(r *request) (any, error) {
	return e.schedTransition(r, "cloudscheduler.jobs.resume", jobStatePaused, jobStateEnabled, "resume")
}

// schedTransition moves a job from one state to another, failing with
// FAILED_PRECONDITION when it is not in the state the verb needs.
func (e *Emulator) schedTransition(r *request, permission, from, to, verb string) (any, error) {
	if err := r.Decode(&struct{}{}); err != nil {
		return nil, err
	}
	var out *scheduler.Job
	err := e.mutate(func(st *State) error {
		name, err := schedJobName(st, r, permission)
		if err != nil {
			return err
		}
		job, ok := st.Jobs[name]
		if !ok {
			return errJobNotFound(name)
		}
		if job.State != from {
			return errFailedPrecondition("Job %s is %s; only a job in state %s can be %sd.", name, job.State, from, verb)
		}
		job.State = to
		e.jobRunner().forgetRetry(name)
		if to == jobStateEnabled {
			job.ScheduleTime = nextScheduleTime(job, e.now())
		}
		out = deepCopyJSON(job)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// schedRun forces a job to run now. The attempt is made before answering,
// so the returned job already shows lastAttemptTime and status.
func (e *Emulator) schedRun(r *request) (any, error) {
	if err := r.Decode(&struct{}{}); err != nil {
		return nil, err
	}
	var name string
	err := e.read(func(st *State) error {
		n, err := schedJobName(st, r, "cloudscheduler.jobs.run")
		if err != nil {
			return err
		}
		if _, ok := st.Jobs[n]; !ok {
			return errJobNotFound(n)
		}
		name = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	e.runJob(r.Context(), name, fireManual, time.Time{})
	return e.schedGet(r)
}

// decodeJob reads a Job body both as the typed struct and as a JSON object
// (the object tells which fields the caller sent, for update masks). Body
// bytes that are not base64 fail as Google's JSON parser fails them.
func decodeJob(r *request) (map[string]any, *scheduler.Job, error) {
	raw, job, err := decodeBody[scheduler.Job](r)
	if err != nil {
		return nil, nil, err
	}
	// A body setting two members of a oneof fails to parse at Google,
	// whatever the update mask says.
	if t := job.HttpTarget; t != nil && t.OidcToken != nil && t.OauthToken != nil {
		return nil, nil, errOneofTokens()
	}
	return raw, job, nil
}

func errOneofTokens() *apiError {
	return errInvalid("Invalid JSON payload received. Oneof field 'authorization_header' is already set. Cannot set 'oidcToken': a job carries either an oauthToken or an oidcToken, not both.")
}

// clearJobOutputs drops the output-only fields a caller sent.
func clearJobOutputs(job *scheduler.Job) {
	job.State, job.Status, job.ScheduleTime, job.LastAttemptTime, job.UserUpdateTime = "", nil, "", "", ""
	job.SatisfiesPzs = false
}

// applyJobDefaults fills what Google fills when a field is left unset.
func applyJobDefaults(job *scheduler.Job) {
	if job.TimeZone == "" {
		job.TimeZone = defaultJobTimeZone
	}
	if t := job.HttpTarget; t != nil {
		if t.HttpMethod == "" || t.HttpMethod == "HTTP_METHOD_UNSPECIFIED" {
			t.HttpMethod = "POST"
		}
		if job.AttemptDeadline == "" {
			job.AttemptDeadline = defaultAttemptDeadline
		}
	}
	if job.RetryConfig == nil {
		job.RetryConfig = &scheduler.RetryConfig{}
	}
	rc := job.RetryConfig
	if rc.MinBackoffDuration == "" {
		rc.MinBackoffDuration = defaultMinBackoff
	}
	if rc.MaxBackoffDuration == "" {
		rc.MaxBackoffDuration = defaultMaxBackoff
	}
	if rc.MaxDoublings == 0 {
		rc.MaxDoublings = defaultMaxDoublings
	}
	if rc.MaxRetryDuration == "" {
		rc.MaxRetryDuration = defaultMaxRetryDuration
	}
}

// forbiddenJobHeader reports whether a user header is one Cloud Scheduler
// refuses because it sets it itself.
func forbiddenJobHeader(h string) bool {
	l := strings.ToLower(h)
	return l == "content-length" || l == "host" || strings.HasPrefix(l, "x-google-") || strings.HasPrefix(l, "x-appengine-")
}

// validateJob checks a job (defaults applied) as Cloud Scheduler does.
func validateJob(job *scheduler.Job) error {
	if len([]rune(job.Description)) > maxJobDescriptionLength {
		return errInvalid("Job description must not contain more than %d characters.", maxJobDescriptionLength)
	}
	if strings.TrimSpace(job.Schedule) == "" {
		return errInvalid("Schedule is required: set schedule to a unix-cron expression such as \"*/5 * * * *\".")
	}
	if _, err := cron.Parse(job.Schedule); err != nil {
		return errInvalid("Schedule or time zone is invalid: %v.", err)
	}
	if _, err := jobLocation(job.TimeZone); err != nil {
		return errInvalid("Schedule or time zone is invalid: %v.", err)
	}
	targets := 0
	for _, set := range []bool{job.HttpTarget != nil, job.PubsubTarget != nil, job.AppEngineHttpTarget != nil} {
		if set {
			targets++
		}
	}
	switch {
	case targets == 0:
		return errInvalid("Job must have a target: set httpTarget, pubsubTarget or appEngineHttpTarget.")
	case targets > 1:
		return errInvalid("Invalid JSON payload received. Oneof field 'target' is already set: a job has exactly one of httpTarget, pubsubTarget and appEngineHttpTarget.")
	}
	if job.HttpTarget != nil {
		if err := validateHTTPTarget(job.HttpTarget); err != nil {
			return err
		}
		d, err := parseDuration(job.AttemptDeadline, "job.attempt_deadline")
		if err != nil {
			return err
		}
		if d < minHTTPAttemptDeadline || d > maxHTTPAttemptDeadline {
			return errInvalid("attemptDeadline %s is out of range: for HTTP targets it must be between 15s and 1800s (30 minutes).", job.AttemptDeadline)
		}
	}
	if job.PubsubTarget != nil && job.PubsubTarget.TopicName == "" {
		return errInvalid("PubsubTarget.topicName is required.")
	}
	return validateRetryConfig(job.RetryConfig)
}

func validateHTTPTarget(t *scheduler.HttpTarget) error {
	if t.Uri == "" {
		return errInvalid("HttpTarget.uri is required.")
	}
	u, err := url.Parse(t.Uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errInvalid("Invalid HttpTarget.uri %q: it must be an absolute URL beginning with \"http://\" or \"https://\".", t.Uri)
	}
	if len(t.Uri) > maxHTTPTargetURILength {
		return errInvalid("HttpTarget.uri is longer than %d characters.", maxHTTPTargetURILength)
	}
	if !httpMethods[t.HttpMethod] {
		return errInvalid("Invalid value at 'job.http_target.http_method' (type.googleapis.com/google.cloud.scheduler.v1.HttpMethod), %q", t.HttpMethod)
	}
	if t.Body != "" {
		if _, err := base64.StdEncoding.DecodeString(t.Body); err != nil {
			return errInvalid("Invalid value at 'job.http_target.body' (TYPE_BYTES), Base64 decoding failed for %q", t.Body)
		}
		switch t.HttpMethod {
		case "POST", "PUT", "PATCH":
		default:
			return errInvalid("HttpTarget.body is only allowed for HTTP methods POST, PUT and PATCH; httpMethod is %s.", t.HttpMethod)
		}
	}
	for h := range t.Headers {
		if forbiddenJobHeader(h) {
			return errInvalid("Header %q cannot be set on an HTTP target: Cloud Scheduler sets it.", h)
		}
	}
	if t.OidcToken != nil && t.OauthToken != nil {
		return errOneofTokens()
	}
	if t.OidcToken != nil && !emailRe.MatchString(t.OidcToken.ServiceAccountEmail) {
		return errInvalid("HttpTarget.oidcToken.serviceAccountEmail must be a service account email; got %q.", t.OidcToken.ServiceAccountEmail)
	}
	if t.OauthToken != nil && !emailRe.MatchString(t.OauthToken.ServiceAccountEmail) {
		return errInvalid("HttpTarget.oauthToken.serviceAccountEmail must be a service account email; got %q.", t.OauthToken.ServiceAccountEmail)
	}
	return nil
}

func validateRetryConfig(rc *scheduler.RetryConfig) error {
	if rc.RetryCount < 0 || rc.RetryCount > maxSchedulerRetryCount {
		return errInvalid("retryConfig.retryCount %d is out of range: it must be between 0 and %d.", rc.RetryCount, maxSchedulerRetryCount)
	}
	if rc.MaxDoublings < 0 {
		return errInvalid("retryConfig.maxDoublings must not be negative; got %d.", rc.MaxDoublings)
	}
	minB, err := parseDuration(rc.MinBackoffDuration, "job.retry_config.min_backoff_duration")
	if err != nil {
		return err
	}
	maxB, err := parseDuration(rc.MaxBackoffDuration, "job.retry_config.max_backoff_duration")
	if err != nil {
		return err
	}
	if _, err := parseDuration(rc.MaxRetryDuration, "job.retry_config.max_retry_duration"); err != nil {
		return err
	}
	if minB > maxB {
		return errInvalid("retryConfig.minBackoffDuration (%s) must not be greater than retryConfig.maxBackoffDuration (%s).", rc.MinBackoffDuration, rc.MaxBackoffDuration)
	}
	return nil
}

// parseDuration reads a google.protobuf.Duration in JSON form ("180s",
// "1.5s"). field is the proto path used in the error message.
func parseDuration(s, field string) (time.Duration, error) {
	bad := errInvalid("Invalid value at '%s' (type.googleapis.com/google.protobuf.Duration), %q", field, s)
	num, ok := strings.CutSuffix(s, "s")
	if !ok || num == "" {
		return 0, bad
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 || strings.ContainsAny(num, "eE+") {
		return 0, bad
	}
	return time.Duration(f * float64(time.Second)), nil
}

// jobLocation loads a job's time zone; Google also accepts "utc".
func jobLocation(tz string) (*time.Location, error) {
	if strings.EqualFold(tz, "utc") {
		return time.UTC, nil
	}
	return cron.LoadTimeZone(tz)
}

// nextScheduleTime is the job's next cron fire time after now, formatted for
// the wire, or "" when it cannot be computed.
func nextScheduleTime(job *scheduler.Job, now time.Time) string {
	t := nextFire(job, now)
	if t.IsZero() {
		return ""
	}
	return formatTime(t)
}

// nextFire is the job's next cron fire time strictly after after.
func nextFire(job *scheduler.Job, after time.Time) time.Time {
	s, err := cron.Parse(job.Schedule)
	if err != nil {
		return time.Time{}
	}
	loc, err := jobLocation(job.TimeZone)
	if err != nil {
		return time.Time{}
	}
	return s.Next(after, loc)
}

// formatTime formats a timestamp as Google does (RFC 3339, UTC).
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// jobOutputFields are read-only; update masks naming them are ignored.
var jobOutputFields = map[string]bool{
	"name": true, "state": true, "status": true, "scheduleTime": true, "lastAttemptTime": true,
	"userUpdateTime": true, "satisfiesPzs": true,
}

// jobUpdatableFields are the top-level fields an update mask may name.
var jobUpdatableFields = map[string]bool{
	"description": true, "schedule": true, "timeZone": true, "httpTarget": true, "pubsubTarget": true,
	"appEngineHttpTarget": true, "retryConfig": true, "attemptDeadline": true,
}

// jobUpdatePaths turns an update mask into camelCase field paths. An empty
// mask means every updatable field present in the body.
func jobUpdatePaths(mask string, raw map[string]any) ([]string, error) {
	var paths []string
	if strings.TrimSpace(mask) == "" {
		for k := range raw {
			if jobUpdatableFields[k] {
				paths = append(paths, k)
			}
		}
		sort.Strings(paths)
		return paths, nil
	}
	return maskPaths(mask, jobOutputFields, func(p string, segs []string) error {
		if !jobUpdatableFields[segs[0]] || (len(segs) > 1 && !strings.HasSuffix(segs[0], "Target") && segs[0] != "retryConfig") {
			return errInvalid("Invalid update mask path %q: Job has no updatable field %q.", p, strings.Join(segs, "."))
		}
		return nil
	})
}

// oneofSiblings are the fields cleared when a member of their oneof is set.
var oneofSiblings = map[string][]string{
	"httpTarget":            {"pubsubTarget", "appEngineHttpTarget"},
	"pubsubTarget":          {"httpTarget", "appEngineHttpTarget"},
	"appEngineHttpTarget":   {"httpTarget", "pubsubTarget"},
	"httpTarget.oidcToken":  {"httpTarget.oauthToken"},
	"httpTarget.oauthToken": {"httpTarget.oidcToken"},
}

// applyJobMask copies the masked paths of the patch onto a copy of the
// stored job: a path absent from the patch is cleared.
func applyJobMask(cur *scheduler.Job, patch map[string]any, paths []string) (*scheduler.Job, error) {
	return applyMask(cur, patch, paths, oneofSiblings)
}
