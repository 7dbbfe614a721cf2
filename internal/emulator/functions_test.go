package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	cfv1 "google.golang.org/api/cloudfunctions/v1"
	cfv2 "google.golang.org/api/cloudfunctions/v2"
	run "google.golang.org/api/run/v2"
)

const (
	fnParent   = "projects/demo-project/locations/us-central1"
	legacyFn   = fnParent + "/functions/legacy-fn"
	helloFn    = fnParent + "/functions/hello-fn"
	pollPeriod = 10 * time.Millisecond
)

func newFunctionClients(t *testing.T, te *testEmulator) (*cfv1.Service, *cfv2.Service) {
	t.Helper()
	v1, err := cfv1.NewService(testContext(t), te.clientOptions()...)
	wantNoError(t, err, "cloudfunctions v1 NewService")
	v2, err := cfv2.NewService(testContext(t), te.clientOptions()...)
	wantNoError(t, err, "cloudfunctions v2 NewService")
	return v1, v2
}

// waitV1Op polls a v1 operation to done and decodes its response into out
// (when out is not nil).
func waitV1Op(t *testing.T, s *cfv1.Service, op *cfv1.Operation, out any) {
	t.Helper()
	ctx := testContext(t)
	for !op.Done {
		select {
		case <-ctx.Done():
			t.Fatalf("operation %s not done before the deadline", op.Name)
		case <-time.After(pollPeriod):
		}
		var err error
		op, err = s.Operations.Get(op.Name).Context(ctx).Do()
		wantNoError(t, err, "v1 operations.get")
	}
	if op.Error != nil {
		t.Fatalf("operation %s failed: %s", op.Name, op.Error.Message)
	}
	if out != nil {
		if err := json.Unmarshal(op.Response, out); err != nil {
			t.Fatalf("decoding operation response: %v", err)
		}
	}
}

// waitV2Op polls a v2 operation to done and decodes its response into out
// (when out is not nil).
func waitV2Op(t *testing.T, s *cfv2.Service, op *cfv2.Operation, out any) {
	t.Helper()
	ctx := testContext(t)
	for !op.Done {
		select {
		case <-ctx.Done():
			t.Fatalf("operation %s not done before the deadline", op.Name)
		case <-time.After(pollPeriod):
		}
		var err error
		op, err = s.Projects.Locations.Operations.Get(op.Name).Context(ctx).Do()
		wantNoError(t, err, "v2 operations.get")
	}
	if op.Error != nil {
		t.Fatalf("operation %s failed: %s", op.Name, op.Error.Message)
	}
	if out != nil {
		if err := json.Unmarshal(op.Response, out); err != nil {
			t.Fatalf("decoding operation response: %v", err)
		}
	}
}

func TestFunctionsV1Gen1Lifecycle(t *testing.T) {
	te := startEmulator(t, Options{LRODelay: 50 * time.Millisecond})
	v1, _ := newFunctionClients(t, te)
	fns := v1.Projects.Locations.Functions
	name := fnParent + "/functions/report"

	op, err := fns.Create(fnParent, &cfv1.CloudFunction{Name: name, Runtime: "go122", EntryPoint: "Report"}).Do()
	wantNoError(t, err, "v1 create")
	if !strings.HasPrefix(op.Name, "operations/") {
		t.Fatalf("v1 operation name %q, want operations/ID", op.Name)
	}
	var created cfv1.CloudFunction
	waitV1Op(t, v1, op, &created)

	got, err := fns.Get(name).Do()
	wantNoError(t, err, "v1 get")
	wantURL := "http://us-central1-demo-project.cloudfunctions.localhost:" + te.Port() + "/report"
	checks := []struct {
		field     string
		got, want any
	}{
		{"httpsTrigger.url", got.HttpsTrigger.Url, wantURL},
		{"operation response url", created.HttpsTrigger.Url, wantURL},
		{"httpsTrigger.securityLevel", got.HttpsTrigger.SecurityLevel, "SECURE_OPTIONAL"},
		{"ingressSettings", got.IngressSettings, "ALLOW_ALL"},
		{"serviceAccountEmail", got.ServiceAccountEmail, "demo-project@appspot.gserviceaccount.com"},
		{"status", got.Status, "ACTIVE"},
		{"versionId", got.VersionId, int64(1)},
		{"runtime", got.Runtime, "go122"},
		{"updateTime set", got.UpdateTime != "", true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.field, c.got, c.want)
		}
	}

	list, err := fns.List(fnParent).Do()
	wantNoError(t, err, "v1 list")
	var names []string
	for _, f := range list.Functions {
		names = append(names, f.Name)
	}
	if want := fmt.Sprint([]string{legacyFn, name}); fmt.Sprint(names) != want {
		t.Errorf("v1 list = %v, want the gen1 functions %s (not the gen2 one)", names, want)
	}

	op, err = fns.Delete(name).Do()
	wantNoError(t, err, "v1 delete")
	waitV1Op(t, v1, op, nil)
	_, err = fns.Get(name).Do()
	wantAPIError(t, err, http.StatusNotFound, "Function report in region us-central1 in project demo-project does not exist")
}

