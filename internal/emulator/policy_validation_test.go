package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Paths of the setIamPolicy method of every policy the default seed (plus
// the account "policy-sa") holds, as the Go clients send them.
const (
	pvSA      = "policy-sa@demo-project.iam.gserviceaccount.com"
	pvRun     = "/v2/projects/demo-project/locations/us-central1/services/hello"
	pvFnV1    = "/v1/projects/demo-project/locations/us-central1/functions/legacy-fn"
	pvFnV2    = "/v2/projects/demo-project/locations/us-central1/functions/hello-fn"
	pvAccount = "/v1/projects/demo-project/serviceAccounts/" + pvSA
	pvProject = "/v1/projects/demo-project"
)

// policySeed is the default seed plus an account and the principals that do
// not exist.
func policySeed() *Seed {
	s := DefaultSeed()
	s.ServiceAccounts = append(s.ServiceAccounts, SeedServiceAccount{Project: "demo-project", AccountID: "policy-sa"})
	s.NonexistentPrincipals = []string{
		"user:ghost@example.com",
		"group:nobody@example.com",
		"serviceAccount:gone@other-project.iam.gserviceaccount.com",
		"deleted:group:old-team@example.com?uid=1234567",
	}
	return s
}

// rpcErr is the google.rpc.Status envelope of an error answer.
type rpcErr struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
	} `json:"error"`
}

// postRaw sends body to path with a bearer token, as the Go clients do,
// and returns the status and the decoded error envelope (if any).
func postRaw(t *testing.T, te *testEmulator, path string, body []byte) (int, rpcErr, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(testContext(t), "POST", te.URL()+path+"?alt=json&prettyPrint=false", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var e rpcErr
	_ = json.Unmarshal(data, &e)
	return resp.StatusCode, e, data
}

// setPolicyBody is a setIamPolicy body granting role to members.
func setPolicyBody(version int, bindings ...*Binding) []byte {
	b, _ := json.Marshal(map[string]any{"policy": &Policy{Version: int64(version), Bindings: bindings}})
	return b
}

// wantRPC asserts an answer: 200, or the HTTP code with status
// INVALID_ARGUMENT and a message containing msg.
func wantRPC(t *testing.T, code int, e rpcErr, raw []byte, wantCode int, msg string) {
	t.Helper()
	if code != wantCode {
		t.Fatalf("got HTTP %d %s, want %d %q", code, raw, wantCode, msg)
	}
	if wantCode == 200 {
		return
	}
	if e.Error.Code != wantCode || e.Error.Status != "INVALID_ARGUMENT" || !strings.Contains(e.Error.Message, msg) {
		t.Fatalf("got %s, want INVALID_ARGUMENT with %q", raw, msg)
	}
}

func TestPolicyRolesPerResource(t *testing.T) {
	te := startEmulator(t, Options{Seed: policySeed()})
	member := "user:alice@example.com"
	notSupported := func(role string) string { return "Role " + role + " is not supported for this resource." }
	tests := []struct {
		resource, path, role string
		code                 int
		msg                  string
	}{
		{"run service", pvRun, "roles/run.invoker", 200, ""},
		{"run service", pvRun, "roles/owner", 200, ""},
		{"run service", pvRun, "roles/run.invokr", 400, notSupported("roles/run.invokr")},
		{"run service", pvRun, "roles/iam.serviceAccountUser", 400, notSupported("roles/iam.serviceAccountUser")},
		{"run service", pvRun, "roles/cloudfunctions.invoker", 400, notSupported("roles/cloudfunctions.invoker")},
		{"gen1 function", pvFnV1, "roles/cloudfunctions.invoker", 200, ""},
		{"gen1 function", pvFnV1, "roles/run.invoker", 400, notSupported("roles/run.invoker")},
		{"gen1 function", pvFnV1, "roles/cloudfunctions.invokr", 400, notSupported("roles/cloudfunctions.invokr")},
		{"gen2 function", pvFnV2, "roles/cloudfunctions.invoker", 200, ""},
		{"gen2 function", pvFnV2, "roles/run.invoker", 400, notSupported("roles/run.invoker")},
		{"service account", pvAccount, "roles/iam.serviceAccountTokenCreator", 200, ""},
		{"service account", pvAccount, "roles/iam.serviceAccountUser", 200, ""},
		{"service account", pvAccount, "roles/run.invoker", 400, notSupported("roles/run.invoker")},
		{"service account", pvAccount, "roles/iam.serviceAccountTokenCreater", 400, notSupported("roles/iam.serviceAccountTokenCreater")},
		{"service account", pvAccount, "roles/storage.admin", 400, notSupported("roles/storage.admin")},
		{"project", pvProject, "roles/run.invoker", 200, ""},
		{"project", pvProject, "roles/compute.admin", 200, ""},
		{"project", pvProject, "roles/no.suchRole", 400, notSupported("roles/no.suchRole")},
		// Custom roles are not modelled: a well-formed one is accepted.
		{"project", pvProject, "projects/demo-project/roles/myInvoker", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.resource+"/"+tt.role, func(t *testing.T) {
			bindings := []*Binding{{Role: tt.role, Members: []string{member}}}
			if tt.path == pvProject {
				// Keep the project's owner: the project policy is replaced.
				bindings = append(bindings, &Binding{Role: "roles/owner", Members: []string{"user:owner@example.com"}})
			}
			code, e, raw := postRaw(t, te, tt.path+":setIamPolicy", setPolicyBody(1, bindings...))
			wantRPC(t, code, e, raw, tt.code, tt.msg)
		})
	}
}

func TestPolicyConditionMustBeCEL(t *testing.T) {
	te := startEmulator(t, Options{})
	tests := []struct {
		name, expr string
		code       int
		msg        string
	}{
		{"valid", `request.time < timestamp("2030-01-01T00:00:00Z")`, 200, ""},
		{"valid resource name", `resource.name.startsWith("projects/demo-project/")`, 200, ""},
		{"unbalanced parenthesis", `request.time < timestamp("2030-01-01T00:00:00Z"`, 400, "is not valid CEL"},
		{"bad token", `resource.name == 'x' &&& true`, 400, "is not valid CEL"},
		{"backslash escape", `resource.name.startsWith("a\.b")`, 400, "is not valid CEL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Binding{Role: "roles/run.invoker", Members: []string{"user:alice@example.com"}, Condition: &Expr{Title: "t", Expression: tt.expr}}
			code, e, raw := postRaw(t, te, pvRun+":setIamPolicy", setPolicyBody(3, b))
			wantRPC(t, code, e, raw, tt.code, tt.msg)
		})
	}
}

