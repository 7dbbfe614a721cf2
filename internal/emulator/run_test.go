package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	run "google.golang.org/api/run/v2"
)

const (
	runParent = "projects/demo-project/locations/us-central1"
	helloSvc  = runParent + "/services/hello"
)

func newRunClient(t *testing.T, te *testEmulator) *run.Service {
	t.Helper()
	s, err := run.NewService(testContext(t), te.clientOptions()...)
	wantNoError(t, err, "run.NewService")
	return s
}

// waitRunOp polls operations.get until the operation is done, as the
// provider does, and decodes its response into a service.
func waitRunOp(t *testing.T, s *run.Service, op *run.GoogleLongrunningOperation) *run.GoogleCloudRunV2Service {
	t.Helper()
	ctx := testContext(t)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !op.Done {
		select {
		case <-ctx.Done():
			t.Fatalf("operation %s not done before the deadline", op.Name)
		case <-tick.C:
		}
		var err error
		op, err = s.Projects.Locations.Operations.Get(op.Name).Context(ctx).Do()
		wantNoError(t, err, "operations.get")
	}
	if op.Error != nil {
		t.Fatalf("operation %s failed: %d %s", op.Name, op.Error.Code, op.Error.Message)
	}
	var svc run.GoogleCloudRunV2Service
	if err := json.Unmarshal(op.Response, &svc); err != nil {
		t.Fatalf("operation response is not a Service: %v", err)
	}
	return &svc
}

func TestRunServiceLifecycle(t *testing.T) {
	te := startEmulator(t, Options{LRODelay: 50 * time.Millisecond})
	s := newRunClient(t, te)
	ctx := testContext(t)
	svcs := s.Projects.Locations.Services
	port := te.Port()

	op, err := svcs.Create(runParent, &run.GoogleCloudRunV2Service{
		Description: "api",
		Template:    &run.GoogleCloudRunV2RevisionTemplate{ServiceAccount: "runner@demo-project.iam.gserviceaccount.com"},
	}).ServiceId("api").Context(ctx).Do()
	wantNoError(t, err, "services.create")
	if !strings.HasPrefix(op.Name, runParent+"/operations/") {
		t.Fatalf("operation name %q, want it under %s/operations/", op.Name, runParent)
	}
	created := waitRunOp(t, s, op)

	uriRe := regexp.MustCompile(`^http://api-[a-z2-7]{10}-uc\.a\.run\.localhost:` + port + `$`)
	if !uriRe.MatchString(created.Uri) {
		t.Errorf("uri = %q, want http://api-HASH-uc.a.run.localhost:%s", created.Uri, port)
	}
	wantURLs := []string{created.Uri, "http://api-123456789012.us-central1.run.localhost:" + port}
	if fmt.Sprint(created.Urls) != fmt.Sprint(wantURLs) {
		t.Errorf("urls = %v, want %v", created.Urls, wantURLs)
	}

	got, err := svcs.Get(runParent + "/services/api").Context(ctx).Do()
	wantNoError(t, err, "services.get")
	checks := []struct {
		field     string
		got, want any
	}{
		{"name", got.Name, runParent + "/services/api"},
		{"uri", got.Uri, created.Uri},
		{"ingress", got.Ingress, "INGRESS_TRAFFIC_ALL"},
		{"generation", got.Generation, int64(1)},
		{"description", got.Description, "api"},
		{"template.serviceAccount", got.Template.ServiceAccount, "runner@demo-project.iam.gserviceaccount.com"},
		{"terminalCondition", got.TerminalCondition.Type + "/" + got.TerminalCondition.State, "Ready/CONDITION_SUCCEEDED"},
		{"uid set", got.Uid != "", true},
		{"etag set", got.Etag != "", true},
		{"createTime set", got.CreateTime != "", true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("get: %s = %v, want %v", c.field, c.got, c.want)
		}
	}

	// Only the masked field changes: the description sent along is ignored.
	op, err = svcs.Patch(got.Name, &run.GoogleCloudRunV2Service{
		Ingress:     "INGRESS_TRAFFIC_INTERNAL_ONLY",
		Description: "ignored",
	}).UpdateMask("ingress").Context(ctx).Do()
	wantNoError(t, err, "services.patch")
	patched := waitRunOp(t, s, op)
	if patched.Ingress != "INGRESS_TRAFFIC_INTERNAL_ONLY" || patched.Description != "api" || patched.Generation != 2 {
		t.Errorf("after patch: ingress %q description %q generation %d, want INGRESS_TRAFFIC_INTERNAL_ONLY, api, 2",
			patched.Ingress, patched.Description, patched.Generation)
	}
	if patched.Etag == got.Etag {
		t.Errorf("patch kept etag %q", patched.Etag)
	}

	op, err = svcs.Delete(got.Name).Context(ctx).Do()
	wantNoError(t, err, "services.delete")
	waitRunOp(t, s, op)
	_, err = svcs.Get(got.Name).Context(ctx).Do()
	wantAPIError(t, err, http.StatusNotFound, "Resource 'api' of kind 'SERVICE' in region 'us-central1' in project 'demo-project' does not exist.")
}

