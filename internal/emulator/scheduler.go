package emulator

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	scheduler "google.golang.org/api/cloudscheduler/v1"
)

// Cloud Scheduler v1: jobs under projects/P/locations/L/jobs. What Google
// validates is validated here with its messages; output-only fields (state,
// status, scheduleTime, lastAttemptTime, userUpdateTime) are set by the
// emulator and ignored in input. Execution lives in executor*.go.

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

// schedTransition moves a job from one state to another. A job already in
// the target state is returned unchanged: Google answers resume of an
// ENABLED job (the Google provider resumes every job right after creating
// it) and pause of a PAUSED job with the job. Any other state (DISABLED,
// UPDATE_FAILED) fails with FAILED_PRECONDITION.
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
		if job.State == to {
			out = deepCopyJSON(job)
			return nil
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
