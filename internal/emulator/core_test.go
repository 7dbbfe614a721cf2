package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
	crm "google.golang.org/api/cloudresourcemanager/v1"
	"google.golang.org/api/googleapi"
	iamv1 "google.golang.org/api/iam/v1"
	"google.golang.org/api/iamcredentials/v1"
	"google.golang.org/api/option"
)

// iamTestEnv is an emulator served on a local port with the IAM, Resource
// Manager and IAM Credentials clients pointed at it.
type iamTestEnv struct {
	e     *Emulator
	srv   *httptest.Server
	iam   *iamv1.Service
	crm   *crm.Service
	creds *iamcredentials.Service
}

// newIAMTestEmulator starts an emulator for one test; the clients send the
// bearer token "test-token".
func newIAMTestEmulator(t *testing.T, opts Options) *iamTestEnv {
	t.Helper()
	te := startEmulator(t, opts)
	env := &iamTestEnv{e: te.Emulator, srv: te.srv}
	env.iam, env.crm, env.creds = env.clients(t, iamTestAuth("test-token")...)
	return env
}

// iamTestAuth is the client option sending a static bearer token.
func iamTestAuth(token string) []option.ClientOption {
	return []option.ClientOption{option.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}))}
}

// clients builds the three official clients with the given auth options.
func (env *iamTestEnv) clients(t *testing.T, auth ...option.ClientOption) (*iamv1.Service, *crm.Service, *iamcredentials.Service) {
	t.Helper()
	ctx := context.Background()
	opts := append([]option.ClientOption{option.WithEndpoint(env.srv.URL + "/")}, auth...)
	i, err := iamv1.NewService(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	c, err := crm.NewService(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	cr, err := iamcredentials.NewService(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return i, c, cr
}

// createSA creates demo-project's account id through the IAM client.
func (env *iamTestEnv) createSA(t *testing.T, id string) *iamv1.ServiceAccount {
	t.Helper()
	sa, err := env.iam.Projects.ServiceAccounts.Create("projects/demo-project", &iamv1.CreateServiceAccountRequest{
		AccountId:      id,
		ServiceAccount: &iamv1.ServiceAccount{DisplayName: "SA " + id},
	}).Do()
	if err != nil {
		t.Fatalf("create %s: %v", id, err)
	}
	return sa
}

func TestCoreAuthentication(t *testing.T) {
	env := newIAMTestEmulator(t, Options{Token: "the-token"})
	tests := []struct {
		name     string
		auth     []option.ClientOption
		wantCode int
		wantMsg  string
	}{
		{"no Authorization header", []option.ClientOption{option.WithoutAuthentication()}, 401, "missing required authentication credential"},
		{"other token refused when Token is set", iamTestAuth("other-token"), 401, "invalid authentication credentials"},
		{"configured token accepted", iamTestAuth("the-token"), 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, c, _ := env.clients(t, tc.auth...)
			p, err := c.Projects.Get("demo-project").Do()
			if tc.wantCode == 0 {
				if err != nil || p.ProjectId != "demo-project" {
					t.Fatalf("got %v, %v; want demo-project", p, err)
				}
				return
			}
			wantAPIError(t, err, tc.wantCode, tc.wantMsg)
			if strings.Contains(err.Error(), "other-token") {
				t.Fatalf("error echoes the token: %v", err)
			}
		})
	}
}

func TestCoreUnknownPathIs404InEnvelope(t *testing.T) {
	// Served without the discovery recorder: this test sends, on purpose, a
	// URL no API has (a path prefix no API serves: /nope/v1/projects/…).
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(func() { srv.Close(); e.Close() })
	c, err := crm.NewService(context.Background(), append(iamTestAuth("t"), option.WithEndpoint(srv.URL+"/nope/"))...)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Projects.Get("demo-project").Do()
	wantAPIError(t, err, 404, "/nope/v1/projects/demo-project was not found")

	var ge *googleapi.Error
	errors.As(err, &ge)
	var body struct {
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Status  string `json:"status"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(ge.Body), &body); err != nil {
		t.Fatalf("404 body is not JSON: %v: %s", err, ge.Body)
	}
	if body.Error.Code != 404 || body.Error.Status != "NOT_FOUND" {
		t.Fatalf("envelope = %+v, want code 404 status NOT_FOUND", body.Error)
	}
}

func TestCoreInjectedFaults(t *testing.T) {
	env := newIAMTestEmulator(t, Options{Faults: Faults{ErrorRate: 1, ErrorCodes: []int{503}}})
	_, err := env.crm.Projects.Get("demo-project").Do()
	wantAPIError(t, err, 503, "currently unavailable")

	env.e.SetFaults(Faults{FailNext: map[string]*FailSpec{"iam.serviceAccounts.get": {Code: 429, Count: 1}}})
	sa := env.createSA(t, "faulty-sa")
	_, err = env.iam.Projects.ServiceAccounts.Get(sa.Name).Do()
	wantAPIError(t, err, 429, "Injected failure")
	if _, err := env.iam.Projects.ServiceAccounts.Get(sa.Name).Do(); err != nil {
		t.Fatalf("second get after FailNext count 1: %v", err)
	}
}

func TestCoreLatencyKnob(t *testing.T) {
	const latency = 80 * time.Millisecond
	env := newIAMTestEmulator(t, Options{Faults: Faults{Latency: latency}})
	start := time.Now()
	if _, err := env.crm.Projects.Get("demo-project").Do(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < latency {
		t.Fatalf("call took %s, want at least the configured latency %s", took, latency)
	}
}

func TestCoreCallCounters(t *testing.T) {
	env := newIAMTestEmulator(t, Options{})
	for range 2 {
		if _, err := env.crm.Projects.Get("demo-project").Do(); err != nil {
			t.Fatal(err)
		}
	}
	env.createSA(t, "counted-sa")
	want := map[string]int{"cloudresourcemanager.projects.get": 2, "iam.serviceAccounts.create": 1}
	if got := env.e.Calls(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Calls() = %v, want %v", got, want)
	}

	resp, err := http.Get(env.srv.URL + "/_emulator/calls")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var served map[string]int
	if err := json.NewDecoder(resp.Body).Decode(&served); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(served) != fmt.Sprint(want) {
		t.Fatalf("GET /_emulator/calls = %v, want %v", served, want)
	}

	resp, err = http.Post(env.srv.URL+"/_emulator/reset", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if got := env.e.Calls(); len(got) != 0 {
		t.Fatalf("after reset Calls() = %v, want empty", got)
	}
}

func TestCoreConcurrentRequests(t *testing.T) {
	env := newIAMTestEmulator(t, Options{})
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("projects/demo-project/serviceAccounts/parallel-%02d@demo-project.iam.gserviceaccount.com", i)
			if _, err := env.iam.Projects.ServiceAccounts.Create("projects/demo-project", &iamv1.CreateServiceAccountRequest{AccountId: fmt.Sprintf("parallel-%02d", i)}).Do(); err != nil {
				errs <- err
				return
			}
			pol := &iamv1.Policy{Bindings: []*iamv1.Binding{{Role: "roles/iam.serviceAccountUser", Members: []string{"user:dev@example.com"}}}}
			if _, err := env.iam.Projects.ServiceAccounts.SetIamPolicy(name, &iamv1.SetIamPolicyRequest{Policy: pol}).Do(); err != nil {
				errs <- err
				return
			}
			if _, err := env.crm.Projects.GetIamPolicy("demo-project", &crm.GetIamPolicyRequest{}).Do(); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	list, err := env.iam.Projects.ServiceAccounts.List("projects/demo-project").PageSize(100).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Accounts) != n {
		t.Fatalf("listed %d accounts, want %d", len(list.Accounts), n)
	}
	if got := env.e.Calls()["iam.serviceAccounts.setIamPolicy"]; got != n {
		t.Fatalf("setIamPolicy calls = %d, want %d", got, n)
	}
}