func TestRunOperationDoneOnlyAfterDelay(t *testing.T) {
	clock := newManualClock()
	te := startEmulator(t, Options{LRODelay: time.Minute, Now: clock.Now})
	s := newRunClient(t, te)
	ctx := testContext(t)

	op, err := s.Projects.Locations.Services.Create(runParent, &run.GoogleCloudRunV2Service{}).ServiceId("slow").Context(ctx).Do()
	wantNoError(t, err, "services.create")
	if op.Done {
		t.Fatalf("operation done at once, want it pending for LRODelay")
	}
	clock.Advance(59 * time.Second)
	op, err = s.Projects.Locations.Operations.Get(op.Name).Context(ctx).Do()
	wantNoError(t, err, "operations.get")
	if op.Done {
		t.Fatalf("operation done before LRODelay")
	}
	clock.Advance(time.Second)
	op, err = s.Projects.Locations.Operations.Wait(op.Name, &run.GoogleLongrunningWaitOperationRequest{Timeout: "1s"}).Context(ctx).Do()
	wantNoError(t, err, "operations.wait")
	if !op.Done || op.Response == nil {
		t.Fatalf("operation after LRODelay: done=%v response=%s, want done with a response", op.Done, op.Response)
	}

	_, err = s.Projects.Locations.Operations.Get(runParent + "/operations/op-missing").Context(ctx).Do()
	wantAPIError(t, err, http.StatusNotFound, "")
}

func TestRunServiceListPagination(t *testing.T) {
	te := startEmulator(t, Options{})
	s := newRunClient(t, te)
	ctx := testContext(t)
	for _, id := range []string{"b-svc", "a-svc", "c-svc"} {
		_, err := s.Projects.Locations.Services.Create(runParent, &run.GoogleCloudRunV2Service{}).ServiceId(id).Context(ctx).Do()
		wantNoError(t, err, "create "+id)
	}
	var names []string
	pages := 0
	err := s.Projects.Locations.Services.List(runParent).PageSize(2).Pages(ctx, func(resp *run.GoogleCloudRunV2ListServicesResponse) error {
		pages++
		if len(resp.Services) > 2 {
			t.Errorf("page of %d services, want at most 2", len(resp.Services))
		}
		for _, svc := range resp.Services {
			names = append(names, strings.TrimPrefix(svc.Name, runParent+"/services/"))
			if svc.Uri == "" {
				t.Errorf("listed service %s has no uri", svc.Name)
			}
		}
		return nil
	})
	wantNoError(t, err, "services.list")
	// The seed holds "hello" and "hello-fn" (the gen2 function's service).
	if want := "[a-svc b-svc c-svc hello hello-fn]"; fmt.Sprint(names) != want || pages != 3 {
		t.Fatalf("listed %v in %d pages, want %s in 3", names, pages, want)
	}

	all, err := s.Projects.Locations.Services.List("projects/demo-project/locations/-").Context(ctx).Do()
	wantNoError(t, err, "list all locations")
	if len(all.Services) != 5 || all.NextPageToken != "" {
		t.Errorf("locations/- listed %d services (next %q), want 5 and no next page", len(all.Services), all.NextPageToken)
	}

	_, err = s.Projects.Locations.Services.List(runParent).PageToken("%%%").Context(ctx).Do()
	wantAPIError(t, err, http.StatusBadRequest, "page token")
}

