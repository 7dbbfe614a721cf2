package emulator

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	executions "google.golang.org/api/workflowexecutions/v1"
	workflows "google.golang.org/api/workflows/v1"
)

const wfSource = `
main:
  steps:
    - callHello:
        call: http.get
        args:
          url: %URL%/greet
          auth:
            type: OIDC
            audience: %URL%
        result: resp
    - done:
        return: ${resp.body.caller}
`

// wfClients are the Workflows and Workflow Executions clients of an env.
type wfClients struct {
	wfs   *workflows.ProjectsLocationsWorkflowsService
	ops   *workflows.ProjectsLocationsOperationsService
	execs *executions.ProjectsLocationsWorkflowsExecutionsService
}

func newWfClients(t *testing.T, env *callerEnv) *wfClients {
	t.Helper()
	ctx := testContext(t)
	ws, err := workflows.NewService(ctx, env.clientOptions()...)
	wantNoError(t, err, "workflows.NewService")
	xs, err := executions.NewService(ctx, env.clientOptions()...)
	wantNoError(t, err, "workflowexecutions.NewService")
	return &wfClients{wfs: ws.Projects.Locations.Workflows, ops: ws.Projects.Locations.Operations, execs: xs.Projects.Locations.Workflows.Executions}
}

// deploy creates a workflow and returns the operation's workflow.
func (c *wfClients) deploy(t *testing.T, parent, id, sa, src string) *workflows.Workflow {
	t.Helper()
	ctx := testContext(t)
	op, err := c.wfs.Create(parent, &workflows.Workflow{ServiceAccount: sa, SourceContents: src}).WorkflowId(id).Context(ctx).Do()
	wantNoError(t, err, "create workflow")
	if !op.Done || op.Error != nil {
		t.Fatalf("create operation = %+v, want done without error", op)
	}
	var wf workflows.Workflow
	if err := json.Unmarshal(op.Response, &wf); err != nil {
		t.Fatalf("operation response: %v", err)
	}
	return &wf
}

func TestWorkflowsCRUD(t *testing.T) {
	env := newCallerEnv(t)
	c := newWfClients(t, env)
	ctx := testContext(t)
	src := strings.ReplaceAll(wfSource, "%URL%", env.helloURL)
	wf := c.deploy(t, callerParent, "greeter", callerInvoker, src)
	if wf.Name != callerParent+"/workflows/greeter" || wf.State != "ACTIVE" || !strings.HasPrefix(wf.RevisionId, "000001-") ||
		wf.ServiceAccount != "projects/demo-project/serviceAccounts/"+callerInvoker {
		t.Fatalf("deployed workflow = %+v", wf)
	}
	got, err := c.wfs.Get(wf.Name).Context(ctx).Do()
	wantNoError(t, err, "get")
	if got.SourceContents != src || got.RevisionId != wf.RevisionId {
		t.Fatalf("get = %+v", got)
	}

	// A description change keeps the revision; a source change makes one.
	op, err := c.wfs.Patch(wf.Name, &workflows.Workflow{Description: "says hello"}).UpdateMask("description").Context(ctx).Do()
	wantNoError(t, err, "patch description")
	got, _ = c.wfs.Get(wf.Name).Context(ctx).Do()
	if got.Description != "says hello" || got.RevisionId != wf.RevisionId || got.SourceContents != src {
		t.Fatalf("after description patch = %+v (op %+v)", got, op)
	}
	_, err = c.wfs.Patch(wf.Name, &workflows.Workflow{SourceContents: "- only:\n    return: 1\n"}).UpdateMask("sourceContents").Context(ctx).Do()
	wantNoError(t, err, "patch source")
	got, _ = c.wfs.Get(wf.Name).Context(ctx).Do()
	if !strings.HasPrefix(got.RevisionId, "000002-") || got.Description != "says hello" {
		t.Fatalf("after source patch = %+v", got)
	}

	// The default service account is the Compute Engine default account.
	def := c.deploy(t, "projects/123456789012/locations/us-central1", "defaulted", "", src)
	if def.ServiceAccount != "projects/demo-project/serviceAccounts/123456789012-compute@developer.gserviceaccount.com" {
		t.Fatalf("default serviceAccount = %q", def.ServiceAccount)
	}

	list, err := c.wfs.List(callerParent).Context(ctx).Do()
	wantNoError(t, err, "list")
	if len(list.Workflows) != 2 {
		t.Fatalf("list = %d workflows, want 2", len(list.Workflows))
	}

	errTests := []struct {
		name, id, sa, src, msg string
		code                   int
	}{
		{"duplicate", "greeter", "", src, "already exists", 409},
		{"bad id", "1bad", "", src, "Invalid workflowId", 400},
		{"empty source", "w", "", " ", "must not be empty", 400},
		{"unparsable source", "w", "", "main: [", "parse error", 400},
		{"missing account", "w", "ghost@demo-project.iam.gserviceaccount.com", src, "does not exist", 400},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.wfs.Create(callerParent, &workflows.Workflow{ServiceAccount: tt.sa, SourceContents: tt.src}).WorkflowId(tt.id).Context(ctx).Do()
			wantAPIError(t, err, tt.code, tt.msg)
		})
	}

	dop, err := c.wfs.Delete(wf.Name).Context(ctx).Do()
	wantNoError(t, err, "delete")
	polled, err := c.ops.Get(dop.Name).Context(ctx).Do()
	wantNoError(t, err, "operations.get")
	if !polled.Done || !strings.HasPrefix(polled.Name, callerParent+"/operations/") {
		t.Fatalf("delete operation = %+v", polled)
	}
	_, err = c.wfs.Get(wf.Name).Context(ctx).Do()
	wantAPIError(t, err, 404, "")
}

