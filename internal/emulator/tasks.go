package emulator

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	tasks "google.golang.org/api/cloudtasks/v2"
)

// Cloud Tasks v2: queues under projects/P/locations/L/queues (create, get,
// list, patch with updateMask — an upsert, as at Google —, delete, pause,
// resume, purge, IAM) and their HTTP tasks (create, get, list, delete,
// run). A task is dispatched when it is due and its queue is RUNNING: on
// create, on resume, on tasks.run, and with Options.ExecuteSchedules by a
// loop every second (retries). Dispatch goes through deliver: the Cloud
// Tasks service agent must be allowed to mint tokens for the account.
// A task that got a 2xx answer is deleted, as at Google.

func init() {
	registerAPI(func(e *Emulator) {
		const queues = "/v2/projects/{project}/locations/{location}/queues"
		const queue = queues + "/{queue}"
		e.handle("POST", queues, "cloudtasks.queues.create", e.tasksCreateQueue)
		e.handle("GET", queues, "cloudtasks.queues.list", e.tasksListQueues)
		e.handle("GET", queue, "cloudtasks.queues.get", e.tasksGetQueue)
		e.handle("PATCH", queue, "cloudtasks.queues.patch", e.tasksPatchQueue)
		e.handle("DELETE", queue, "cloudtasks.queues.delete", e.tasksDeleteQueue)
		e.handle("POST", queue+":pause", "cloudtasks.queues.pause", e.tasksPauseQueue)
		e.handle("POST", queue+":resume", "cloudtasks.queues.resume", e.tasksResumeQueue)
		e.handle("POST", queue+":purge", "cloudtasks.queues.purge", e.tasksPurgeQueue)
		e.registerIAMMethods("cloudtasks.queues", queue, "POST", queueIAM, e.queueResource, e.queueExists)
		e.handle("POST", queue+"/tasks", "cloudtasks.tasks.create", e.tasksCreateTask)
		e.handle("GET", queue+"/tasks", "cloudtasks.tasks.list", e.tasksListTasks)
		e.handle("GET", queue+"/tasks/{task}", "cloudtasks.tasks.get", e.tasksGetTask)
		e.handle("DELETE", queue+"/tasks/{task}", "cloudtasks.tasks.delete", e.tasksDeleteTask)
		e.handle("POST", queue+"/tasks/{task}:run", "cloudtasks.tasks.run", e.tasksRunTask)
		e.startTaskLoop()
	})
}

// Defaults and limits of Cloud Tasks queues and tasks.
const (
	queueStateRunning        = "RUNNING"
	queueStatePaused         = "PAUSED"
	defaultQueueRate         = 500
	maxQueueRate             = 500
	defaultQueueBurst        = 100
	defaultQueueConcurrent   = 1000
	maxQueueConcurrent       = 5000
	defaultQueueMaxAttempts  = 100
	defaultQueueMinBackoff   = "0.100s"
	defaultQueueMaxBackoff   = "3600s"
	defaultQueueMaxDoublings = 16
	defaultDispatchDeadline  = "600s"
	minDispatchDeadline      = 15 * time.Second
	maxDispatchDeadline      = 30 * time.Minute
	cloudTasksUserAgent      = "Google-Cloud-Tasks"
)