func TestRunServiceErrors(t *testing.T) {
	te := startEmulator(t, Options{})
	s := newRunClient(t, te)
	svcs := s.Projects.Locations.Services
	tests := []struct {
		name string
		call func() error
		code int
		msg  string
	}{
		{"duplicate create", func() error {
			_, err := svcs.Create(runParent, &run.GoogleCloudRunV2Service{}).ServiceId("hello").Do()
			return err
		}, http.StatusConflict, "Resource 'hello' already exists."},
		{"invalid service id", func() error {
			_, err := svcs.Create(runParent, &run.GoogleCloudRunV2Service{}).ServiceId("Bad_Name").Do()
			return err
		}, http.StatusBadRequest, "service_id"},
		{"missing service id", func() error {
			_, err := svcs.Create(runParent, &run.GoogleCloudRunV2Service{}).Do()
			return err
		}, http.StatusBadRequest, "service_id"},
		{"invalid ingress", func() error {
			_, err := svcs.Create(runParent, &run.GoogleCloudRunV2Service{Ingress: "EVERYONE"}).ServiceId("x-svc").Do()
			return err
		}, http.StatusBadRequest, "ingress"},
		{"get missing", func() error {
			_, err := svcs.Get(runParent + "/services/nope").Do()
			return err
		}, http.StatusNotFound, "Resource 'nope' of kind 'SERVICE'"},
		{"get in unknown project", func() error {
			_, err := svcs.Get("projects/no-such-project/locations/us-central1/services/hello").Do()
			return err
		}, http.StatusForbidden, "Permission 'run.services.get' denied on resource 'projects/no-such-project'"},
		{"create in unknown project", func() error {
			_, err := svcs.Create("projects/no-such-project/locations/us-central1", &run.GoogleCloudRunV2Service{}).ServiceId("x").Do()
			return err
		}, http.StatusForbidden, "run.services.create"},
		{"patch missing", func() error {
			_, err := svcs.Patch(runParent+"/services/nope", &run.GoogleCloudRunV2Service{}).Do()
			return err
		}, http.StatusNotFound, "Resource 'nope'"},
		{"patch output-only field", func() error {
			_, err := svcs.Patch(helloSvc, &run.GoogleCloudRunV2Service{}).UpdateMask("uri").Do()
			return err
		}, http.StatusBadRequest, "output only"},
		{"delete missing", func() error {
			_, err := svcs.Delete(runParent + "/services/nope").Do()
			return err
		}, http.StatusNotFound, ""},
		{"iam of missing service", func() error {
			_, err := svcs.GetIamPolicy(runParent + "/services/nope").Do()
			return err
		}, http.StatusNotFound, ""},
		{"iam in unknown project", func() error {
			_, err := svcs.GetIamPolicy("projects/no-such-project/locations/us-central1/services/hello").Do()
			return err
		}, http.StatusForbidden, "run.services.getIamPolicy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantAPIError(t, tt.call(), tt.code, tt.msg)
		})
	}
}

func TestRunServicePatchAllowMissingCreates(t *testing.T) {
	te := startEmulator(t, Options{})
	s := newRunClient(t, te)
	ctx := testContext(t)
	op, err := s.Projects.Locations.Services.Patch(runParent+"/services/fresh", &run.GoogleCloudRunV2Service{Description: "made by patch"}).AllowMissing(true).Context(ctx).Do()
	wantNoError(t, err, "patch allowMissing")
	svc := waitRunOp(t, s, op)
	if svc.Name != runParent+"/services/fresh" || svc.Description != "made by patch" || svc.Generation != 1 {
		t.Fatalf("patch allowMissing made %s %q generation %d", svc.Name, svc.Description, svc.Generation)
	}
}