func TestWorkflowsOperationsTakeLRODelay(t *testing.T) {
	clock := newManualClock()
	te := startEmulator(t, Options{Seed: callerTestSeed(), Now: clock.Now, LRODelay: 2 * time.Second})
	env := &callerEnv{testEmulator: te, clock: clock}
	c := newWfClients(t, env)
	ctx := testContext(t)
	op, err := c.wfs.Create(callerParent, &workflows.Workflow{SourceContents: "- a:\n    return: 1\n"}).WorkflowId("slow").Context(ctx).Do()
	wantNoError(t, err, "create")
	if op.Done {
		t.Fatal("operation done before LRODelay")
	}
	clock.Advance(2 * time.Second)
	got, err := c.ops.Get(op.Name).Context(ctx).Do()
	wantNoError(t, err, "operations.get")
	if !got.Done || got.Response == nil {
		t.Fatalf("operation after delay = %+v", got)
	}
}

func TestWorkflowExecutions(t *testing.T) {
	tests := []struct {
		name      string
		project   string
		sa        string
		src       string // %URL% = hello, %PRIV% = private service
		argument  string
		wantState string
		want      string // result, or a part of the error payload
		wantCall  int    // HTTP status of the recorded attempt, -1 for no attempt
		wantID    string
	}{
		{
			name: "oidc root audience reaches hello as the workflow's account",
			sa:   callerInvoker, src: wfSource, wantState: "SUCCEEDED", want: `"` + callerInvoker + `"`, wantCall: 200, wantID: callerInvoker,
		},
		{
			name:    "runs as its own account: no service agent grant needed",
			project: "other-project", sa: callerRunner,
			src:       strings.ReplaceAll(wfSource, "%URL%", "%PRIV%"),
			wantState: "SUCCEEDED", want: `"` + callerRunner + `"`, wantCall: 200, wantID: callerRunner,
		},
		{
			name:      "no auth block gets 403",
			sa:        callerInvoker,
			src:       "- c:\n    call: http.get\n    args: {url: \"%URL%\"}\n    result: r\n- d:\n    return: ${r.code}\n",
			wantState: "FAILED", want: `"code":403`, wantCall: 403,
		},
		{
			name:      "audience with a path gets 401",
			sa:        callerInvoker,
			src:       "- c:\n    call: http.get\n    args:\n      url: \"%URL%/x\"\n      auth: {type: OIDC}\n",
			wantState: "FAILED", want: "HttpError", wantCall: 401, wantID: callerInvoker,
		},
		{
			name:      "oauth2 to run.app sends no token",
			sa:        callerInvoker,
			src:       "- c:\n    call: http.get\n    args:\n      url: \"%URL%\"\n      auth: {type: OAuth2}\n",
			wantState: "FAILED", want: `"code":403`, wantCall: 403,
		},
		{
			name: "account without invoker gets 403",
			sa:   callerNobody, src: wfSource, wantState: "FAILED", want: `"code":403`, wantCall: 403, wantID: callerNobody,
		},
		{
			name: "arguments, assign, query, body and subworkflows",
			sa:   callerInvoker,
			src: `main:
  params: [args]
  steps:
    - init:
        assign:
          - who: ${args.name}
          - base: "%URL%"
    - post:
        call: http.request
        args:
          method: POST
          url: ${base + "/hi"}
          query: {lang: en}
          body: {who: "${who}"}
          auth: {type: OIDC, audience: "${base}"}
        result: resp
    - wrap:
        call: shout
        args: {text: '${resp.body.query + " " + resp.body.body}'}
        result: out
    - done:
        return: ${out}
shout:
  params: [text]
  steps:
    - s:
        return: ${text + "!"}
`,
			argument:  `{"name": "ada"}`,
			wantState: "SUCCEEDED", want: `"lang=en {\"who\":\"ada\"}!"`, wantCall: 200, wantID: callerInvoker,
		},
		{
			name:      "unsupported step kind fails clearly",
			sa:        callerInvoker,
			src:       "- s:\n    switch:\n      - condition: true\n        next: end\n",
			wantState: "FAILED", want: "UnsupportedError", wantCall: -1,
		},
		{
			name:      "raise fails the execution with the payload",
			sa:        callerInvoker,
			src:       "- s:\n    raise: {code: 55, message: boom}\n",
			wantState: "FAILED", want: `"message":"boom"`, wantCall: -1,
		},
		{
			name:      "next jumps and end stops",
			sa:        callerInvoker,
			src:       "- a:\n    assign: [{n: 1}]\n    next: c\n- b:\n    return: skipped\n- c:\n    return: ${n + 1}\n",
			wantState: "SUCCEEDED", want: "2", wantCall: -1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newCallerEnv(t)
			c := newWfClients(t, env)
			ctx := testContext(t)
			project := tt.project
			if project == "" {
				project = "demo-project"
			}
			parent := "projects/" + project + "/locations/us-central1"
			src := strings.ReplaceAll(strings.ReplaceAll(tt.src, "%URL%", env.helloURL), "%PRIV%", env.privURL)
			wf := c.deploy(t, parent, "w", tt.sa, src)
			x, err := c.execs.Create(wf.Name, &executions.Execution{Argument: tt.argument}).Context(ctx).Do()
			wantNoError(t, err, "create execution")
			if x.State != tt.wantState {
				t.Fatalf("execution state = %s (result %q, error %+v), want %s", x.State, x.Result, x.Error, tt.wantState)
			}
			got := x.Result
			if x.Error != nil {
				got = x.Error.Payload
			}
			if (tt.wantState == "SUCCEEDED" && got != tt.want) || !strings.Contains(got, tt.want) {
				t.Fatalf("execution result/error = %s, want %s", got, tt.want)
			}
			fetched, err := c.execs.Get(x.Name).Context(ctx).Do()
			wantNoError(t, err, "get execution")
			if fetched.State != x.State || fetched.Result != x.Result || fetched.EndTime == "" {
				t.Fatalf("get execution = %+v, want %+v", fetched, x)
			}
			as := attemptsOf(env.Emulator, "workflows")
			if tt.wantCall == -1 {
				if len(as) != 0 {
					t.Fatalf("attempts = %+v, want none", as)
				}
				return
			}
			if len(as) != 1 || as[0].StatusCode != tt.wantCall || as[0].Source != x.Name || as[0].Identity != tt.wantID {
				t.Fatalf("attempts = %+v, want one with status %d as %q from %s", as, tt.wantCall, tt.wantID, x.Name)
			}
		})
	}
}

