package iamengine

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	cloudfunctions "google.golang.org/api/cloudfunctions/v1"
	cloudresourcemanager "google.golang.org/api/cloudresourcemanager/v1"
	cloudtasks "google.golang.org/api/cloudtasks/v2"
	iam "google.golang.org/api/iam/v1"
	"google.golang.org/api/option"
	run "google.golang.org/api/run/v2"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// seenRequest is what the Go client put on the wire.
type seenRequest struct {
	Method, Path, Version string
	Body                  map[string]any
}

// recorder answers every IAM call with a fixed policy and records requests.
type recorder struct {
	mu   sync.Mutex
	seen []seenRequest
}

const storedPolicyJSON = `{"version":3,"etag":"BwYnew=","bindings":[{"role":"roles/run.invoker","members":["user:alice@example.com"],` +
	`"condition":{"title":"t","expression":"true"}}]}`

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s := seenRequest{Method: r.Method, Path: r.URL.Path, Version: r.URL.Query().Get("options.requestedPolicyVersion")}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &s.Body); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
	}
	rec.mu.Lock()
	rec.seen = append(rec.seen, s)
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, storedPolicyJSON)
}

func TestTargetsWireFormat(t *testing.T) {
	ctx := context.Background()
	opts := func(url string) []option.ClientOption {
		return []option.ClientOption{option.WithEndpoint(url + "/"), option.WithoutAuthentication()}
	}
	versionBody := map[string]any{"options": map[string]any{"requestedPolicyVersion": float64(3)}}
	tests := []struct {
		name       string
		build      func(t *testing.T, url string) Target
		wantKey    string
		wantString string
		getMethod  string
		path       string // resource path; the calls append :getIamPolicy / :setIamPolicy
		getVersion string // in the query
		getBody    map[string]any
		wantMask   bool
	}{
		{"run service", func(t *testing.T, url string) Target {
			svc, err := run.NewService(ctx, opts(url)...)
			if err != nil {
				t.Fatal(err)
			}
			return NewRunServiceTarget(svc, "projects/p/locations/us-central1/services/hello")
		}, "run.services/projects/p/locations/us-central1/services/hello", "Cloud Run service projects/p/locations/us-central1/services/hello",
			"GET", "/v2/projects/p/locations/us-central1/services/hello", "3", nil, true},
		{"function v1", func(t *testing.T, url string) Target {
			svc, err := cloudfunctions.NewService(ctx, opts(url)...)
			if err != nil {
				t.Fatal(err)
			}
			return NewFunctionV1Target(svc, "projects/p/locations/us-central1/functions/fn")
		}, "cloudfunctions.v1.functions/projects/p/locations/us-central1/functions/fn", "Cloud Function projects/p/locations/us-central1/functions/fn",
			"GET", "/v1/projects/p/locations/us-central1/functions/fn", "3", nil, true},
		{"service account", func(t *testing.T, url string) Target {
			svc, err := iam.NewService(ctx, opts(url)...)
			if err != nil {
				t.Fatal(err)
			}
			return NewServiceAccountTarget(svc, "projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com")
		}, "iam.serviceAccounts/projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com", "service account projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com",
			"POST", "/v1/projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com", "3", nil, true},
		{"project", func(t *testing.T, url string) Target {
			svc, err := cloudresourcemanager.NewService(ctx, opts(url)...)
			if err != nil {
				t.Fatal(err)
			}
			return NewProjectTarget(svc, "demo-project")
		}, "cloudresourcemanager.projects/demo-project", "project demo-project",
			"POST", "/v1/projects/demo-project", "", versionBody, true},
		{"tasks queue", func(t *testing.T, url string) Target {
			svc, err := cloudtasks.NewService(ctx, opts(url)...)
			if err != nil {
				t.Fatal(err)
			}
			return NewTasksQueueTarget(svc, "projects/p/locations/us-central1/queues/q")
		}, "cloudtasks.queues/projects/p/locations/us-central1/queues/q", "Cloud Tasks queue projects/p/locations/us-central1/queues/q",
			"POST", "/v2/projects/p/locations/us-central1/queues/q", "", versionBody, false},
	}
	wantStored := &iampolicy.Policy{Version: 3, Etag: "BwYnew=", Bindings: []iampolicy.Binding{{
		Role: "roles/run.invoker", Members: []string{"user:alice@example.com"}, Condition: &iampolicy.Condition{Title: "t", Expression: "true"},
	}}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			srv := httptest.NewServer(rec)
			defer srv.Close()
			target := tt.build(t, srv.URL)
			if target.Key() != tt.wantKey || target.String() != tt.wantString {
				t.Errorf("Key %q String %q", target.Key(), target.String())
			}

			got, err := target.GetPolicy(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, wantStored) {
				t.Errorf("GetPolicy = %+v, want %+v", got, wantStored)
			}
			// Removing the last member: an empty policy must still send "bindings".
			got, err = target.SetPolicy(ctx, &iampolicy.Policy{Version: 1, Etag: "BwYold="})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, wantStored) {
				t.Errorf("SetPolicy = %+v, want %+v", got, wantStored)
			}
			withCond := &iampolicy.Policy{Version: 3, Etag: "BwYold=", Bindings: wantStored.Bindings}
			if _, err := target.SetPolicy(ctx, withCond); err != nil {
				t.Fatal(err)
			}

			if len(rec.seen) != 3 {
				t.Fatalf("server saw %d requests, want 3", len(rec.seen))
			}
			get, setEmpty, setCond := rec.seen[0], rec.seen[1], rec.seen[2]
			if get.Method != tt.getMethod || get.Path != tt.path+":getIamPolicy" || get.Version != tt.getVersion {
				t.Errorf("getIamPolicy sent %s %s version=%q", get.Method, get.Path, get.Version)
			}
			if !reflect.DeepEqual(get.Body, tt.getBody) {
				t.Errorf("getIamPolicy body %v, want %v", get.Body, tt.getBody)
			}
			if setEmpty.Method != "POST" || setEmpty.Path != tt.path+":setIamPolicy" {
				t.Errorf("setIamPolicy sent %s %s", setEmpty.Method, setEmpty.Path)
			}
			wantEmpty := map[string]any{"policy": map[string]any{"version": float64(1), "etag": "BwYold=", "bindings": []any{}}}
			if tt.wantMask {
				wantEmpty["updateMask"] = "bindings,etag"
			}
			if !reflect.DeepEqual(setEmpty.Body, wantEmpty) {
				t.Errorf("setIamPolicy of an empty policy sent %v, want %v", setEmpty.Body, wantEmpty)
			}
			binding := setCond.Body["policy"].(map[string]any)["bindings"].([]any)[0]
			wantBinding := map[string]any{"role": "roles/run.invoker", "members": []any{"user:alice@example.com"},
				"condition": map[string]any{"title": "t", "expression": "true"}}
			if !reflect.DeepEqual(binding, wantBinding) {
				t.Errorf("conditional binding sent as %v, want %v", binding, wantBinding)
			}
		})
	}
}
