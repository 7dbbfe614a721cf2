package emulator

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// gwGrant adds a binding to a resource's policy directly in the state.
func gwGrant(t *testing.T, e *Emulator, resource, role, member string) {
	t.Helper()
	_ = e.mutate(func(st *State) error {
		pol := st.policyFor(resource).clone()
		pol.Bindings = append(pol.Bindings, &Binding{Role: role, Members: []string{member}})
		pol.Etag = st.newEtag()
		st.Policies[resource] = pol
		return nil
	})
}

// gwAccount creates a service account in demo-project.
func gwAccount(t *testing.T, e *Emulator, id string) string {
	t.Helper()
	var email string
	err := e.mutate(func(st *State) error {
		sa, err := st.createServiceAccount("demo-project", id, "", "", time.Time{})
		if sa != nil {
			email = sa.Email
		}
		return err
	})
	if err != nil {
		t.Fatalf("create account %s: %v", id, err)
	}
	return email
}

// gwServe sends a request straight to the emulator's handler, as a client
// resolving the emulated host to the emulator would.
func gwServe(e *Emulator, method, rawURL string, header map[string]string, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, rawURL, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// gwURLs returns the URLs of a run service, uri first.
func gwURLs(t *testing.T, e *Emulator, name string) []string {
	t.Helper()
	var urls []string
	_ = e.read(func(st *State) error {
		if svc := st.RunServices[name]; svc != nil {
			urls = e.runServiceURLs(st, svc)
		}
		return nil
	})
	if len(urls) != 2 {
		t.Fatalf("service %s has URLs %v, want 2", name, urls)
	}
	return urls
}

func gwIDToken(t *testing.T, e *Emulator, email, aud string) string {
	t.Helper()
	tok, err := e.mintIDToken(email, aud)
	if err != nil {
		t.Fatalf("mint ID token: %v", err)
	}
	return tok
}

func TestGatewayEnforcesCloudRunAuth(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	e := env.e
	const (
		audSvc     = "projects/demo-project/locations/us-central1/services/aud"
		privateSvc = "projects/other-project/locations/us-central1/services/private"
		fnName     = "projects/demo-project/locations/us-central1/functions/legacy-fn"
	)
	projWide := gwAccount(t, e, "projwide")
	fnCaller := gwAccount(t, e, "fn-caller")
	gwGrant(t, e, schedHelloSvc, "roles/run.invoker", "serviceAccount:"+schedInvoker)
	gwGrant(t, e, "projects/demo-project", "roles/run.invoker", "serviceAccount:"+projWide)
	gwGrant(t, e, audSvc, "roles/run.invoker", "allAuthenticatedUsers")
	gwGrant(t, e, privateSvc, "roles/run.invoker", "allUsers")
	gwGrant(t, e, fnName, "roles/cloudfunctions.invoker", "serviceAccount:"+fnCaller)

	hello := gwURLs(t, e, schedHelloSvc)
	aud := gwURLs(t, e, audSvc)
	private := gwURLs(t, e, privateSvc)
	open := gwURLs(t, e, "projects/demo-project/locations/us-central1/services/open")
	internal := gwURLs(t, e, "projects/demo-project/locations/us-central1/services/internal")
	var fnURL string
	_ = e.read(func(st *State) error {
		fnURL = e.functionURL(st, st.Functions[fnName])
		return nil
	})
	if !strings.Contains(fnURL, ".cloudfunctions.localhost:") || !strings.HasSuffix(fnURL, "/legacy-fn") {
		t.Fatalf("function URL %q", fnURL)
	}

	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	good := gwIDToken(t, e, schedInvoker, hello[0])
	env.clock.Set(schedStart.Add(-2 * time.Hour))
	expired := gwIDToken(t, e, schedInvoker, hello[0])
	env.clock.Set(schedStart)
	access, _, err := e.mintAccessToken(schedInvoker, nil)
	if err != nil {
		t.Fatalf("mint access token: %v", err)
	}
	tampered := good[:len(good)-4] + "AAAA"
	if tampered == good {
		tampered = good[:len(good)-4] + "BBBB"
	}

	tests := []struct {
		name   string
		url    string
		header map[string]string
		code   int
		caller string // caller in the 200 echo
		reason string // part of X-Emulator-Reason on refusals
	}{
		{"no token", hello[0] + "/x", nil, 403, "", "no ID token"},
		{"not a JWT", hello[0], bearer("garbage"), 401, "", "malformed"},
		{"access token", hello[0], bearer(access), 401, "", "OAuth access token"},
		{"expired token", hello[0], bearer(expired), 401, "", "expired"},
		{"tampered signature", hello[0], bearer(tampered), 401, "", "signature"},
		{"audience with a path", hello[0], bearer(gwIDToken(t, e, schedInvoker, hello[0]+"/tasks")), 401, "", "is not accepted"},
		{"audience with a query", hello[0], bearer(gwIDToken(t, e, schedInvoker, hello[0]+"?a=1")), 401, "", "is not accepted"},
		{"audience of another service", hello[0], bearer(gwIDToken(t, e, schedInvoker, aud[0])), 401, "", "is not accepted"},
		{"root URL audience", hello[0] + "/x?y=1", bearer(good), 200, schedInvoker, ""},
		{"second URL form as audience and host", hello[1], bearer(gwIDToken(t, e, schedInvoker, hello[1])), 200, schedInvoker, ""},
		{"trailing slash audience", hello[0], bearer(gwIDToken(t, e, schedInvoker, hello[0]+"/")), 200, schedInvoker, ""},
		{"X-Serverless-Authorization wins", hello[0], map[string]string{"Authorization": "Bearer garbage", "X-Serverless-Authorization": "Bearer " + good}, 200, schedInvoker, ""},
		{"no invoker binding", hello[0] + "/x", bearer(gwIDToken(t, e, schedStranger, hello[0])), 403, "", "does not hold roles/run.invoker"},
		{"invoker on the project", hello[0], bearer(gwIDToken(t, e, projWide, hello[0])), 200, projWide, ""},
		{"custom audience with allAuthenticatedUsers", aud[0], bearer(gwIDToken(t, e, schedStranger, "https://api.example.com")), 200, schedStranger, ""},
		{"allAuthenticatedUsers still needs a token", aud[0], nil, 403, "", "no ID token"},
		{"allUsers: no token needed", private[0], nil, 200, "", ""},
		{"invokerIamDisabled: no token needed", open[1], nil, 200, "", ""},
		{"internal-only from outside", internal[0], bearer(good), 404, "", "internal traffic only"},
		{"gen1 function", fnURL + "/sub", bearer(gwIDToken(t, e, fnCaller, fnURL)), 200, fnCaller, ""},
		{"gen1 function root audience", fnURL, bearer(gwIDToken(t, e, fnCaller, fnURL[:strings.LastIndex(fnURL, "/")])), 401, "", "is not accepted"},
		{"gen1 function needs cloudfunctions.invoker", fnURL, bearer(gwIDToken(t, e, projWide, fnURL)), 403, "", "does not hold roles/cloudfunctions.invoker"},
		{"unknown function", fnURL + "-nope", bearer(good), 404, "", "no emulated"},
		{"unknown service host", strings.Replace(hello[0], "hello-", "nope-", 1), bearer(good), 404, "", "no emulated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := gwServe(e, "POST", tt.url, tt.header, "ping")
			if rec.Code != tt.code {
				t.Fatalf("got %d (%s), want %d", rec.Code, rec.Header().Get(gatewayReasonHeader), tt.code)
			}
			body := rec.Body.String()
			switch tt.code {
			case 200:
				var echo map[string]any
				if err := json.Unmarshal(rec.Body.Bytes(), &echo); err != nil {
					t.Fatalf("200 body is not the JSON echo: %q", body)
				}
				if tt.caller != "" && echo["caller"] != tt.caller {
					t.Fatalf("echo caller %v, want %s", echo["caller"], tt.caller)
				}
				if echo["method"] != "POST" || echo["body"] != "ping" {
					t.Fatalf("echo = %v", echo)
				}
				if strings.Contains(body, "eyJ") || strings.Contains(body, "garbage") {
					t.Fatalf("the echo leaks credentials: %s", body)
				}
			case 401:
				if !strings.Contains(body, "<title>401 Unauthorized</title>") || rec.Header().Get("WWW-Authenticate") == "" {
					t.Fatalf("401 body %q / WWW-Authenticate %q", body, rec.Header().Get("WWW-Authenticate"))
				}
			case 403:
				if !strings.Contains(body, "Your client does not have permission to get URL <code>") || !strings.Contains(body, "403 Forbidden") {
					t.Fatalf("403 body %q", body)
				}
			case 404:
				if !strings.Contains(body, "Error: Page not found") {
					t.Fatalf("404 body %q", body)
				}
			}
			if reason := rec.Header().Get(gatewayReasonHeader); !strings.Contains(reason, tt.reason) {
				t.Fatalf("reason %q, want it to contain %q", reason, tt.reason)
			}
		})
	}
}