var (
	queueIDRe = regexp.MustCompile(`^[A-Za-z0-9-]{1,100}$`)
	taskIDRe  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,500}$`)
)

// queueIAM: Cloud Tasks accepts any role on a queue; these permissions are
// known to testIamPermissions.
var queueIAM = &iamKind{
	name:  "cloudtasks.queue",
	roles: queueGrantable,
	permissions: map[string]string{
		"cloudtasks.tasks.create":        "roles/cloudtasks.enqueuer",
		"cloudtasks.tasks.run":           "roles/cloudtasks.taskRunner",
		"cloudtasks.tasks.delete":        "roles/cloudtasks.taskDeleter",
		"cloudtasks.queues.get":          "roles/cloudtasks.viewer",
		"cloudtasks.queues.update":       "roles/cloudtasks.queueAdmin",
		"cloudtasks.queues.getIamPolicy": "roles/cloudtasks.viewer",
		"cloudtasks.queues.setIamPolicy": "roles/cloudtasks.admin",
	},
	writerRole: "roles/cloudtasks.enqueuer",
}

// queueParent resolves "projects/ID/locations/L" of a request.
func queueParent(st *State, r *request, permission string) (string, error) {
	p, err := st.requireProject(r.Param("project"), permission)
	if err != nil {
		return "", err
	}
	loc := r.Param("location")
	if !locationRe.MatchString(loc) {
		return "", errInvalid("Location %q is not a valid Cloud Tasks location; use a region such as \"us-central1\".", loc)
	}
	return "projects/" + p.ProjectID + "/locations/" + loc, nil
}

// queueName resolves the queue a request addresses.
func queueName(st *State, r *request, permission string) (string, error) {
	parent, err := queueParent(st, r, permission)
	if err != nil {
		return "", err
	}
	return parent + "/queues/" + r.Param("queue"), nil
}

func errQueueNotFound(name string) *apiError {
	return errNotFound("Queue %s does not exist. If you just created the queue, wait at least a minute for the queue to initialize.", name)
}

// lookupQueue finds the queue a request addresses.
func lookupQueue(st *State, r *request, permission string) (*tasks.Queue, string, error) {
	name, err := queueName(st, r, permission)
	if err != nil {
		return nil, "", err
	}
	q, ok := st.Queues[name]
	if !ok {
		return nil, name, errQueueNotFound(name)
	}
	return q, name, nil
}

func (e *Emulator) queueResource(r *request) string {
	name := ""
	_ = e.read(func(st *State) error {
		name, _ = queueName(st, r, r.method)
		return nil
	})
	return name
}

func (e *Emulator) queueExists(r *request) func(st *State) error {
	return func(st *State) error {
		_, _, err := lookupQueue(st, r, r.method)
		return err
	}
}

func (e *Emulator) tasksCreateQueue(r *request) (any, error) {
	_, q, err := decodeQueue(r)
	if err != nil {
		return nil, err
	}
	var out *tasks.Queue
	err = e.mutate(func(st *State) error {
		parent, err := queueParent(st, r, "cloudtasks.queues.create")
		if err != nil {
			return err
		}
		name, err := queueNameUnder(st, parent, q.Name)
		if err != nil {
			return err
		}
		if _, ok := st.Queues[name]; ok {
			return errAlreadyExists("Queue %s already exists.", name)
		}
		q.Name = name
		q.State, q.PurgeTime = queueStateRunning, ""
		applyQueueDefaults(q)
		if err := validateQueue(q); err != nil {
			return err
		}
		st.Queues[name] = q
		out = deepCopyJSON(q)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queueNameUnder checks a caller-set queue name against the request parent.
func queueNameUnder(st *State, parent, name string) (string, error) {
	if name == "" {
		return "", errInvalid("Queue.name is required: \"projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID\".")
	}
	n, ok := parseLocatedName(name, "queues")
	if !ok {
		return "", errInvalid("Queue name %q must be formatted \"projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID\".", name)
	}
	if !queueIDRe.MatchString(n.id) {
		return "", errInvalid("Invalid queue id %q: it can contain only letters ([A-Za-z]), numbers ([0-9]) and hyphens (-), at most 100 characters.", n.id)
	}
	p := st.project(n.project)
	if p == nil || "projects/"+p.ProjectID+"/locations/"+n.location != parent {
		return "", errInvalid("Queue name %s is not under the parent %s of the request.", name, parent)
	}
	return parent + "/queues/" + n.id, nil
}

func (e *Emulator) tasksGetQueue(r *request) (any, error) {
	return readOne(e, func(st *State) (*tasks.Queue, error) {
		q, _, err := lookupQueue(st, r, "cloudtasks.queues.get")
		if err != nil {
			return nil, err
		}
		return deepCopyJSON(q), nil
	})
}

func (e *Emulator) tasksListQueues(r *request) (any, error) {
	pageSize, offset, err := pageArgs(r, 1000)
	if err != nil {
		return nil, err
	}
	resp := &tasks.ListQueuesResponse{}
	err = e.read(func(st *State) error {
		parent, err := queueParent(st, r, "cloudtasks.queues.list")
		if err != nil {
			return err
		}
		page, next := offsetPage(namesUnder(st.Queues, parent+"/queues/"), offset, pageSize)
		for _, name := range page {
			resp.Queues = append(resp.Queues, deepCopyJSON(st.Queues[name]))
		}
		resp.NextPageToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// queueUpdatableFields are the top-level fields an update mask may name.
var queueUpdatableFields = map[string]bool{
	"rateLimits": true, "retryConfig": true, "httpTarget": true, "appEngineRoutingOverride": true,
	"stackdriverLoggingConfig": true,
}

// queueOutputFields are read-only; masks naming them are ignored.
var queueOutputFields = map[string]bool{"name": true, "state": true, "purgeTime": true}

// queueUpdatePaths turns an update mask into camelCase paths; an empty
// mask updates every field (absent ones are reset to their defaults).
func queueUpdatePaths(mask string) ([]string, error) {
	if strings.TrimSpace(mask) == "" {
		var all []string
		for k := range queueUpdatableFields {
			all = append(all, k)
		}
		sort.Strings(all)
		return all, nil
	}
	return maskPaths(mask, queueOutputFields, func(p string, segs []string) error {
		if !queueUpdatableFields[segs[0]] {
			return errInvalid("Invalid update mask path %q: Queue has no updatable field %q.", p, segs[0])
		}
		return nil
	})
}

// tasksPatchQueue updates a queue, creating it when it does not exist
// (Cloud Tasks' UpdateQueue is an upsert).
func (e *Emulator) tasksPatchQueue(r *request) (any, error) {
	raw, _, err := decodeQueue(r)
	if err != nil {
		return nil, err
	}
	paths, err := queueUpdatePaths(r.Query("updateMask"))
	if err != nil {
		return nil, err
	}
	var out *tasks.Queue
	var resumed bool
	err = e.mutate(func(st *State) error {
		name, err := queueName(st, r, "cloudtasks.queues.update")
		if err != nil {
			return err
		}
		if !queueIDRe.MatchString(r.Param("queue")) {
			return errInvalid("Invalid queue id %q: it can contain only letters ([A-Za-z]), numbers ([0-9]) and hyphens (-), at most 100 characters.", r.Param("queue"))
		}
		cur, ok := st.Queues[name]
		if !ok {
			cur = &tasks.Queue{Name: name, State: queueStateRunning}
		}
		q, err := applyQueueMask(cur, raw, paths)
		if err != nil {
			return err
		}
		q.Name, q.State, q.PurgeTime = name, cur.State, cur.PurgeTime
		applyQueueDefaults(q)
		if err := validateQueue(q); err != nil {
			return err
		}
		st.Queues[name] = q
		resumed = q.State == queueStateRunning
		out = deepCopyJSON(q)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if resumed {
		e.dispatchDueInQueue(r.Context(), out.Name, e.now())
	}
	return out, nil
}

// queueOneofSiblings are the token fields cleared when the other is set.
var queueOneofSiblings = map[string][]string{
	"httpTarget.oidcToken":  {"httpTarget.oauthToken"},
	"httpTarget.oauthToken": {"httpTarget.oidcToken"},
}

func applyQueueMask(cur *tasks.Queue, patch map[string]any, paths []string) (*tasks.Queue, error) {
	return applyMask(cur, patch, paths, queueOneofSiblings)
}

func (e *Emulator) tasksDeleteQueue(r *request) (any, error) {
	err := e.mutate(func(st *State) error {
		_, name, err := lookupQueue(st, r, "cloudtasks.queues.delete")
		if err != nil {
			return err
		}
		delete(st.Queues, name)
		for tn := range st.Tasks {
			if strings.HasPrefix(tn, name+"/tasks/") {
				delete(st.Tasks, tn)
			}
		}
		delete(st.Policies, name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func (e *Emulator) tasksPauseQueue(r *request) (any, error) {
	return e.tasksSetQueueState(r, "cloudtasks.queues.pause", queueStatePaused)
}

func (e *Emulator) tasksResumeQueue(r *request) (any, error) {
	out, err := e.tasksSetQueueState(r, "cloudtasks.queues.resume", queueStateRunning)
	if err != nil {
		return nil, err
	}
	e.dispatchDueInQueue(r.Context(), out.(*tasks.Queue).Name, e.now())
	return e.tasksGetQueue(r)
}

func (e *Emulator) tasksSetQueueState(r *request, permission, state string) (any, error) {
	if err := r.Decode(&struct{}{}); err != nil {
		return nil, err
	}
	var out *tasks.Queue
	err := e.mutate(func(st *State) error {
		q, _, err := lookupQueue(st, r, permission)
		if err != nil {
			return err
		}
		q.State = state
		out = deepCopyJSON(q)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (e *Emulator) tasksPurgeQueue(r *request) (any, error) {
	if err := r.Decode(&struct{}{}); err != nil {
		return nil, err
	}
	var out *tasks.Queue
	err := e.mutate(func(st *State) error {
		q, name, err := lookupQueue(st, r, "cloudtasks.queues.purge")
		if err != nil {
			return err
		}
		for tn := range st.Tasks {
			if strings.HasPrefix(tn, name+"/tasks/") {
				delete(st.Tasks, tn)
			}
		}
		q.PurgeTime = formatTime(e.now())
		out = deepCopyJSON(q)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// decodeQueue reads a Queue body as a JSON object and as the typed struct.
func decodeQueue(r *request) (map[string]any, *tasks.Queue, error) {
	raw, q, err := decodeBody[tasks.Queue](r)
	if err != nil {
		return nil, nil, err
	}
	if t := q.HttpTarget; t != nil && t.OidcToken != nil && t.OauthToken != nil {
		return nil, nil, errInvalid("Invalid JSON payload received. Oneof field 'authorization_header' is already set: an HTTP target carries either an oauthToken or an oidcToken, not both.")
	}
	return raw, q, nil
}

// applyQueueDefaults fills what Cloud Tasks fills for unset fields.
func applyQueueDefaults(q *tasks.Queue) {
	if q.RateLimits == nil {
		q.RateLimits = &tasks.RateLimits{}
	}
	rl := q.RateLimits
	if rl.MaxDispatchesPerSecond == 0 {
		rl.MaxDispatchesPerSecond = defaultQueueRate
	}
	if rl.MaxConcurrentDispatches == 0 {
		rl.MaxConcurrentDispatches = defaultQueueConcurrent
	}
	rl.MaxBurstSize = defaultQueueBurst // output only
	if q.RetryConfig == nil {
		q.RetryConfig = &tasks.RetryConfig{}
	}
	rc := q.RetryConfig
	if rc.MaxAttempts == 0 {
		rc.MaxAttempts = defaultQueueMaxAttempts
	}
	if rc.MinBackoff == "" {
		rc.MinBackoff = defaultQueueMinBackoff
	}
	if rc.MaxBackoff == "" {
		rc.MaxBackoff = defaultQueueMaxBackoff
	}
	if rc.MaxDoublings == 0 {
		rc.MaxDoublings = defaultQueueMaxDoublings
	}
	if t := q.HttpTarget; t != nil {
		if t.HttpMethod == "HTTP_METHOD_UNSPECIFIED" {
			t.HttpMethod = ""
		}
		if o := t.UriOverride; o != nil && o.UriOverrideEnforceMode == "URI_OVERRIDE_ENFORCE_MODE_UNSPECIFIED" {
			o.UriOverrideEnforceMode = ""
		}
	}
}

// validateQueue checks a queue (defaults applied) as Cloud Tasks does.
func validateQueue(q *tasks.Queue) error {
	rl := q.RateLimits
	if rl.MaxDispatchesPerSecond < 0 || rl.MaxDispatchesPerSecond > maxQueueRate {
		return errInvalid("rateLimits.maxDispatchesPerSecond %v is out of range: it must be greater than 0 and at most %d.", rl.MaxDispatchesPerSecond, maxQueueRate)
	}
	if rl.MaxConcurrentDispatches < 0 || rl.MaxConcurrentDispatches > maxQueueConcurrent {
		return errInvalid("rateLimits.maxConcurrentDispatches %d is out of range: it must be between 1 and %d.", rl.MaxConcurrentDispatches, maxQueueConcurrent)
	}
	rc := q.RetryConfig
	if rc.MaxAttempts < -1 {
		return errInvalid("retryConfig.maxAttempts %d is invalid: use -1 for unlimited attempts or a positive number.", rc.MaxAttempts)
	}
	if rc.MaxDoublings < 0 {
		return errInvalid("retryConfig.maxDoublings must not be negative; got %d.", rc.MaxDoublings)
	}
	minB, err := parseDuration(rc.MinBackoff, "queue.retry_config.min_backoff")
	if err != nil {
		return err
	}
	maxB, err := parseDuration(rc.MaxBackoff, "queue.retry_config.max_backoff")
	if err != nil {
		return err
	}
	if rc.MaxRetryDuration != "" {
		if _, err := parseDuration(rc.MaxRetryDuration, "queue.retry_config.max_retry_duration"); err != nil {
			return err
		}
	}
	if minB > maxB {
		return errInvalid("retryConfig.minBackoff (%s) must not be greater than retryConfig.maxBackoff (%s).", rc.MinBackoff, rc.MaxBackoff)
	}
	if t := q.HttpTarget; t != nil {
		return validateQueueHTTPTarget(t)
	}
	return nil
}

func validateQueueHTTPTarget(t *tasks.HttpTarget) error {
	if t.HttpMethod != "" && !httpMethods[t.HttpMethod] {
		return errInvalid("Invalid value at 'queue.http_target.http_method' (type.googleapis.com/google.cloud.tasks.v2.HttpMethod), %q", t.HttpMethod)
	}
	if o := t.UriOverride; o != nil {
		switch o.Scheme {
		case "", "HTTP", "HTTPS":
		default:
			return errInvalid("Invalid value at 'queue.http_target.uri_override.scheme' (type.googleapis.com/google.cloud.tasks.v2.UriOverride.Scheme), %q", o.Scheme)
		}
		switch o.UriOverrideEnforceMode {
		case "", "ALWAYS", "IF_NOT_EXISTS":
		default:
			return errInvalid("Invalid value at 'queue.http_target.uri_override.uri_override_enforce_mode', %q", o.UriOverrideEnforceMode)
		}
		if o.Port < 0 || o.Port > 65535 {
			return errInvalid("uriOverride.port %d is out of range.", o.Port)
		}
		if o.Host != "" && strings.ContainsAny(o.Host, "/:?#@ ") {
			return errInvalid("uriOverride.host %q must be a host name only (no scheme, port or path).", o.Host)
		}
		if p := o.PathOverride; p != nil && p.Path != "" && !strings.HasPrefix(p.Path, "/") {
			return errInvalid("uriOverride.pathOverride.path %q must start with \"/\".", p.Path)
		}
	}
	for _, h := range t.HeaderOverrides {
		if h == nil || h.Header == nil || h.Header.Key == "" {
			return errInvalid("Each headerOverrides entry needs header.key.")
		}
		if forbiddenJobHeader(h.Header.Key) {
			return errInvalid("Header %q cannot be overridden: Cloud Tasks sets it.", h.Header.Key)
		}
	}
	if t.OidcToken != nil && !emailRe.MatchString(t.OidcToken.ServiceAccountEmail) {
		return errInvalid("HttpTarget.oidcToken.serviceAccountEmail must be a service account email; got %q.", t.OidcToken.ServiceAccountEmail)
	}
	if t.OauthToken != nil && !emailRe.MatchString(t.OauthToken.ServiceAccountEmail) {
		return errInvalid("HttpTarget.oauthToken.serviceAccountEmail must be a service account email; got %q.", t.OauthToken.ServiceAccountEmail)
	}
	return nil
}

// ---- tasks ----

func errTaskNotFound(name string) *apiError {
	return errNotFound("The task %s does not exist: it was never created, or it was deleted, or it already succeeded.", name)
}

func (e *Emulator) tasksCreateTask(r *request) (any, error) {
	var req tasks.CreateTaskRequest
	if err := r.Decode(&req); err != nil {
		return nil, err
	}
	if req.Task == nil {
		req.Task = &tasks.Task{}
	}
	t := req.Task
	var out *tasks.Task
	var due bool
	err := e.mutate(func(st *State) error {
		q, qname, err := lookupQueue(st, r, "cloudtasks.tasks.create")
		if err != nil {
			return err
		}
		name := fmt.Sprintf("%s/tasks/%d", qname, 1000000000000000000+st.nextSeq())
		if t.Name != "" {
			parts := strings.Split(t.Name, "/")
			id := parts[len(parts)-1]
			if len(parts) != 8 || parts[6] != "tasks" || !taskIDRe.MatchString(id) {
				return errInvalid("Task name %q must be formatted \"%s/tasks/TASK_ID\" with TASK_ID made of letters, numbers, hyphens and underscores.", t.Name, qname)
			}
			if strings.Join(parts[:6], "/") != qname && !sameQueue(st, strings.Join(parts[:6], "/"), qname) {
				return errInvalid("Task name %s is not in queue %s.", t.Name, qname)
			}
			name = qname + "/tasks/" + id
		}
		if _, ok := st.Tasks[name]; ok {
			return errAlreadyExists("Requested entity already exists: task %s.", name)
		}
		if err := validateTask(t, q); err != nil {
			return err
		}
		now := e.now()
		t.Name = name
		t.CreateTime = formatTime(now)
		if t.ScheduleTime == "" {
			t.ScheduleTime = formatTime(now)
		} else if _, err := time.Parse(time.RFC3339Nano, t.ScheduleTime); err != nil {
			return errInvalid("Invalid value at 'task.schedule_time' (type.googleapis.com/google.protobuf.Timestamp), %q", t.ScheduleTime)
		}
		if t.DispatchDeadline == "" {
			t.DispatchDeadline = defaultDispatchDeadline
		}
		t.DispatchCount, t.ResponseCount, t.FirstAttempt, t.LastAttempt = 0, 0, nil, nil
		t.View = "BASIC"
		st.Tasks[name] = t
		out = taskView(t, req.ResponseView)
		sched, _ := time.Parse(time.RFC3339Nano, t.ScheduleTime)
		due = q.State == queueStateRunning && !sched.After(now)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if due {
		e.dispatchTask(r.Context(), out.Name, false)
	}
	return out, nil
}

// sameQueue reports whether two queue names (project id or number) match.
func sameQueue(st *State, a, b string) bool {
	na, ok1 := parseLocatedName(a, "queues")
	nb, ok2 := parseLocatedName(b, "queues")
	if !ok1 || !ok2 {
		return false
	}
	pa, pb := st.project(na.project), st.project(nb.project)
	return pa != nil && pa == pb && na.location == nb.location && na.id == nb.id
}

// validateTask checks an HTTP task against its queue.
func validateTask(t *tasks.Task, q *tasks.Queue) error {
	if t.AppEngineHttpRequest != nil {
		return errInvalid("The emulator runs HTTP tasks only: set httpRequest, not appEngineHttpRequest.")
	}
	hr := t.HttpRequest
	if hr == nil {
		return errInvalid("Task.httpRequest is required.")
	}
	if hr.HttpMethod == "" || hr.HttpMethod == "HTTP_METHOD_UNSPECIFIED" {
		hr.HttpMethod = "POST"
	}
	if !httpMethods[hr.HttpMethod] {
		return errInvalid("Invalid value at 'task.http_request.http_method', %q", hr.HttpMethod)
	}
	overridesHost := q.HttpTarget != nil && q.HttpTarget.UriOverride != nil && q.HttpTarget.UriOverride.Host != ""
	if hr.Url == "" && !overridesHost {
		return errInvalid("HttpRequest.url is required (or set the queue's httpTarget.uriOverride.host).")
	}
	if hr.Url != "" {
		u, err := url.Parse(hr.Url)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errInvalid("Invalid HttpRequest.url %q: it must be an absolute URL beginning with \"http://\" or \"https://\".", hr.Url)
		}
	}
	if hr.Body != "" {
		if _, err := base64.StdEncoding.DecodeString(hr.Body); err != nil {
			return errInvalid("Invalid value at 'task.http_request.body' (TYPE_BYTES), Base64 decoding failed for %q", hr.Body)
		}
		switch hr.HttpMethod {
		case "POST", "PUT", "PATCH":
		default:
			return errInvalid("HttpRequest.body is only allowed for HTTP methods POST, PUT and PATCH; httpMethod is %s.", hr.HttpMethod)
		}
	}
	if hr.OidcToken != nil && hr.OauthToken != nil {
		return errInvalid("Invalid JSON payload received. Oneof field 'authorization_header' is already set: a task carries either an oauthToken or an oidcToken, not both.")
	}
	if hr.OidcToken != nil && !emailRe.MatchString(hr.OidcToken.ServiceAccountEmail) {
		return errInvalid("HttpRequest.oidcToken.serviceAccountEmail must be a service account email; got %q.", hr.OidcToken.ServiceAccountEmail)
	}
	if hr.OauthToken != nil && !emailRe.MatchString(hr.OauthToken.ServiceAccountEmail) {
		return errInvalid("HttpRequest.oauthToken.serviceAccountEmail must be a service account email; got %q.", hr.OauthToken.ServiceAccountEmail)
	}
	if t.DispatchDeadline != "" {
		d, err := parseDuration(t.DispatchDeadline, "task.dispatch_deadline")
		if err != nil {
			return err
		}
		if d < minDispatchDeadline || d > maxDispatchDeadline {
			return errInvalid("dispatchDeadline %s is out of range: it must be between 15s and 1800s (30 minutes).", t.DispatchDeadline)
		}
	}
	return nil
}

// taskView is a task as returned: the body only in the FULL view.
func taskView(t *tasks.Task, view string) *tasks.Task {
	out := deepCopyJSON(t)
	if view == "FULL" {
		out.View = "FULL"
		return out
	}
	out.View = "BASIC"
	if out.HttpRequest != nil {
		out.HttpRequest.Body = ""
	}
	return out
}

func taskName(st *State, r *request, permission string) (string, *tasks.Queue, error) {
	q, qname, err := lookupQueue(st, r, permission)
	if err != nil {
		return "", nil, err
	}
	return qname + "/tasks/" + r.Param("task"), q, nil
}

func (e *Emulator) tasksGetTask(r *request) (any, error) {
	return readOne(e, func(st *State) (*tasks.Task, error) {
		name, _, err := taskName(st, r, "cloudtasks.tasks.get")
		if err != nil {
			return nil, err
		}
		t, ok := st.Tasks[name]
		if !ok {
			return nil, errTaskNotFound(name)
		}
		return taskView(t, r.Query("responseView")), nil
	})
}

func (e *Emulator) tasksListTasks(r *request) (any, error) {
	pageSize, offset, err := pageArgs(r, 1000)
	if err != nil {
		return nil, err
	}
	resp := &tasks.ListTasksResponse{}
	err = e.read(func(st *State) error {
		_, qname, err := lookupQueue(st, r, "cloudtasks.tasks.list")
		if err != nil {
			return err
		}
		page, next := offsetPage(namesUnder(st.Tasks, qname+"/tasks/"), offset, pageSize)
		for _, name := range page {
			resp.Tasks = append(resp.Tasks, taskView(st.Tasks[name], r.Query("responseView")))
		}
		resp.NextPageToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func (e *Emulator) tasksDeleteTask(r *request) (any, error) {
	err := e.mutate(func(st *State) error {
		name, _, err := taskName(st, r, "cloudtasks.tasks.delete")
		if err != nil {
			return err
		}
		if _, ok := st.Tasks[name]; !ok {
			return errTaskNotFound(name)
		}
		delete(st.Tasks, name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

// tasksRunTask dispatches a task now, whatever its schedule and even in a
// paused queue, and returns it with the outcome of that attempt.
func (e *Emulator) tasksRunTask(r *request) (any, error) {
	var body tasks.RunTaskRequest
	if err := r.Decode(&body); err != nil {
		return nil, err
	}
	var name string
	err := e.read(func(st *State) error {
		n, _, err := taskName(st, r, "cloudtasks.tasks.run")
		if err != nil {
			return err
		}
		if _, ok := st.Tasks[n]; !ok {
			return errTaskNotFound(n)
		}
		name = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	t, ok := e.dispatchTask(r.Context(), name, true)
	if !ok {
		return nil, errFailedPrecondition("Task %s is being dispatched already.", name)
	}
	return taskView(t, body.ResponseView), nil
}

// ---- dispatch ----

// taskRunner tracks the tasks being dispatched, so one task never has two
// attempts under way.
type taskRunner struct {
	mu      sync.Mutex
	running map[string]bool
}

// taskRunners maps each *Emulator to its *taskRunner.
var taskRunners sync.Map

func (e *Emulator) taskRunner() *taskRunner {
	r, _ := taskRunners.LoadOrStore(e, &taskRunner{running: map[string]bool{}})
	return r.(*taskRunner)
}

func (r *taskRunner) begin(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running[name] {
		return false
	}
	r.running[name] = true
	return true
}

func (r *taskRunner) end(name string) {
	r.mu.Lock()
	delete(r.running, name)
	r.mu.Unlock()
}

// startTaskLoop registers the runner's cleanup and, with
// Options.ExecuteSchedules, dispatches due tasks (first attempts and
// retries) every second.
func (e *Emulator) startTaskLoop() {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	e.closers = append(e.closers, func() {
		cancel()
		wg.Wait()
		taskRunners.Delete(e)
	})
	if !e.opts.ExecuteSchedules {
		return
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-e.done:
				return
			case <-tick.C:
				e.DispatchDueTasks(ctx, e.now())
			}
		}
	}()
}

// DispatchDueTasks makes one attempt of every task whose scheduleTime is at
// or before now in a RUNNING queue, and returns how many were attempted.
// The loop of Options.ExecuteSchedules calls it every second; tests call it
// with an injected clock.
func (e *Emulator) DispatchDueTasks(ctx context.Context, now time.Time) int {
	var due []string
	_ = e.read(func(st *State) error {
		due = dueTasks(st, "", now)
		return nil
	})
	n := 0
	for _, name := range due {
		if _, ok := e.dispatchTask(ctx, name, false); ok {
			n++
		}
	}
	return n
}

// dispatchDueInQueue attempts the due tasks of one queue.
func (e *Emulator) dispatchDueInQueue(ctx context.Context, queue string, now time.Time) {
	var due []string
	_ = e.read(func(st *State) error {
		due = dueTasks(st, queue, now)
		return nil
	})
	for _, name := range due {
		e.dispatchTask(ctx, name, false)
	}
}

// dueTasks lists due tasks of RUNNING queues (of one queue when queue is
// set), oldest schedule first.
func dueTasks(st *State, queue string, now time.Time) []string {
	type due struct {
		name string
		at   time.Time
	}
	var ds []due
	for name, t := range st.Tasks {
		qname := name[:strings.Index(name, "/tasks/")]
		if queue != "" && qname != queue {
			continue
		}
		q, ok := st.Queues[qname]
		if !ok || q.State != queueStateRunning {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, t.ScheduleTime)
		if err == nil && !at.After(now) {
			ds = append(ds, due{name, at})
		}
	}
	sort.Slice(ds, func(i, j int) bool {
		if !ds[i].at.Equal(ds[j].at) {
			return ds[i].at.Before(ds[j].at)
		}
		return ds[i].name < ds[j].name
	})
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.name
	}
	return out
}

// dispatchTask makes one attempt of a task and records the outcome on it:
// a 2xx answer deletes it; a failure counts the attempt and schedules a
// retry per the queue's retryConfig, or deletes the task when its attempts
// are used up. It returns the task as it was right after the attempt, and
// false when the task is gone or already being dispatched.
func (e *Emulator) dispatchTask(ctx context.Context, name string, forced bool) (*tasks.Task, bool) {
	r := e.taskRunner()
	if !r.begin(name) {
		return nil, false
	}
	defer r.end(name)

	var t *tasks.Task
	var q *tasks.Queue
	var project string
	_ = e.read(func(st *State) error {
		cur, ok := st.Tasks[name]
		if !ok {
			return nil
		}
		qname := name[:strings.Index(name, "/tasks/")]
		qu, ok := st.Queues[qname]
		if !ok {
			return nil
		}
		t, q = deepCopyJSON(cur), deepCopyJSON(qu)
		if n, ok := parseLocatedName(qname, "queues"); ok {
			project = n.project
		}
		return nil
	})
	if t == nil {
		return nil, false
	}
	now := e.now()
	call, err := taskCall(t, q, project, now)
	var a *Attempt
	if err != nil {
		a = &Attempt{Caller: "cloudtasks", Source: name, Time: now.UTC(), Error: err.Error()}
		e.recordAttempt(a)
	} else {
		a = e.deliver(ctx, call)
	}
	code, msg := attemptStatus(a)
	var out *tasks.Task
	_ = e.mutate(func(st *State) error {
		cur, ok := st.Tasks[name]
		if !ok {
			out = t
			return nil
		}
		scheduled := cur.ScheduleTime
		cur.DispatchCount++
		if a.StatusCode != 0 {
			cur.ResponseCount++
		}
		at := &tasks.Attempt{ScheduleTime: scheduled, DispatchTime: formatTime(a.Time), ResponseTime: formatTime(e.now()),
			ResponseStatus: &tasks.Status{Code: int64(code), Message: msg}}
		if cur.FirstAttempt == nil {
			cur.FirstAttempt = &tasks.Attempt{ScheduleTime: scheduled, DispatchTime: at.DispatchTime}
		}
		cur.LastAttempt = at
		out = deepCopyJSON(cur)
		if code == 0 {
			delete(st.Tasks, name)
			return nil
		}
		backoff, retry := taskRetryBackoff(q.RetryConfig, cur)
		if !retry {
			delete(st.Tasks, name)
			return nil
		}
		cur.ScheduleTime = formatTime(now.Add(backoff))
		return nil
	})
	return out, true
}

// taskRetryBackoff says whether a task that failed DispatchCount times is
// retried and after how long: minBackoff doubled maxDoublings times, then
// growing linearly, capped at maxBackoff; maxAttempts -1 is unlimited.
func taskRetryBackoff(rc *tasks.RetryConfig, t *tasks.Task) (time.Duration, bool) {
	if rc == nil {
		rc = &tasks.RetryConfig{MaxAttempts: defaultQueueMaxAttempts}
	}
	if rc.MaxAttempts != -1 && t.DispatchCount >= rc.MaxAttempts {
		return 0, false
	}
	if rc.MaxRetryDuration != "" && t.FirstAttempt != nil {
		maxDur, _ := parseDuration(rc.MaxRetryDuration, "")
		first, err := time.Parse(time.RFC3339Nano, t.FirstAttempt.DispatchTime)
		last, err2 := time.Parse(time.RFC3339Nano, t.LastAttempt.DispatchTime)
		if maxDur > 0 && err == nil && err2 == nil && last.Sub(first) >= maxDur {
			return 0, false
		}
	}
	minB, _ := parseDuration(orDefault(rc.MinBackoff, defaultQueueMinBackoff), "")
	maxB, _ := parseDuration(orDefault(rc.MaxBackoff, defaultQueueMaxBackoff), "")
	done := int(t.DispatchCount - 1)
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

// taskCall builds the request Cloud Tasks sends for a task: the task's
// request with the queue's httpTarget overrides applied (URI parts, method,
// headers, token) and the X-CloudTasks-* headers.
func taskCall(t *tasks.Task, q *tasks.Queue, project string, now time.Time) (outboundCall, error) {
	hr := t.HttpRequest
	if hr == nil {
		hr = &tasks.HttpRequest{}
	}
	target := q.HttpTarget
	rawURL := hr.Url
	method := orDefault(hr.HttpMethod, "POST")
	h := http.Header{}
	for k, v := range hr.Headers {
		h.Set(k, v)
	}
	oidc, oauth := hr.OidcToken, hr.OauthToken
	if target != nil {
		if o := target.UriOverride; o != nil && !(o.UriOverrideEnforceMode == "IF_NOT_EXISTS" && rawURL != "") {
			u, err := overrideURI(rawURL, o)
			if err != nil {
				return outboundCall{}, err
			}
			rawURL = u
		}
		if target.HttpMethod != "" {
			method = target.HttpMethod
		}
		for _, ho := range target.HeaderOverrides {
			if ho != nil && ho.Header != nil {
				h.Set(ho.Header.Key, ho.Header.Value)
			}
		}
		if target.OidcToken != nil || target.OauthToken != nil {
			oidc, oauth = target.OidcToken, target.OauthToken
		}
	}
	qid := ""
	if n, ok := parseLocatedName(q.Name, "queues"); ok {
		qid = n.id
	}
	sched, _ := time.Parse(time.RFC3339Nano, t.ScheduleTime)
	h.Set("User-Agent", cloudTasksUserAgent)
	h.Set("X-CloudTasks-QueueName", qid)
	h.Set("X-CloudTasks-TaskName", t.Name[strings.LastIndex(t.Name, "/")+1:])
	h.Set("X-CloudTasks-TaskRetryCount", strconv.FormatInt(t.DispatchCount, 10))
	h.Set("X-CloudTasks-TaskExecutionCount", strconv.FormatInt(t.ResponseCount, 10))
	h.Set("X-CloudTasks-TaskETA", strconv.FormatFloat(float64(sched.UnixNano())/1e9, 'f', 6, 64))
	body, _ := base64.StdEncoding.DecodeString(hr.Body)
	deadline, _ := parseDuration(orDefault(t.DispatchDeadline, defaultDispatchDeadline), "")
	call := outboundCall{
		Caller: "cloudtasks", Source: t.Name, Method: method, URL: rawURL, Header: h, Body: body,
		AgentProject: project, Deadline: deadline, At: now,
	}
	switch {
	case oidc != nil:
		call.Token = tokenSpec{Kind: "oidc", ServiceAccount: oidc.ServiceAccountEmail, Audience: oidc.Audience}
	case oauth != nil:
		call.Token = tokenSpec{Kind: "oauth", ServiceAccount: oauth.ServiceAccountEmail}
		if oauth.Scope != "" {
			call.Token.Scopes = []string{oauth.Scope}
		}
	}
	return call, nil
}

// overrideURI applies a queue's uriOverride to a task URL.
func overrideURI(raw string, o *tasks.UriOverride) (string, error) {
	u := &url.URL{Scheme: "https"}
	if raw != "" {
		p, err := url.Parse(raw)
		if err != nil {
			return "", fmt.Errorf("INVALID_ARGUMENT: task URL %q is not a URL", raw)
		}
		u = p
	}
	if o.Scheme != "" {
		u.Scheme = strings.ToLower(o.Scheme)
	}
	host, port := u.Hostname(), u.Port()
	if o.Host != "" {
		host = o.Host
	}
	if o.Port != 0 {
		port = strconv.FormatInt(o.Port, 10)
	}
	if host == "" {
		return "", fmt.Errorf("INVALID_ARGUMENT: the task has no URL and the queue's uriOverride sets no host")
	}
	u.Host = host
	if port != "" {
		u.Host = host + ":" + port
	}
	if o.PathOverride != nil {
		u.Path, u.RawPath = o.PathOverride.Path, ""
	}
	if o.QueryOverride != nil {
		u.RawQuery = o.QueryOverride.QueryParams
	}
	return u.String(), nil
}