func TestFunctionsV2Gen2CreatesItsRunService(t *testing.T) {
	te := startEmulator(t, Options{LRODelay: 50 * time.Millisecond})
	_, v2 := newFunctionClients(t, te)
	rs := newRunClient(t, te)
	fns := v2.Projects.Locations.Functions

	op, err := fns.Create(fnParent, &cfv2.Function{
		ServiceConfig: &cfv2.ServiceConfig{ServiceAccountEmail: "fn-runner@demo-project.iam.gserviceaccount.com", IngressSettings: "ALLOW_INTERNAL_ONLY"},
	}).FunctionId("Thumbnail").Do()
	wantNoError(t, err, "v2 create")
	if !strings.HasPrefix(op.Name, fnParent+"/operations/") {
		t.Fatalf("v2 operation name %q, want it under %s/operations/", op.Name, fnParent)
	}
	var created cfv2.Function
	waitV2Op(t, v2, op, &created)

	fn, err := fns.Get(fnParent + "/functions/Thumbnail").Do()
	wantNoError(t, err, "v2 get")
	if fn.Environment != "GEN_2" || fn.State != "ACTIVE" {
		t.Errorf("environment %q state %q, want GEN_2 ACTIVE", fn.Environment, fn.State)
	}
	if want := fnParent + "/services/thumbnail"; fn.ServiceConfig.Service != want {
		t.Fatalf("serviceConfig.service = %q, want %q", fn.ServiceConfig.Service, want)
	}
	svc, err := rs.Projects.Locations.Services.Get(fn.ServiceConfig.Service).Do()
	wantNoError(t, err, "get the function's run service")
	wantURL := "http://us-central1-demo-project.cloudfunctions.localhost:" + te.Port() + "/Thumbnail"
	if svc.Uri == "" || fn.Url != wantURL || fn.ServiceConfig.Uri != svc.Uri || created.Url != wantURL {
		t.Errorf("function url %q / serviceConfig.uri %q / create response url %q, want url %q and uri the service uri %q",
			fn.Url, fn.ServiceConfig.Uri, created.Url, wantURL, svc.Uri)
	}
	if svc.Ingress != "INGRESS_TRAFFIC_INTERNAL_ONLY" || svc.Template.ServiceAccount != "fn-runner@demo-project.iam.gserviceaccount.com" {
		t.Errorf("run service ingress %q identity %q, want the function's settings", svc.Ingress, svc.Template.ServiceAccount)
	}

	op, err = fns.Delete(fn.Name).Do()
	wantNoError(t, err, "v2 delete")
	waitV2Op(t, v2, op, nil)
	_, err = fns.Get(fn.Name).Do()
	wantAPIError(t, err, http.StatusNotFound, "was not found")
	_, err = rs.Projects.Locations.Services.Get(fn.ServiceConfig.Service).Do()
	wantAPIError(t, err, http.StatusNotFound, "")
}