func TestGatewayEchoPathAndHeaders(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	hello := gwURLs(t, env.e, schedHelloSvc)
	gwGrant(t, env.e, schedHelloSvc, "roles/run.invoker", "serviceAccount:"+schedInvoker)
	rec := gwServe(env.e, "GET", hello[0]+"/api/v1/items?limit=2", map[string]string{
		"Authorization": "Bearer " + gwIDToken(t, env.e, schedInvoker, hello[0]),
		"X-Trace":       "abc",
	}, "")
	var echo struct {
		Service, Caller, Audience, Method, Path, Query string
		Headers                                        map[string]string
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &echo); err != nil || rec.Code != 200 {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
	if echo.Service != schedHelloSvc || echo.Caller != schedInvoker || echo.Audience != hello[0] ||
		echo.Method != "GET" || echo.Path != "/api/v1/items" || echo.Query != "limit=2" {
		t.Fatalf("echo = %+v", echo)
	}
	if echo.Headers["X-Trace"] != "abc" || echo.Headers["Authorization"] != "" {
		t.Fatalf("echo headers = %v, want X-Trace and no Authorization", echo.Headers)
	}
}

// TestGatewayOverTheWire calls an emulated service URL with a real HTTP
// client whose dialer sends *.localhost to the emulator, as gcpclient does.
func TestGatewayOverTheWire(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	hello := gwURLs(t, env.e, schedHelloSvc)
	gwGrant(t, env.e, schedHelloSvc, "roles/run.invoker", "serviceAccount:"+schedInvoker)
	addr := strings.TrimPrefix(env.url, "http://")
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	for _, tc := range []struct {
		token string
		code  int
	}{
		{"", 403},
		{gwIDToken(t, env.e, schedInvoker, hello[0]), 200},
	} {
		req, _ := http.NewRequestWithContext(env.ctx, "GET", hello[0]+"/", nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", hello[0], err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code {
			t.Fatalf("GET with token=%v: %d, want %d", tc.token != "", resp.StatusCode, tc.code)
		}
	}
}

func TestGoogleAPIHostNeedsMintedAccessToken(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	e := env.e
	access, _, err := e.mintAccessToken(schedInvoker, []string{"https://www.googleapis.com/auth/cloud-platform"})
	if err != nil {
		t.Fatalf("mint access token: %v", err)
	}
	idTok := gwIDToken(t, e, schedInvoker, "https://compute.googleapis.com")
	const target = "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/us-central1-a/instances/vm/start"
	tests := []struct {
		name   string
		header map[string]string
		code   int
		msg    string
	}{
		{"no token", nil, 401, "missing required authentication credential"},
		{"unknown token", map[string]string{"Authorization": "Bearer ya29.not-minted"}, 401, "invalid authentication credentials"},
		{"ID token", map[string]string{"Authorization": "Bearer " + idTok}, 401, "invalid authentication credentials"},
		{"minted access token", map[string]string{"Authorization": "Bearer " + access}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := gwServe(e, "POST", target, tt.header, `{"x":1}`)
			if rec.Code != tt.code {
				t.Fatalf("got %d %s, want %d", rec.Code, rec.Body.String(), tt.code)
			}
			if tt.code != 200 {
				var env struct {
					Error struct {
						Code    int
						Message string
						Status  string
					}
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Error.Status != "UNAUTHENTICATED" || !strings.Contains(env.Error.Message, tt.msg) {
					t.Fatalf("401 body %s, want the google.rpc envelope with %q", rec.Body.String(), tt.msg)
				}
				return
			}
			var echo map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &echo)
			if echo["caller"] != schedInvoker || echo["host"] != "compute.googleapis.com" ||
				echo["path"] != "/compute/v1/projects/demo-project/zones/us-central1-a/instances/vm/start" || echo["body"] != `{"x":1}` {
				t.Fatalf("echo = %v", echo)
			}
		})
	}
}