func TestRunServiceIAMPolicy(t *testing.T) {
	seed := DefaultSeed()
	seed.ServiceAccounts = []SeedServiceAccount{{Project: "demo-project", AccountID: "invoker"}}
	te := startEmulator(t, Options{Seed: seed})
	s := newRunClient(t, te)
	svcs := s.Projects.Locations.Services
	invoker := "serviceAccount:invoker@demo-project.iam.gserviceaccount.com"

	empty, err := svcs.GetIamPolicy(helloSvc).Do()
	wantNoError(t, err, "getIamPolicy")
	if empty.Etag != "ACAB" || len(empty.Bindings) != 0 {
		t.Fatalf("policy of a new service = %+v, want empty with etag ACAB", empty)
	}

	set := func(p *run.GoogleIamV1Policy) (*run.GoogleIamV1Policy, error) {
		return svcs.SetIamPolicy(helloSvc, &run.GoogleIamV1SetIamPolicyRequest{Policy: p}).Do()
	}
	written, err := set(&run.GoogleIamV1Policy{Etag: empty.Etag, Bindings: []*run.GoogleIamV1Binding{{Role: "roles/run.invoker", Members: []string{invoker}}}})
	wantNoError(t, err, "conditional write with the current etag")
	if written.Etag == empty.Etag {
		t.Fatalf("setIamPolicy kept etag %q", written.Etag)
	}

	cond := &run.GoogleTypeExpr{Title: "until 2030", Expression: `request.time < timestamp("2030-01-01T00:00:00Z")`}
	tests := []struct {
		name   string
		policy *run.GoogleIamV1Policy
		code   int
		msg    string
	}{
		{"stale etag", &run.GoogleIamV1Policy{Etag: empty.Etag, Bindings: []*run.GoogleIamV1Binding{{Role: "roles/run.invoker", Members: []string{"allUsers"}}}},
			http.StatusConflict, "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff."},
		{"conditional binding in version 1", &run.GoogleIamV1Policy{Version: 1, Bindings: []*run.GoogleIamV1Binding{{Role: "roles/run.invoker", Members: []string{invoker}, Condition: cond}}},
			http.StatusBadRequest, "version 3"},
		{"malformed member", &run.GoogleIamV1Policy{Bindings: []*run.GoogleIamV1Binding{{Role: "roles/run.invoker", Members: []string{"robot@example.com"}}}},
			http.StatusBadRequest, "unknown type"},
		{"missing service account of an emulated project", &run.GoogleIamV1Policy{Bindings: []*run.GoogleIamV1Binding{{Role: "roles/run.invoker", Members: []string{"serviceAccount:ghost@demo-project.iam.gserviceaccount.com"}}}},
			http.StatusBadRequest, "Service account ghost@demo-project.iam.gserviceaccount.com does not exist."},
		{"role of another product", &run.GoogleIamV1Policy{Bindings: []*run.GoogleIamV1Binding{{Role: "roles/cloudfunctions.invoker", Members: []string{invoker}}}},
			http.StatusBadRequest, "Role roles/cloudfunctions.invoker is not supported for this resource."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := set(tt.policy)
			wantAPIError(t, err, tt.code, tt.msg)
		})
	}

	// A blind write (no etag) wins over whatever is stored.
	_, err = set(&run.GoogleIamV1Policy{Version: 3, Bindings: []*run.GoogleIamV1Binding{
		{Role: "roles/run.invoker", Members: []string{invoker}, Condition: cond},
		{Role: "roles/run.viewer", Members: []string{"user:alice@example.com"}},
	}})
	wantNoError(t, err, "blind write of a version 3 policy")
	v3, err := svcs.GetIamPolicy(helloSvc).OptionsRequestedPolicyVersion(3).Do()
	wantNoError(t, err, "getIamPolicy v3")
	if v3.Version != 3 || len(v3.Bindings) != 2 {
		t.Fatalf("v3 read = version %d with %d bindings, want 3 and 2", v3.Version, len(v3.Bindings))
	}
	for _, b := range v3.Bindings {
		if b.Role == "roles/run.invoker" && (b.Condition == nil || b.Condition.Title != cond.Title) {
			t.Errorf("invoker binding lost its condition: %+v", b)
		}
	}

	perms, err := svcs.TestIamPermissions(helloSvc, &run.GoogleIamV1TestIamPermissionsRequest{
		Permissions: []string{"run.routes.invoke", "run.services.setIamPolicy", "cloudfunctions.functions.invoke"},
	}).Do()
	wantNoError(t, err, "testIamPermissions")
	if fmt.Sprint(perms.Permissions) != "[run.routes.invoke run.services.setIamPolicy]" {
		t.Errorf("testIamPermissions = %v, want the two run permissions", perms.Permissions)
	}
}

