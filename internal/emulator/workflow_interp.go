package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	workflows "google.golang.org/api/workflows/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/workflowsrc"
)

// The workflow interpreter runs the subset of the Workflows language the
// seed walkthrough uses: steps with assign, call (http.get, http.post,
// http.put, http.patch, http.delete, http.request, sys.log, subworkflows),
// result, return, raise, nested steps and next (a step name or end), with
// the expressions of workflowsrc. Other step kinds (switch, for, try,
// parallel) fail the execution with a message saying so.
//
// HTTP calls go through deliver as the workflow's service account: auth
// type OIDC mints an ID token (audience: args.auth.audience, default
// args.url), OAuth2 an access token (attached only for *.googleapis.com).
// A non-2xx answer raises an HttpError, as Workflows does.

// maxWorkflowSteps bounds one execution (loops through next).
const maxWorkflowSteps = 10000

// workflowsUserAgent is the User-Agent of Workflows HTTP calls.
const workflowsUserAgent = "GoogleCloudWorkflows; (+https://cloud.google.com/workflows/docs)"

// wfError is an error raised in an execution; its payload becomes the
// execution's error.payload.
type wfError struct {
	payload any
}

func (e *wfError) Error() string { return e.payloadJSON() }

func (e *wfError) payloadJSON() string {
	if s, ok := e.payload.(string); ok {
		return s
	}
	b, _ := json.Marshal(e.payload)
	return string(b)
}

// wfFail is an error raised by the runtime (bad expression, unsupported
// step), tagged like Workflows' built-in errors.
func wfFail(tag, format string, args ...any) *wfError {
	return &wfError{payload: map[string]any{"message": fmt.Sprintf(format, args...), "tags": []any{tag}}}
}

// wfRun is one execution in progress.
type wfRun struct {
	e       *Emulator
	ctx     context.Context
	wf      *workflowsrc.Workflow
	account string // the workflow's service account email
	source  string // execution name, recorded in attempts
	sysEnv  map[string]string
	steps   int
}

// runWorkflow executes a stored workflow with its argument and returns the
// JSON of the value main returns, or the error raised.
func (e *Emulator) runWorkflow(ctx context.Context, stored *workflows.Workflow, execName string, arg any) (string, *wfError) {
	src, err := workflowsrc.Parse(stored.SourceContents)
	if err != nil {
		return "", wfFail("ParseError", "%v", err)
	}
	n, _ := parseLocatedName(stored.Name, "workflows")
	project := n.project
	_ = e.read(func(st *State) error {
		if p := st.project(n.project); p != nil {
			project = p.ProjectID
		}
		return nil
	})
	run := &wfRun{
		e: e, ctx: ctx, wf: src, account: workflowSAEmail(stored.ServiceAccount), source: execName,
		sysEnv: map[string]string{
			"GOOGLE_CLOUD_PROJECT_ID":            project,
			"GOOGLE_CLOUD_LOCATION":              n.location,
			"GOOGLE_CLOUD_WORKFLOW_ID":           n.id,
			"GOOGLE_CLOUD_WORKFLOW_REVISION_ID":  stored.RevisionId,
			"GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID": execName[strings.LastIndex(execName, "/")+1:],
		},
	}
	for k, v := range stored.UserEnvVars {
		run.sysEnv[k] = v
	}
	main := src.Main()
	vars := map[string]any{}
	if len(main.Params) > 0 {
		vars[main.Params[0]] = arg
	}
	ret, werr := run.callSubworkflow(main, vars)
	if werr != nil {
		return "", werr
	}
	b, err := json.Marshal(ret)
	if err != nil {
		return "", wfFail("TypeError", "the returned value cannot be encoded as JSON: %v", err)
	}
	return string(b), nil
}

func (r *wfRun) env(vars map[string]any) *workflowsrc.Env {
	return &workflowsrc.Env{Vars: vars, SysEnv: r.sysEnv}
}

func (r *wfRun) callSubworkflow(sub *workflowsrc.Subworkflow, vars map[string]any) (any, *wfError) {
	ret, _, jump, err := r.runSteps(sub.Steps, vars)
	if err != nil {
		return nil, err
	}
	if jump != "" && jump != "end" {
		return nil, wfFail("ValueError", "next: %q names no step of subworkflow %s", jump, sub.Name)
	}
	return ret, nil
}

