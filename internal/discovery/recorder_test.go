package discovery

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fakeServer answers each request with the status and body the test gives
// for its path, so every kind of exchange can be fed to the recorder.
type fakeAnswer struct {
	status      int
	body        string
	contentType string
}

func TestRecorder(t *testing.T) {
	notFound := `{"error":{"code":404,"message":"no","status":"NOT_FOUND"}}`
	invalid := `{"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \"bogus\"","status":"INVALID_ARGUMENT"}}`
	tests := []struct {
		name           string
		method, target string
		host           string
		reqBody        string
		answer         fakeAnswer
		want           []string // substrings of the recorded problems, sorted
	}{
		{name: "conforming get", method: "GET", target: "/v1/projects/p/things/t?alt=json&prettyPrint=false",
			answer: fakeAnswer{200, `{"name":"projects/p/things/t","generation":"3"}`, ""}},
		{name: "int64 as a number in the response", method: "GET", target: "/v1/projects/p/things/t",
			answer: fakeAnswer{200, `{"generation":3}`, ""},
			want:   []string{"tiny.projects.things.get@v1 (GET /v1/projects/p/things/t) response body: generation: is a number 3"}},
		{name: "unknown request field accepted", method: "POST", target: "/v1/projects/p/things?thingId=t", reqBody: `{"bogus":1}`,
			answer: fakeAnswer{200, `{"name":"operations/1"}`, ""},
			want:   []string{"tiny.projects.things.create@v1 (POST /v1/projects/p/things) request body: bogus: unknown field (not in Thing)"}},
		{name: "unknown request field refused", method: "POST", target: "/v1/projects/p/things?thingId=t", reqBody: `{"bogus":1}`,
			answer: fakeAnswer{400, invalid, ""}},
		{name: "missing required query parameter accepted", method: "POST", target: "/v1/projects/p/things", reqBody: `{}`,
			answer: fakeAnswer{200, `{}`, ""},
			want:   []string{"request query: ?thingId: required query parameter is missing"}},
		{name: "unknown query parameter accepted", method: "GET", target: "/v1/projects/p/things?filter=x",
			answer: fakeAnswer{200, `{}`, ""},
			want:   []string{"request query: ?filter: unknown query parameter"}},
		{name: "route no document has, served", method: "GET", target: "/v1/projects/p/gadgets",
			answer: fakeAnswer{200, `{}`, ""},
			want:   []string{"GET /v1/projects/p/gadgets route: no discovery document has this method (the emulator answered 200)"}},
		{name: "route no document has, answered 404", method: "GET", target: "/v1/projects/p/gadgets",
			answer: fakeAnswer{404, notFound, ""},
			want:   []string{"GET /v1/projects/p/gadgets route: no discovery document has this method (the emulator answered 404)"}},
		{name: "known route, 404 for a missing resource", method: "GET", target: "/v1/projects/p/things/gone",
			answer: fakeAnswer{404, notFound, ""}},
		{name: "error outside the envelope", method: "GET", target: "/v1/projects/p/things/t",
			answer: fakeAnswer{404, `not found`, "text/plain"},
			want:   []string{"error response 404: error body is not a JSON object", "Content-Type \"text/plain\""}},
		{name: "error with a wrong status name", method: "GET", target: "/v1/projects/p/things/t",
			answer: fakeAnswer{409, `{"error":{"code":409,"message":"x","status":"CONFLICT"}}`, ""},
			want:   []string{"error response 409: error.status: CONFLICT is not a canonical code name"}},
		{name: "method without response answers a body", method: "DELETE", target: "/v1/projects/p/things/t",
			answer: fakeAnswer{200, `{"deleted":true}`, ""},
			want:   []string{"response body: the method has no response message"}},
		{name: "method without response answers {}", method: "DELETE", target: "/v1/projects/p/things/t",
			answer: fakeAnswer{200, `{}`, ""}},
		{name: "introspection is exempt", method: "GET", target: "/_emulator/state", answer: fakeAnswer{200, `{"anything":1}`, ""}},
		{name: "OIDC discovery is exempt", method: "GET", target: "/.well-known/openid-configuration", answer: fakeAnswer{200, `{"issuer":"x"}`, ""}},
		{name: "emulated Cloud Run host is exempt", method: "POST", target: "/anything", host: "hello-abc-uc.a.run.localhost:8080",
			answer: fakeAnswer{200, `hello`, "text/plain"}},
		{name: "Google API host is exempt", method: "GET", target: "/compute/v1/x", host: "compute.googleapis.com",
			answer: fakeAnswer{200, `{}`, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := NewRecorderWith(NewRegistry(tinyDoc(t)), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				ct := tt.answer.contentType
				if ct == "" {
					ct = "application/json; charset=UTF-8"
				}
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(tt.answer.status)
				_, _ = io.WriteString(w, tt.answer.body)
			}))
			req := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.reqBody))
			if tt.host != "" {
				req.Host = tt.host
			}
			w := httptest.NewRecorder()
			rec.ServeHTTP(w, req)
			if w.Code != tt.answer.status || w.Body.String() != tt.answer.body {
				t.Errorf("the recorder changed the response: %d %q", w.Code, w.Body.String())
			}
			got := rec.SortedProblems()
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %q, want %d containing %q", got, len(tt.want), tt.want)
			}
			for i := range tt.want {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestRecorderPassesRequestBody: the handler behind the recorder reads the
// same body the client sent.
func TestRecorderPassesRequestBody(t *testing.T) {
	var seen string
	rec := NewRecorderWith(NewRegistry(tinyDoc(t)), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen = string(b)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{}`)
	}))
	body := `{"name":"projects/p/things/t"}`
	rec.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/v1/projects/p/things?thingId=t", strings.NewReader(body)))
	if seen != body {
		t.Errorf("handler read %q, want %q", seen, body)
	}
	if p := rec.Problems(); len(p) != 0 {
		t.Errorf("problems: %q", p)
	}
	if got := rec.Calls()["tiny.projects.things.create@v1"]; got != 1 {
		t.Errorf("Calls()[create] = %d, want 1", got)
	}
}