func TestRunServiceDeleteDropsPolicy(t *testing.T) {
	te := startEmulator(t, Options{})
	s := newRunClient(t, te)
	svcs := s.Projects.Locations.Services
	_, err := svcs.SetIamPolicy(helloSvc, &run.GoogleIamV1SetIamPolicyRequest{Policy: &run.GoogleIamV1Policy{
		Bindings: []*run.GoogleIamV1Binding{{Role: "roles/run.invoker", Members: []string{"allUsers"}}},
	}}).Do()
	wantNoError(t, err, "setIamPolicy")
	_, err = svcs.Delete(helloSvc).Do()
	wantNoError(t, err, "delete")
	_, err = svcs.Create(runParent, &run.GoogleCloudRunV2Service{}).ServiceId("hello").Do()
	wantNoError(t, err, "re-create")
	pol, err := svcs.GetIamPolicy(helloSvc).Do()
	wantNoError(t, err, "getIamPolicy")
	if len(pol.Bindings) != 0 {
		t.Fatalf("re-created service inherited bindings %+v", pol.Bindings)
	}
}

func TestRunAuthenticationFaultsAndConcurrentWriter(t *testing.T) {
	t.Run("missing authorization is 401", func(t *testing.T) {
		te := startEmulator(t, Options{})
		s, err := run.NewService(testContext(t), te.unauthenticatedOptions()...)
		wantNoError(t, err, "run.NewService")
		_, err = s.Projects.Locations.Services.Get(helloSvc).Do()
		wantAPIError(t, err, http.StatusUnauthorized, "authentication credential")
	})
	t.Run("injected fault is seen once", func(t *testing.T) {
		te := startEmulator(t, Options{Faults: Faults{FailNext: map[string]*FailSpec{"run.services.getIamPolicy": {Code: 503, Count: 1}}}})
		s := newRunClient(t, te)
		_, err := s.Projects.Locations.Services.GetIamPolicy(helloSvc).Do()
		wantAPIError(t, err, http.StatusServiceUnavailable, "")
		_, err = s.Projects.Locations.Services.GetIamPolicy(helloSvc).Do()
		wantNoError(t, err, "getIamPolicy after the injected failure")
		if n := te.Calls()["run.services.getIamPolicy"]; n != 2 {
			t.Errorf("calls[run.services.getIamPolicy] = %d, want 2", n)
		}
	})
	t.Run("concurrent writer makes a stale write fail", func(t *testing.T) {
		te := startEmulator(t, Options{Faults: Faults{ConcurrentWriterRate: 1}})
		s := newRunClient(t, te)
		pol, err := s.Projects.Locations.Services.GetIamPolicy(helloSvc).Do()
		wantNoError(t, err, "getIamPolicy")
		pol.Bindings = append(pol.Bindings, &run.GoogleIamV1Binding{Role: "roles/run.invoker", Members: []string{"allUsers"}})
		_, err = s.Projects.Locations.Services.SetIamPolicy(helloSvc, &run.GoogleIamV1SetIamPolicyRequest{Policy: pol}).Do()
		wantAPIError(t, err, http.StatusConflict, "concurrent policy changes")
		if w := te.ConcurrentWrites(); len(w) != 1 || w[0].Resource != helloSvc || w[0].Role != "roles/run.invoker" {
			t.Errorf("concurrent writes = %+v, want one invoker write on %s", w, helloSvc)
		}
	})
}