func TestFunctionsGenerationViews(t *testing.T) {
	te := startEmulator(t, Options{})
	v1, v2 := newFunctionClients(t, te)

	_, err := v1.Projects.Locations.Functions.Get(helloFn).Do()
	wantAPIError(t, err, http.StatusNotFound, "Function hello-fn in region us-central1 in project demo-project does not exist")

	old, err := v1.Projects.Locations.Functions.Get(legacyFn).Do()
	wantNoError(t, err, "v1 get gen1")
	seen, err := v2.Projects.Locations.Functions.Get(legacyFn).Do()
	wantNoError(t, err, "v2 get gen1")
	if seen.Environment != "GEN_1" || seen.Url != old.HttpsTrigger.Url || seen.Url == "" {
		t.Errorf("v2 view of gen1: environment %q url %q, want GEN_1 and %q", seen.Environment, seen.Url, old.HttpsTrigger.Url)
	}

	gen2, err := v2.Projects.Locations.Functions.Get(helloFn).Do()
	wantNoError(t, err, "v2 get seeded gen2")
	// Google: a 2nd gen function's url is its cloudfunctions.net URL, its
	// serviceConfig.uri the run.app URL of its service.
	if gen2.ServiceConfig.Service != fnParent+"/services/hello-fn" || !strings.HasSuffix(gen2.Url, ".cloudfunctions.localhost:"+te.Port()+"/hello-fn") ||
		!strings.Contains(gen2.ServiceConfig.Uri, "hello-fn-") || !strings.Contains(gen2.ServiceConfig.Uri, ".run.localhost:") {
		t.Errorf("seeded gen2: service %q url %q uri %q", gen2.ServiceConfig.Service, gen2.Url, gen2.ServiceConfig.Uri)
	}

	var names []string
	err = v2.Projects.Locations.Functions.List(fnParent).PageSize(1).Pages(testContext(t), func(resp *cfv2.ListFunctionsResponse) error {
		if len(resp.Functions) != 1 {
			t.Errorf("page of %d functions, want 1", len(resp.Functions))
		}
		for _, f := range resp.Functions {
			names = append(names, f.Name+"="+f.Environment)
		}
		return nil
	})
	wantNoError(t, err, "v2 list")
	if want := fmt.Sprint([]string{helloFn + "=GEN_2", legacyFn + "=GEN_1"}); fmt.Sprint(names) != want {
		t.Errorf("v2 list = %v, want %s", names, want)
	}
}

func TestFunctionsErrors(t *testing.T) {
	te := startEmulator(t, Options{})
	v1, v2 := newFunctionClients(t, te)
	tests := []struct {
		name string
		call func() error
		code int
		msg  string
	}{
		{"v1 duplicate", func() error {
			_, err := v1.Projects.Locations.Functions.Create(fnParent, &cfv1.CloudFunction{Name: legacyFn}).Do()
			return err
		}, http.StatusConflict, "already exists"},
		{"v2 duplicate of a gen1 name", func() error {
			_, err := v2.Projects.Locations.Functions.Create(fnParent, &cfv2.Function{}).FunctionId("legacy-fn").Do()
			return err
		}, http.StatusConflict, "already exists"},
		{"v1 name outside the location", func() error {
			_, err := v1.Projects.Locations.Functions.Create(fnParent, &cfv1.CloudFunction{Name: "projects/demo-project/locations/europe-west1/functions/x"}).Do()
			return err
		}, http.StatusBadRequest, ""},
		{"v2 invalid id", func() error {
			_, err := v2.Projects.Locations.Functions.Create(fnParent, &cfv2.Function{}).FunctionId("9lives").Do()
			return err
		}, http.StatusBadRequest, "Invalid function id"},
		{"v2 missing", func() error {
			_, err := v2.Projects.Locations.Functions.Get(fnParent + "/functions/nope").Do()
			return err
		}, http.StatusNotFound, "Resource '" + fnParent + "/functions/nope' was not found"},
		{"v1 unknown project", func() error {
			_, err := v1.Projects.Locations.Functions.Get("projects/no-such-project/locations/us-central1/functions/f").Do()
			return err
		}, http.StatusForbidden, "cloudfunctions.functions.get"},
		{"v2 unknown project", func() error {
			_, err := v2.Projects.Locations.Functions.List("projects/no-such-project/locations/us-central1").Do()
			return err
		}, http.StatusForbidden, "cloudfunctions.functions.list"},
		{"v1 iam of a gen2 function", func() error {
			_, err := v1.Projects.Locations.Functions.GetIamPolicy(helloFn).Do()
			return err
		}, http.StatusNotFound, ""},
		{"v1 missing operation", func() error {
			_, err := v1.Operations.Get("operations/op-404").Do()
			return err
		}, http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantAPIError(t, tt.call(), tt.code, tt.msg)
		})
	}
}

