package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	executions "google.golang.org/api/workflowexecutions/v1"
	workflows "google.golang.org/api/workflows/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/workflowsrc"
)

// Workflows v1 (workflows under projects/P/locations/L/workflows: create,
// patch and delete as long-running operations, get, list) and the
// Workflow Executions v1 API (executions create, get, list). An execution
// runs to its end before executions.create answers; its HTTP calls go
// through deliver as the workflow's service account (Workflows acts as the
// account itself: no service agent impersonation). The interpreter is in
// workflow_interp.go.

func init() {
	registerAPI(func(e *Emulator) {
		const loc = "/v1/projects/{project}/locations/{location}"
		const wfs = loc + "/workflows"
		e.handle("POST", wfs, "workflows.workflows.create", e.wfCreate)
		e.handle("GET", wfs, "workflows.workflows.list", e.wfList)
		e.handle("GET", wfs+"/{workflow}", "workflows.workflows.get", e.wfGet)
		e.handle("PATCH", wfs+"/{workflow}", "workflows.workflows.patch", e.wfPatch)
		e.handle("DELETE", wfs+"/{workflow}", "workflows.workflows.delete", e.wfDelete)
		e.handle("GET", loc+"/operations/{operation}", "workflows.operations.get", func(r *request) (any, error) {
			var name string
			err := e.read(func(st *State) error {
				p, err := wfParent(st, r, "workflows.operations.get")
				name = p + "/operations/" + r.Param("operation")
				return err
			})
			if err != nil {
				return nil, err
			}
			return e.getOperation(name)
		})
		const execs = wfs + "/{workflow}/executions"
		e.handle("POST", execs, "workflowexecutions.executions.create", e.wfExecCreate)
		e.handle("GET", execs, "workflowexecutions.executions.list", e.wfExecList)
		e.handle("GET", execs+"/{execution}", "workflowexecutions.executions.get", e.wfExecGet)
	})
}

const (
	wfType         = "type.googleapis.com/google.cloud.workflows.v1.Workflow"
	wfMetaType     = "type.googleapis.com/google.cloud.workflows.v1.OperationMetadata"
	wfEmptyType    = "type.googleapis.com/google.protobuf.Empty"
	wfStateActive  = "ACTIVE"
	maxWfDescLen   = 1000
	execSucceeded  = "SUCCEEDED"
	execFailed     = "FAILED"
	maxArgumentLen = 32 * 1024
)

var workflowIDRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)

// wfParent resolves "projects/ID/locations/L" of a request.
func wfParent(st *State, r *request, permission string) (string, error) {
	p, err := st.requireProject(r.Param("project"), permission)
	if err != nil {
		return "", err
	}
	loc := r.Param("location")
	if !locationRe.MatchString(loc) {
		return "", errInvalid("Location %q is not a valid Workflows location; use a region such as \"us-central1\".", loc)
	}
	return "projects/" + p.ProjectID + "/locations/" + loc, nil
}

func errWorkflowNotFound(name string) *apiError {
	return errNotFound("Resource '%s' was not found", name)
}

// lookupWorkflow finds the workflow a request addresses.
func lookupWorkflow(st *State, r *request, permission string) (*workflows.Workflow, string, error) {
	parent, err := wfParent(st, r, permission)
	if err != nil {
		return nil, "", err
	}
	name := parent + "/workflows/" + r.Param("workflow")
	wf, ok := st.Workflows[name]
	if !ok {
		return nil, name, errWorkflowNotFound(name)
	}
	return wf, name, nil
}