// requestLog records what the Go client sends.
type requestLog struct {
	mu   sync.Mutex
	reqs []string
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.reqs = append(l.reqs, r.Method+" "+r.URL.Path+"?"+r.URL.Query().Get("options.requestedPolicyVersion"))
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func TestRunClientURLFormsMatchRoutes(t *testing.T) {
	e, err := New(Options{})
	wantNoError(t, err, "New")
	t.Cleanup(e.Close)
	var log requestLog
	srv := httptest.NewServer(log.wrap(e))
	t.Cleanup(srv.Close)
	e.SetBaseURL(srv.URL)
	te := &testEmulator{Emulator: e, srv: srv}
	s := newRunClient(t, te)
	svcs := s.Projects.Locations.Services

	_, err = svcs.GetIamPolicy(helloSvc).OptionsRequestedPolicyVersion(3).Do()
	wantNoError(t, err, "getIamPolicy")
	_, err = svcs.SetIamPolicy(helloSvc, &run.GoogleIamV1SetIamPolicyRequest{Policy: &run.GoogleIamV1Policy{}}).Do()
	wantNoError(t, err, "setIamPolicy")
	_, err = svcs.TestIamPermissions(helloSvc, &run.GoogleIamV1TestIamPermissionsRequest{Permissions: []string{"run.routes.invoke"}}).Do()
	wantNoError(t, err, "testIamPermissions")
	_, err = svcs.List(runParent).Do()
	wantNoError(t, err, "list")

	want := []string{
		"GET /v2/" + helloSvc + ":getIamPolicy?3",
		"POST /v2/" + helloSvc + ":setIamPolicy?",
		"POST /v2/" + helloSvc + ":testIamPermissions?",
		"GET /v2/" + runParent + "/services?",
	}
	if fmt.Sprint(log.reqs) != fmt.Sprint(want) {
		t.Fatalf("client sent %q, want %q", log.reqs, want)
	}
	calls := e.Calls()
	for _, m := range []string{"run.services.getIamPolicy", "run.services.setIamPolicy", "run.services.testIamPermissions", "run.services.list"} {
		if calls[m] != 1 {
			t.Errorf("calls[%s] = %d, want 1", m, calls[m])
		}
	}
}

func TestRunURLsFollowThePortAcrossRestarts(t *testing.T) {
	statePath := filepath.Join(t.TempDir(), "state.json")
	first := startEmulator(t, Options{StatePath: statePath})
	s1 := newRunClient(t, first)
	before, err := s1.Projects.Locations.Services.Get(helloSvc).Do()
	wantNoError(t, err, "get on the first emulator")

	second := startEmulator(t, Options{StatePath: statePath})
	s2 := newRunClient(t, second)
	after, err := s2.Projects.Locations.Services.Get(helloSvc).Do()
	wantNoError(t, err, "get after restart")

	if first.Port() == second.Port() {
		t.Fatalf("both emulators on port %s", first.Port())
	}
	if before.Uid != after.Uid {
		t.Fatalf("restart lost the service: uid %s then %s", before.Uid, after.Uid)
	}
	wantURI := strings.Replace(before.Uri, ":"+first.Port(), ":"+second.Port(), 1)
	if after.Uri != wantURI || !strings.HasSuffix(after.Urls[1], ":"+second.Port()) {
		t.Fatalf("after restart uri %q urls %v, want %q and the new port", after.Uri, after.Urls, wantURI)
	}
}

func TestRunServiceForHost(t *testing.T) {
	te := startEmulator(t, Options{})
	s := newRunClient(t, te)
	hello, err := s.Projects.Locations.Services.Get(helloSvc).Do()
	wantNoError(t, err, "get")
	hostOf := func(u string) string { return strings.TrimPrefix(u, "http://") }
	hashHost, numHost := hostOf(hello.Urls[0]), hostOf(hello.Urls[1])
	tests := []struct {
		host string
		want string
	}{
		{hashHost, helloSvc},
		{numHost, helloSvc},
		{strings.Split(hashHost, ":")[0], helloSvc},
		{strings.ToUpper(numHost), helloSvc},
		{"nope-" + strings.TrimPrefix(hashHost, "hello-"), ""},
		{"hello-999.us-central1.run.localhost", ""},
		{"127.0.0.1:" + te.Port(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			var got string
			_ = te.read(func(st *State) error {
				if svc := te.runServiceForHost(st, tt.host); svc != nil {
					got = svc.Name
				}
				return nil
			})
			if got != tt.want {
				t.Fatalf("runServiceForHost(%q) = %q, want %q", tt.host, got, tt.want)
			}
		})
	}
}