func TestFunctionsIAMPolicy(t *testing.T) {
	seed := DefaultSeed()
	seed.ServiceAccounts = []SeedServiceAccount{{Project: "demo-project", AccountID: "invoker"}}
	te := startEmulator(t, Options{Seed: seed})
	v1, v2 := newFunctionClients(t, te)
	invoker := "serviceAccount:invoker@demo-project.iam.gserviceaccount.com"

	t.Run("v2 refuses run.invoker", func(t *testing.T) {
		_, err := v2.Projects.Locations.Functions.SetIamPolicy(helloFn, &cfv2.SetIamPolicyRequest{Policy: &cfv2.Policy{
			Bindings: []*cfv2.Binding{{Role: "roles/run.invoker", Members: []string{invoker}}},
		}}).Do()
		wantAPIError(t, err, http.StatusBadRequest, "Role roles/run.invoker is not supported for this resource.")
	})
	t.Run("v2 accepts cloudfunctions.invoker on a gen2 function", func(t *testing.T) {
		_, err := v2.Projects.Locations.Functions.SetIamPolicy(helloFn, &cfv2.SetIamPolicyRequest{Policy: &cfv2.Policy{
			Bindings: []*cfv2.Binding{{Role: "roles/cloudfunctions.invoker", Members: []string{invoker}}},
		}}).Do()
		wantNoError(t, err, "v2 setIamPolicy")
	})
	t.Run("v1 and v2 share a gen1 function's policy", func(t *testing.T) {
		_, err := v2.Projects.Locations.Functions.SetIamPolicy(legacyFn, &cfv2.SetIamPolicyRequest{Policy: &cfv2.Policy{
			Bindings: []*cfv2.Binding{{Role: "roles/cloudfunctions.invoker", Members: []string{"allUsers"}}},
		}}).Do()
		wantNoError(t, err, "v2 setIamPolicy on gen1")
		pol, err := v1.Projects.Locations.Functions.GetIamPolicy(legacyFn).Do()
		wantNoError(t, err, "v1 getIamPolicy")
		if len(pol.Bindings) != 1 || pol.Bindings[0].Role != "roles/cloudfunctions.invoker" || fmt.Sprint(pol.Bindings[0].Members) != "[allUsers]" {
			t.Fatalf("v1 read %+v, want the binding written through v2", pol.Bindings)
		}
	})
	t.Run("v1 stale etag", func(t *testing.T) {
		pol, err := v1.Projects.Locations.Functions.GetIamPolicy(legacyFn).Do()
		wantNoError(t, err, "v1 getIamPolicy")
		_, err = v1.Projects.Locations.Functions.SetIamPolicy(legacyFn, &cfv1.SetIamPolicyRequest{Policy: pol}).Do()
		wantNoError(t, err, "v1 write with the current etag")
		_, err = v1.Projects.Locations.Functions.SetIamPolicy(legacyFn, &cfv1.SetIamPolicyRequest{Policy: pol}).Do()
		wantAPIError(t, err, http.StatusConflict, "There were concurrent policy changes.")
	})
	t.Run("v1 missing service account", func(t *testing.T) {
		_, err := v1.Projects.Locations.Functions.SetIamPolicy(legacyFn, &cfv1.SetIamPolicyRequest{Policy: &cfv1.Policy{
			Bindings: []*cfv1.Binding{{Role: "roles/cloudfunctions.invoker", Members: []string{"serviceAccount:ghost@demo-project.iam.gserviceaccount.com"}}},
		}}).Do()
		wantAPIError(t, err, http.StatusBadRequest, "Service account ghost@demo-project.iam.gserviceaccount.com does not exist.")
	})
	t.Run("testIamPermissions", func(t *testing.T) {
		resp, err := v2.Projects.Locations.Functions.TestIamPermissions(helloFn, &cfv2.TestIamPermissionsRequest{
			Permissions: []string{"cloudfunctions.functions.invoke", "run.routes.invoke"},
		}).Do()
		wantNoError(t, err, "testIamPermissions")
		if fmt.Sprint(resp.Permissions) != "[cloudfunctions.functions.invoke]" {
			t.Fatalf("granted %v, want only cloudfunctions.functions.invoke", resp.Permissions)
		}
	})
	t.Run("deleting the function drops its policy and its service's", func(t *testing.T) {
		rs := newRunClient(t, te)
		gen2, err := v2.Projects.Locations.Functions.Get(helloFn).Do()
		wantNoError(t, err, "v2 get")
		_, err = rs.Projects.Locations.Services.SetIamPolicy(gen2.ServiceConfig.Service, &run.GoogleIamV1SetIamPolicyRequest{Policy: &run.GoogleIamV1Policy{
			Bindings: []*run.GoogleIamV1Binding{{Role: "roles/run.invoker", Members: []string{invoker}}},
		}}).Do()
		wantNoError(t, err, "run.invoker on the function's service")
		_, err = v2.Projects.Locations.Functions.Delete(helloFn).Do()
		wantNoError(t, err, "v2 delete")
		pols := te.Snapshot().Policies
		for _, res := range []string{helloFn, gen2.ServiceConfig.Service} {
			if _, ok := pols[res]; ok {
				t.Errorf("policy of %s survived the function's deletion", res)
			}
		}
	})
}