func (e *Emulator) wfCreate(r *request) (any, error) {
	id := r.Query("workflowId")
	var in workflows.Workflow
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if !workflowIDRe.MatchString(id) {
		return nil, errInvalid("Invalid workflowId %q: it must start with a letter and contain only letters, numbers, underscores and hyphens, at most 64 characters.", id)
	}
	var out map[string]any
	err := e.mutate(func(st *State) error {
		parent, err := wfParent(st, r, "workflows.workflows.create")
		if err != nil {
			return err
		}
		name := parent + "/workflows/" + id
		if _, ok := st.Workflows[name]; ok {
			return errAlreadyExists("Resource '%s' already exists", name)
		}
		wf := &workflows.Workflow{
			Name: name, Description: in.Description, Labels: in.Labels, ServiceAccount: in.ServiceAccount,
			SourceContents: in.SourceContents, CallLogLevel: in.CallLogLevel, UserEnvVars: in.UserEnvVars,
		}
		if err := e.prepareWorkflow(st, wf, nil); err != nil {
			return err
		}
		st.Workflows[name] = wf
		out = e.newOperation(st, parent, wfMetaType, wfOpMeta(name, "create", e.now()), wfType, wf, nil).wire(e.now())
		return nil
	})
	return out, err
}

// prepareWorkflow validates a workflow to store, normalises its service
// account and sets its revision and times. prev is the stored version when
// updating.
func (e *Emulator) prepareWorkflow(st *State, wf *workflows.Workflow, prev *workflows.Workflow) error {
	if len([]rune(wf.Description)) > maxWfDescLen {
		return errInvalid("description must be at most %d characters.", maxWfDescLen)
	}
	if strings.TrimSpace(wf.SourceContents) == "" {
		return errInvalid("Workflow source contents must not be empty: set sourceContents to the workflow definition in YAML or JSON.")
	}
	if _, err := workflowsrc.Parse(wf.SourceContents); err != nil {
		return errInvalid("Workflow failed to deploy: parse error: %v", err)
	}
	n, _ := parseLocatedName(wf.Name, "workflows")
	sa, err := normalizeWorkflowSA(st, n.project, wf.ServiceAccount)
	if err != nil {
		return err
	}
	wf.ServiceAccount = sa
	now := formatTime(e.now())
	wf.State = wfStateActive
	wf.UpdateTime = now
	if prev == nil {
		wf.CreateTime = now
		wf.RevisionId = revisionID(1, wf)
		wf.RevisionCreateTime = now
		return nil
	}
	wf.CreateTime = prev.CreateTime
	if prev.SourceContents == wf.SourceContents && prev.ServiceAccount == wf.ServiceAccount &&
		prev.CallLogLevel == wf.CallLogLevel && mapsEqual(prev.UserEnvVars, wf.UserEnvVars) {
		wf.RevisionId, wf.RevisionCreateTime = prev.RevisionId, prev.RevisionCreateTime
		return nil
	}
	seq, _ := strconv.Atoi(strings.SplitN(prev.RevisionId, "-", 2)[0])
	wf.RevisionId = revisionID(seq+1, wf)
	wf.RevisionCreateTime = now
	return nil
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// revisionID is Google's form "000001-a1b".
func revisionID(seq int, wf *workflows.Workflow) string {
	sum := sha256.Sum256([]byte(wf.SourceContents + "\x00" + wf.ServiceAccount))
	return fmt.Sprintf("%06d-%s", seq, hex.EncodeToString(sum[:])[:3])
}

// normalizeWorkflowSA returns the stored form
// "projects/P/serviceAccounts/EMAIL" of a workflow's service account
// (email or resource name in), the Compute Engine default account when
// none is set. A named account must exist.
func normalizeWorkflowSA(st *State, project, in string) (string, error) {
	p := st.project(project)
	if p == nil {
		return "", errInvalid("Project %s does not exist.", project)
	}
	if in == "" {
		return "projects/" + p.ProjectID + "/serviceAccounts/" + p.ProjectNumber + "-compute@developer.gserviceaccount.com", nil
	}
	email := in
	if strings.HasPrefix(in, "projects/") {
		parts := strings.Split(in, "/")
		if len(parts) != 4 || parts[2] != "serviceAccounts" {
			return "", errInvalid("serviceAccount %q must be an email or \"projects/PROJECT/serviceAccounts/EMAIL\".", in)
		}
		email = parts[3]
	}
	email = strings.ToLower(email)
	if !emailRe.MatchString(email) {
		return "", errInvalid("serviceAccount %q must be an email or \"projects/PROJECT/serviceAccounts/EMAIL\".", in)
	}
	sa := st.serviceAccount(email)
	if sa == nil {
		return "", errInvalid("Service account %s does not exist.", email)
	}
	return "projects/" + sa.ProjectId + "/serviceAccounts/" + sa.Email, nil
}

// workflowSAEmail is the email of a stored serviceAccount.
func workflowSAEmail(sa string) string {
	return sa[strings.LastIndex(sa, "/")+1:]
}

func wfOpMeta(target, verb string, now time.Time) map[string]any {
	return map[string]any{"createTime": formatTime(now), "endTime": formatTime(now), "target": target, "verb": verb, "apiVersion": "v1"}
}

func (e *Emulator) wfGet(r *request) (any, error) {
	return readOne(e, func(st *State) (*workflows.Workflow, error) {
		wf, _, err := lookupWorkflow(st, r, "workflows.workflows.get")
		if err != nil {
			return nil, err
		}
		return deepCopyJSON(wf), nil
	})
}

func (e *Emulator) wfList(r *request) (any, error) {
	pageSize, offset, err := pageArgs(r, 1000)
	if err != nil {
		return nil, err
	}
	resp := &workflows.ListWorkflowsResponse{}
	err = e.read(func(st *State) error {
		parent, err := wfParent(st, r, "workflows.workflows.list")
		if err != nil {
			return err
		}
		page, next := offsetPage(namesUnder(st.Workflows, parent+"/workflows/"), offset, pageSize)
		for _, name := range page {
			resp.Workflows = append(resp.Workflows, deepCopyJSON(st.Workflows[name]))
		}
		resp.NextPageToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// wfUpdatable are the fields an update mask may name.
var wfUpdatable = map[string]string{
	"description": "description", "labels": "labels", "serviceAccount": "serviceAccount",
	"sourceContents": "sourceContents", "callLogLevel": "callLogLevel", "userEnvVars": "userEnvVars",
}

func (e *Emulator) wfPatch(r *request) (any, error) {
	var raw map[string]any
	if err := r.Decode(&raw); err != nil {
		return nil, err
	}
	var paths []string
	if mask := strings.TrimSpace(r.Query("updateMask")); mask == "" {
		for k := range wfUpdatable {
			paths = append(paths, k)
		}
	} else {
		var err error
		paths, err = maskPaths(mask, nil, func(_ string, segs []string) error {
			if p := strings.Join(segs, "."); wfUpdatable[p] == "" {
				return errInvalid("Invalid update mask path %q: Workflow has no updatable field %q.", p, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var out map[string]any
	err := e.mutate(func(st *State) error {
		cur, name, err := lookupWorkflow(st, r, "workflows.workflows.update")
		if err != nil {
			return err
		}
		wf, err := applyMask(cur, raw, paths, nil)
		if err != nil {
			return err
		}
		wf.Name = name
		if err := e.prepareWorkflow(st, wf, cur); err != nil {
			return err
		}
		st.Workflows[name] = wf
		parent := name[:strings.Index(name, "/workflows/")]
		out = e.newOperation(st, parent, wfMetaType, wfOpMeta(name, "update", e.now()), wfType, wf, nil).wire(e.now())
		return nil
	})
	return out, err
}

func (e *Emulator) wfDelete(r *request) (any, error) {
	var out map[string]any
	err := e.mutate(func(st *State) error {
		_, name, err := lookupWorkflow(st, r, "workflows.workflows.delete")
		if err != nil {
			return err
		}
		delete(st.Workflows, name)
		for en := range st.Executions {
			if strings.HasPrefix(en, name+"/executions/") {
				delete(st.Executions, en)
			}
		}
		parent := name[:strings.Index(name, "/workflows/")]
		out = e.newOperation(st, parent, wfMetaType, wfOpMeta(name, "delete", e.now()), wfEmptyType, nil, nil).wire(e.now())
		return nil
	})
	return out, err
}

// ---- executions ----

// execView is an execution in the Workflow Executions API's form.
func execView(x *Execution) *executions.Execution {
	out := &executions.Execution{
		Name: x.Name, State: x.State, Argument: x.Argument, Result: x.Result,
		StartTime: formatTime(x.StartTime), CallLogLevel: "CALL_LOG_LEVEL_UNSPECIFIED",
	}
	if !x.EndTime.IsZero() {
		out.EndTime = formatTime(x.EndTime)
		out.Duration = strconv.FormatFloat(x.EndTime.Sub(x.StartTime).Seconds(), 'f', -1, 64) + "s"
	}
	if x.Error != "" {
		out.Error = &executions.Error{Payload: x.Error, Context: "workflow execution failed"}
	}
	return out
}

func (e *Emulator) wfExecCreate(r *request) (any, error) {
	var in executions.Execution
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if len(in.Argument) > maxArgumentLen {
		return nil, errInvalid("Execution argument is larger than %d bytes.", maxArgumentLen)
	}
	var arg any
	if strings.TrimSpace(in.Argument) != "" {
		v, err := workflowsrc.DecodeJSON([]byte(in.Argument))
		if err != nil {
			return nil, errInvalid("Execution argument must be a JSON value: %v", err)
		}
		arg = v
	}
	var wf *workflows.Workflow
	var x *Execution
	err := e.mutate(func(st *State) error {
		cur, name, err := lookupWorkflow(st, r, "workflowexecutions.executions.create")
		if err != nil {
			return err
		}
		wf = deepCopyJSON(cur)
		seq := st.nextSeq()
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", name, seq)))
		h := hex.EncodeToString(sum[:16])
		id := fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
		x = &Execution{Name: name + "/executions/" + id, State: "ACTIVE", Argument: in.Argument, StartTime: e.now().UTC()}
		st.Executions[x.Name] = x
		return nil
	})
	if err != nil {
		return nil, err
	}
	result, runErr := e.runWorkflow(r.Context(), wf, x.Name, arg)
	var out *executions.Execution
	_ = e.mutate(func(st *State) error {
		cur, ok := st.Executions[x.Name]
		if !ok {
			cur = x
		}
		cur.EndTime = e.now().UTC()
		if runErr != nil {
			cur.State, cur.Error = execFailed, runErr.payloadJSON()
		} else {
			cur.State, cur.Result = execSucceeded, result
		}
		out = execView(cur)
		return nil
	})
	return out, nil
}

func (e *Emulator) wfExecGet(r *request) (any, error) {
	return readOne(e, func(st *State) (*executions.Execution, error) {
		_, name, err := lookupWorkflow(st, r, "workflowexecutions.executions.get")
		if err != nil {
			return nil, err
		}
		en := name + "/executions/" + r.Param("execution")
		x, ok := st.Executions[en]
		if !ok {
			return nil, errNotFound("Resource '%s' was not found", en)
		}
		return execView(x), nil
	})
}

func (e *Emulator) wfExecList(r *request) (any, error) {
	pageSize, offset, err := pageArgs(r, 1000)
	if err != nil {
		return nil, err
	}
	resp := &executions.ListExecutionsResponse{}
	err = e.read(func(st *State) error {
		_, name, err := lookupWorkflow(st, r, "workflowexecutions.executions.list")
		if err != nil {
			return err
		}
		var xs []*Execution
		for en, x := range st.Executions {
			if strings.HasPrefix(en, name+"/executions/") {
				xs = append(xs, x)
			}
		}
		// Newest first, as Google lists them.
		sort.Slice(xs, func(i, j int) bool {
			if !xs[i].StartTime.Equal(xs[j].StartTime) {
				return xs[i].StartTime.After(xs[j].StartTime)
			}
			return xs[i].Name > xs[j].Name
		})
		page, next := offsetPage(xs, offset, pageSize)
		for _, x := range page {
			resp.Executions = append(resp.Executions, execView(x))
		}
		resp.NextPageToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