// runSteps runs a list of steps. It returns the returned value (and true)
// when a return step ran, or a jump target it could not resolve here (for
// an enclosing list, or "end").
func (r *wfRun) runSteps(steps []*workflowsrc.Step, vars map[string]any) (any, bool, string, *wfError) {
	index := map[string]int{}
	for i, s := range steps {
		index[s.Name] = i
	}
	for i := 0; i < len(steps); {
		if r.steps++; r.steps > maxWorkflowSteps {
			return nil, false, "", wfFail("ResourceLimitError", "the execution ran more than %d steps", maxWorkflowSteps)
		}
		if err := r.ctx.Err(); err != nil {
			return nil, false, "", wfFail("CancelledError", "the execution was cancelled: %v", err)
		}
		s := steps[i]
		ret, returned, jump, err := r.runStep(s, vars)
		if err != nil || returned {
			return ret, returned, "", err
		}
		if jump == "" {
			jump = s.Next
		}
		switch jump {
		case "":
			i++
		case "end":
			return nil, false, "end", nil
		default:
			j, ok := index[jump]
			if !ok {
				return nil, false, jump, nil
			}
			i = j
		}
	}
	return nil, false, "", nil
}

func (r *wfRun) runStep(s *workflowsrc.Step, vars map[string]any) (any, bool, string, *wfError) {
	at := func(err error) *wfError {
		var we *wfError
		if e, ok := err.(*wfError); ok {
			we = e
		} else {
			we = wfFail(errorTag(err.Error()), "%v", err)
		}
		return we
	}
	if s.Unsupported != "" {
		return nil, false, "", wfFail("UnsupportedError", "step %q (line %d) uses %q, which the emulator does not run; it runs assign, call, return, raise, steps and next", s.Name, s.Line, s.Unsupported)
	}
	for _, a := range s.Assign {
		v, err := workflowsrc.Eval(a.Value, r.env(vars))
		if err != nil {
			return nil, false, "", at(fmt.Errorf("step %q: %v", s.Name, err))
		}
		if err := assignVar(vars, a.Name, v); err != nil {
			return nil, false, "", at(fmt.Errorf("step %q: %v", s.Name, err))
		}
	}
	if s.Call != "" {
		v, err := r.call(s, vars)
		if err != nil {
			return nil, false, "", err
		}
		if s.Result != "" {
			vars[s.Result] = v
		}
	}
	if len(s.Steps) > 0 {
		ret, returned, jump, err := r.runSteps(s.Steps, vars)
		if err != nil || returned || jump != "" {
			return ret, returned, jump, err
		}
	}
	if s.HasRaise {
		v, err := workflowsrc.Eval(s.Raise, r.env(vars))
		if err != nil {
			return nil, false, "", at(fmt.Errorf("step %q: %v", s.Name, err))
		}
		return nil, false, "", &wfError{payload: v}
	}
	if s.HasReturn {
		v, err := workflowsrc.Eval(s.Return, r.env(vars))
		if err != nil {
			return nil, false, "", at(fmt.Errorf("step %q: %v", s.Name, err))
		}
		return v, true, "", nil
	}
	return nil, false, "", nil
}

// errorTag picks the Workflows error tag from an evaluator message
// ("KeyError: …").
func errorTag(msg string) string {
	for _, t := range []string{"KeyError", "IndexError", "TypeError", "ValueError", "ZeroDivisionError"} {
		if strings.Contains(msg, t+":") {
			return t
		}
	}
	return "ValueError"
}