func TestWorkflowExecutionsList(t *testing.T) {
	env := newCallerEnv(t)
	c := newWfClients(t, env)
	ctx := testContext(t)
	wf := c.deploy(t, callerParent, "w", callerInvoker, "- a:\n    return: ${sys.get_env(\"GOOGLE_CLOUD_WORKFLOW_ID\")}\n")
	for i := 0; i < 2; i++ {
		x, err := c.execs.Create(wf.Name, &executions.Execution{}).Context(ctx).Do()
		wantNoError(t, err, "create execution")
		if x.Result != `"w"` {
			t.Fatalf("result = %s", x.Result)
		}
		env.clock.Advance(time.Second)
	}
	list, err := c.execs.List(wf.Name).Context(ctx).Do()
	wantNoError(t, err, "list")
	if len(list.Executions) != 2 || list.Executions[0].StartTime <= list.Executions[1].StartTime {
		t.Fatalf("list = %+v, want 2 newest first", list.Executions)
	}
	_, err = c.execs.Create(callerParent+"/workflows/missing", &executions.Execution{}).Context(ctx).Do()
	wantAPIError(t, err, 404, "")
	_, err = c.execs.Create(wf.Name, &executions.Execution{Argument: "{not json"}).Context(ctx).Do()
	wantAPIError(t, err, 400, "JSON")
}