func TestFunctionURLHelpers(t *testing.T) {
	te := startEmulator(t, Options{})
	port := te.Port()
	tests := []struct {
		host, path string
		want       string
	}{
		{"us-central1-demo-project.cloudfunctions.localhost:" + port, "/legacy-fn", legacyFn},
		{"us-central1-demo-project.cloudfunctions.localhost", "/legacy-fn/sub/path", legacyFn},
		{"US-CENTRAL1-DEMO-PROJECT.cloudfunctions.localhost:" + port, "/legacy-fn", legacyFn},
		{"us-central1-demo-project.cloudfunctions.localhost:" + port, "/hello-fn", helloFn},
		{"us-central1-demo-project.cloudfunctions.localhost:" + port, "/", ""},
		{"europe-west1-demo-project.cloudfunctions.localhost:" + port, "/legacy-fn", ""},
		{"127.0.0.1:" + port, "/legacy-fn", ""},
	}
	for _, tt := range tests {
		t.Run(tt.host+tt.path, func(t *testing.T) {
			var got, url string
			_ = te.read(func(st *State) error {
				if f := te.functionForURL(st, tt.host, tt.path); f != nil {
					got = f.functionName()
					url = te.functionURL(st, f)
				}
				return nil
			})
			if got != tt.want {
				t.Fatalf("functionForURL(%q, %q) = %q, want %q", tt.host, tt.path, got, tt.want)
			}
			id := got[strings.LastIndex(got, "/")+1:]
			if got != "" && url != "http://us-central1-demo-project.cloudfunctions.localhost:"+port+"/"+id {
				t.Fatalf("functionURL = %q", url)
			}
		})
	}
	_ = te.read(func(st *State) error {
		gen2 := st.Functions[helloFn]
		svc := st.RunServices[gen2.V2.ServiceConfig.Service]
		if u := te.gen2RunURL(st, gen2); u == "" || u != te.runServiceURLs(st, svc)[0] {
			t.Errorf("gen2RunURL %q, want its service uri %v", u, te.runServiceURLs(st, svc))
		}
		return nil
	})
}