// assignVar sets name, or a field of a map variable for "a.b".
func assignVar(vars map[string]any, name string, v any) error {
	parts := strings.Split(name, ".")
	if len(parts) == 1 {
		vars[name] = v
		return nil
	}
	cur, ok := vars[parts[0]].(map[string]any)
	if !ok {
		return fmt.Errorf("KeyError: %s is not a map", parts[0])
	}
	for _, p := range parts[1 : len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	cur[parts[len(parts)-1]] = v
	return nil
}

func (r *wfRun) call(s *workflowsrc.Step, vars map[string]any) (any, *wfError) {
	argsV, err := workflowsrc.Eval(anyMap(s.Args), r.env(vars))
	if err != nil {
		return nil, wfFail(errorTag(err.Error()), "step %q: %v", s.Name, err)
	}
	args, _ := argsV.(map[string]any)
	switch {
	case workflowsrc.IsHTTPFunction(s.Call):
		return r.httpCall(s, args)
	case s.Call == "sys.log":
		return nil, nil
	}
	if sub, ok := r.wf.Subworkflows[s.Call]; ok && s.Call != "main" {
		inner := map[string]any{}
		for _, p := range sub.Params {
			v, ok := args[p]
			if !ok {
				return nil, wfFail("TypeError", "step %q: subworkflow %s needs argument %q", s.Name, sub.Name, p)
			}
			inner[p] = v
		}
		return r.callSubworkflow(sub, inner)
	}
	return nil, wfFail("UnsupportedError", "step %q (line %d) calls %s, which the emulator does not run; it runs http.*, sys.log and subworkflows", s.Name, s.Line, s.Call)
}

func anyMap(m map[string]any) any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// httpCall makes one http.* call and returns {code, headers, body}.
func (r *wfRun) httpCall(s *workflowsrc.Step, args map[string]any) (any, *wfError) {
	rawURL, _ := args["url"].(string)
	if rawURL == "" {
		return nil, wfFail("ValueError", "step %q: %s needs args.url", s.Name, s.Call)
	}
	method := workflowsrc.HTTPMethodOf(s.Call)
	if method == "" {
		m, _ := args["method"].(string)
		if m == "" {
			return nil, wfFail("ValueError", "step %q: http.request needs args.method", s.Name)
		}
		method = strings.ToUpper(m)
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return nil, wfFail("ValueError", "step %q: args.url %q is not an absolute URL", s.Name, rawURL)
	}
	if q, ok := args["query"].(map[string]any); ok && len(q) > 0 {
		vals := u.Query()
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			vals.Set(k, scalarString(q[k]))
		}
		u.RawQuery = vals.Encode()
	}
	h := http.Header{}
	if hs, ok := args["headers"].(map[string]any); ok {
		for k, v := range hs {
			h.Set(k, scalarString(v))
		}
	}
	h.Set("User-Agent", workflowsUserAgent)
	var body []byte
	if b, ok := args["body"]; ok && b != nil {
		ct := strings.ToLower(h.Get("Content-Type"))
		if s, isStr := b.(string); isStr && ct != "" && !strings.Contains(ct, "json") {
			body = []byte(s)
		} else {
			body, _ = json.Marshal(b)
			if ct == "" {
				h.Set("Content-Type", "application/json")
			}
		}
	}
	call := outboundCall{Caller: "workflows", Source: r.source, Method: method, URL: u.String(), Header: h, Body: body}
	if auth, ok := args["auth"].(map[string]any); ok {
		typ, _ := auth["type"].(string)
		switch strings.ToUpper(typ) {
		case "OIDC":
			aud, _ := auth["audience"].(string)
			if aud == "" {
				aud = rawURL
			}
			call.Token = tokenSpec{Kind: "oidc", ServiceAccount: r.account, Audience: aud}
		case "OAUTH2":
			call.Token = tokenSpec{Kind: "oauth", ServiceAccount: r.account}
			switch sc := auth["scopes"].(type) {
			case string:
				call.Token.Scopes = strings.Fields(strings.ReplaceAll(sc, ",", " "))
			case []any:
				for _, x := range sc {
					call.Token.Scopes = append(call.Token.Scopes, scalarString(x))
				}
			}
		default:
			return nil, wfFail("ValueError", "step %q: auth.type %q is not OIDC or OAuth2", s.Name, typ)
		}
	}
	a := r.e.deliver(r.ctx, call)
	if a.StatusCode == 0 {
		tag := "ConnectionError"
		if strings.HasPrefix(a.Error, "PERMISSION_DENIED") {
			tag = "AuthError"
		}
		return nil, &wfError{payload: map[string]any{"message": a.Error, "tags": []any{tag}}}
	}
	var respBody any = a.Response
	if v, err := workflowsrc.DecodeJSON([]byte(a.Response)); err == nil && json.Valid([]byte(a.Response)) {
		respBody = v
	}
	resp := map[string]any{"code": int64(a.StatusCode), "headers": map[string]any{}, "body": respBody}
	if a.StatusCode < 200 || a.StatusCode > 299 {
		return nil, &wfError{payload: map[string]any{
			"message": fmt.Sprintf("HTTP server responded with error code %d", a.StatusCode),
			"code":    int64(a.StatusCode), "headers": map[string]any{}, "body": respBody,
			"tags": []any{"HttpError"},
		}}
	}
	return resp, nil
}

// scalarString renders a query or header value.
func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}