// members returns n distinct user members.
func members(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("user:%s-%d@example.com", prefix, i)
	}
	return out
}

func TestPolicyPrincipalLimit(t *testing.T) {
	te := startEmulator(t, Options{})
	tests := []struct {
		name     string
		bindings []*Binding
		code     int
		msg      string
	}{
		{"1,500 principals", []*Binding{{Role: "roles/run.invoker", Members: members("a", 1500)}}, 200, ""},
		{"1,501 principals", []*Binding{{Role: "roles/run.invoker", Members: members("a", 1501)}}, 400,
			"The number of members in the policy (1,501) is larger than the maximum allowed size 1,500."},
		// Every occurrence counts: the same 751 users in two roles are 1,502.
		{"751 principals in two roles", []*Binding{
			{Role: "roles/run.invoker", Members: members("a", 751)},
			{Role: "roles/run.viewer", Members: members("a", 751)},
		}, 400, "The number of members in the policy (1,502) is larger than the maximum allowed size 1,500."},
		{"2,000 principals", []*Binding{{Role: "roles/run.invoker", Members: members("a", 2000)}}, 400, "(2,000)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, e, raw := postRaw(t, te, pvRun+":setIamPolicy", setPolicyBody(1, tt.bindings...))
			wantRPC(t, code, e, raw, tt.code, tt.msg)
		})
	}
}

func TestPolicyPayloadSizeLimit(t *testing.T) {
	te := startEmulator(t, Options{})
	// A 50 MB body: a well-formed policy whose description is padding.
	pad := strings.Repeat("x", 50<<20)
	b := &Binding{Role: "roles/run.invoker", Members: []string{"user:alice@example.com"}, Condition: &Expr{Title: "t", Expression: "true", Description: pad}}
	code, e, raw := postRaw(t, te, pvRun+":setIamPolicy", setPolicyBody(3, b))
	if len(raw) > 1024 {
		raw = raw[:1024]
	}
	wantRPC(t, code, e, raw, 400, "Request payload size exceeds the limit: 10485760 bytes.")
	if strings.Contains(e.Error.Message, "Invalid JSON payload") {
		t.Fatalf("got %q, want the payload-size error", e.Error.Message)
	}
}

func TestPolicyNonexistentPrincipals(t *testing.T) {
	te := startEmulator(t, Options{Seed: policySeed(), NonexistentPrincipals: []string{"user:flag-ghost@example.com"}})
	tests := []struct {
		name, member string
		code         int
		msg          string
	}{
		{"user declared in the seed", "user:ghost@example.com", 400, "User ghost@example.com does not exist."},
		{"user declared by option (flag)", "user:flag-ghost@example.com", 400, "User flag-ghost@example.com does not exist."},
		{"user in other case", "user:Ghost@Example.com", 400, "User ghost@example.com does not exist."},
		{"group", "group:nobody@example.com", 400, "Group nobody@example.com does not exist."},
		{"service account of another project", "serviceAccount:gone@other-project.iam.gserviceaccount.com", 400,
			"Service account gone@other-project.iam.gserviceaccount.com does not exist."},
		{"service account of an emulated project", "serviceAccount:never-made@demo-project.iam.gserviceaccount.com", 400,
			"Service account never-made@demo-project.iam.gserviceaccount.com does not exist."},
		{"deleted group, live form", "group:old-team@example.com", 400, "Group old-team@example.com does not exist."},
		{"deleted group, deleted form", "deleted:group:old-team@example.com?uid=1234567", 200, ""},
		{"other user", "user:alice@example.com", 200, ""},
	}
	for _, path := range []string{pvRun, pvFnV2, pvAccount} {
		for _, tt := range tests {
			t.Run(path+"/"+tt.name, func(t *testing.T) {
				role := map[string]string{pvRun: "roles/run.invoker", pvFnV2: "roles/cloudfunctions.invoker", pvAccount: "roles/iam.serviceAccountUser"}[path]
				code, e, raw := postRaw(t, te, path+":setIamPolicy", setPolicyBody(1, &Binding{Role: role, Members: []string{"user:bob@example.com", tt.member}}))
				wantRPC(t, code, e, raw, tt.code, tt.msg)
			})
		}
	}
}

func TestNonexistentPrincipalDeclarations(t *testing.T) {
	for _, bad := range []string{"ghost@example.com", "domain:example.com", "deleted:user:x@example.com", "user:x@example.com?uid=1", "allUsers"} {
		if _, err := New(Options{NonexistentPrincipals: []string{bad}}); err == nil || !strings.Contains(err.Error(), "nonexistent principal") {
			t.Errorf("New with nonexistent principal %q: err %v, want a refusal naming it", bad, err)
		}
	}
}
