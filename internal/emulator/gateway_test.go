package emulator

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	gwGrant(t, e, "projects/demo-project", "roles/compute.instanceAdmin.v1", "serviceAccount:"+schedInvoker)
	access, _, err := e.mintAccessToken(schedInvoker, []string{"https://www.googleapis.com/auth/cloud-platform"})
	if err != nil {
		t.Fatalf("mint access token: %v", err)
	}
	idTok := gwIDToken(t, e, schedInvoker, "https://compute.googleapis.com")
	const target = "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/us-central1-a/instances/vm/start?requestId=r-1"
	tests := []struct {
		name   string
		header map[string]string
		code   int
		msg    string
	}{
		{"no token", nil, 401, "missing required authentication credential"},
		{"unknown token", map[string]string{"Authorization": "Bearer ya29.not-minted"}, 401, "invalid authentication credentials"},
		{"ID token", map[string]string{"Authorization": "Bearer " + idTok}, 401, "invalid authentication credentials"},
		{"minted access token", map[string]string{"Authorization": "Bearer " + access, "X-Custom": "v"}, 200, ""},
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
			headers, _ := echo["headers"].(map[string]any)
			if echo["caller"] != schedInvoker || echo["host"] != "compute.googleapis.com" || echo["project"] != "demo-project" ||
				echo["path"] != "/compute/v1/projects/demo-project/zones/us-central1-a/instances/vm/start" ||
				echo["query"] != "requestId=r-1" || echo["body"] != `{"x":1}` || headers["X-Custom"] != "v" {
				t.Fatalf("echo = %v", echo)
			}
			if _, leaked := headers["Authorization"]; leaked || strings.Contains(rec.Body.String(), access) {
				t.Fatalf("echo carries the token: %s", rec.Body.String())
			}
		})
	}
}

// Google answers a call whose account holds no role on the project granting
// the API with 403 PERMISSION_DENIED; the emulator used to answer 200 to any
// token it minted.
func TestGoogleAPIHostAuthorizesByProjectRole(t *testing.T) {
	const sa = "api-caller@demo-project.iam.gserviceaccount.com"
	tests := []struct {
		name, role, grantOn, method, url string
		code                             int
		msg                              string
	}{
		{"no role at all", "", "", "POST", "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/z/instances/vm/start", 403,
			sa + " holds no role on project demo-project that grants compute.googleapis.com"},
		{"service role", "roles/compute.admin", "demo-project", "POST", "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/z/instances/vm/start", 200, ""},
		{"role of another service", "roles/storage.admin", "demo-project", "POST", "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/z/instances/vm/start", 403,
			"roles/compute.* role"},
		{"editor", "roles/editor", "demo-project", "POST", "https://bigquery.googleapis.com/bigquery/v2/projects/demo-project/jobs", 200, ""},
		{"owner", "roles/owner", "demo-project", "DELETE", "https://run.googleapis.com/v2/projects/demo-project/locations/l/services/s", 200, ""},
		{"viewer reads", "roles/viewer", "demo-project", "GET", "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/z/instances", 200, ""},
		{"viewer cannot write", "roles/viewer", "demo-project", "POST", "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/z/instances", 403, "project demo-project"},
		{"role on another project", "roles/compute.admin", "other-project", "POST", "https://compute.googleapis.com/compute/v1/projects/demo-project/zones/z/instances/vm/start", 403,
			"project demo-project"},
		{"project named by number", "roles/compute.admin", "demo-project", "POST", "https://compute.googleapis.com/compute/v1/projects/123456789012/zones/z/instances/vm/start", 200, ""},
		{"project from the query", "roles/storage.admin", "demo-project", "GET", "https://storage.googleapis.com/storage/v1/b?project=demo-project", 200, ""},
		{"no project: the account's own", "roles/pubsub.publisher", "demo-project", "POST", "https://pubsub.googleapis.com/v1/topics:publish", 200, ""},
		{"regional host", "roles/aiplatform.user", "demo-project", "POST", "https://us-central1-aiplatform.googleapis.com/v1/projects/demo-project/locations/us-central1/endpoints/e:predict", 200, ""},
		{"regional endpoint host", "roles/run.developer", "demo-project", "POST", "https://run.us-central1.rep.googleapis.com/v2/projects/demo-project/locations/us-central1/services/s:run", 200, ""},
		{"regional endpoint host, other service's role", "roles/compute.admin", "demo-project", "POST", "https://run.us-central1.rep.googleapis.com/v2/projects/demo-project/locations/us-central1/services/s:run", 403, "roles/run.* role"},
		{"resource manager host", "roles/resourcemanager.projectIamAdmin", "demo-project", "POST", "https://cloudresourcemanager.googleapis.com/v1/projects/demo-project:getIamPolicy", 200, ""},
		{"unknown project", "roles/owner", "demo-project", "GET", "https://compute.googleapis.com/compute/v1/projects/no-such-project/zones", 403, "no-such-project"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newSchedTestEmulator(t, Options{})
			gwAccount(t, env.e, "api-caller")
			if tt.role != "" {
				gwGrant(t, env.e, "projects/"+tt.grantOn, tt.role, "serviceAccount:"+sa)
			}
			access, _, err := env.e.mintAccessToken(sa, []string{"https://www.googleapis.com/auth/cloud-platform"})
			if err != nil {
				t.Fatal(err)
			}
			rec := gwServe(env.e, tt.method, tt.url, map[string]string{"Authorization": "Bearer " + access}, "")
			if rec.Code != tt.code {
				t.Fatalf("got %d %s, want %d", rec.Code, rec.Body.String(), tt.code)
			}
			if tt.code == 403 {
				var body rpcErr
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Status != "PERMISSION_DENIED" ||
					!strings.Contains(body.Error.Message, tt.msg) || !strings.Contains(body.Error.Message, sa) {
					t.Fatalf("403 body %s, want PERMISSION_DENIED naming %s and %q", rec.Body.String(), sa, tt.msg)
				}
			}
		})
	}
}

// A 2nd gen function is served at its cloudfunctions URL and at the run.app
// URLs of its Cloud Run service; each accepts the function URL and the
// service URLs as audience, and the invoker check is run.invoker on the
// service (roles/cloudfunctions.invoker on the function does not let a
// caller in).
func TestGatewayGen2FunctionURLsAndAudiences(t *testing.T) {
	te := startEmulator(t, Options{})
	e := te.Emulator
	const (
		fnName  = "projects/demo-project/locations/us-central1/functions/hello-fn"
		svcName = "projects/demo-project/locations/us-central1/services/hello-fn"
	)
	caller := gwAccount(t, e, "gen2-caller")
	fnOnly := gwAccount(t, e, "fn-role-only")
	gwGrant(t, e, svcName, "roles/run.invoker", "serviceAccount:"+caller)
	gwGrant(t, e, fnName, "roles/cloudfunctions.invoker", "serviceAccount:"+fnOnly)
	var fnURL string
	_ = e.read(func(st *State) error {
		fnURL = e.functionURL(st, st.Functions[fnName])
		return nil
	})
	if fnURL != "http://us-central1-demo-project.cloudfunctions.localhost:"+te.Port()+"/hello-fn" {
		t.Fatalf("gen2 function URL %q", fnURL)
	}
	runURLs := gwURLs(t, e, svcName)
	fnRoot := strings.TrimSuffix(fnURL, "/hello-fn")
	tests := []struct {
		name, url, who, aud string
		code                int
	}{
		{"function URL, function audience", fnURL + "/sub?q=1", caller, fnURL, 200},
		{"function URL, run.app audience", fnURL, caller, runURLs[0], 200},
		{"function URL, deterministic run.app audience", fnURL, caller, runURLs[1], 200},
		{"run.app URL, function audience", runURLs[0] + "/x", caller, fnURL, 200},
		{"run.app URL, run.app audience", runURLs[1], caller, runURLs[1], 200},
		{"function URL, host root audience", fnURL, caller, fnRoot, 401},
		{"function URL, audience with query", fnURL, caller, fnURL + "?a=b", 401},
		{"function URL, cloudfunctions.invoker only", fnURL, fnOnly, fnURL, 403},
		{"run.app URL, cloudfunctions.invoker only", runURLs[0], fnOnly, runURLs[0], 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := gwIDToken(t, e, tt.who, tt.aud)
			rec := gwServe(e, "GET", tt.url, map[string]string{"Authorization": "Bearer " + tok}, "")
			if rec.Code != tt.code {
				t.Fatalf("GET %s with aud %s: %d (%s), want %d", tt.url, tt.aud, rec.Code, rec.Header().Get(gatewayReasonHeader), tt.code)
			}
			if tt.code == 200 {
				var echo map[string]any
				_ = json.Unmarshal(rec.Body.Bytes(), &echo)
				if echo["caller"] != tt.who || echo["service"] != svcName {
					t.Fatalf("echo %v, want caller %s on %s", echo, tt.who, svcName)
				}
			}
		})
	}
	// Another function's path on the same host is not this function.
	rec := gwServe(e, "GET", fnRoot+"/no-such-fn", map[string]string{"Authorization": "Bearer " + gwIDToken(t, e, caller, fnURL)}, "")
	if rec.Code != 404 {
		t.Fatalf("unknown function path: %d, want 404", rec.Code)
	}
}

// Google's ingress page: Cloud Scheduler, Cloud Tasks and Workflows (among
// others) count as internal sources only when they are in the same project
// as the service (or VPC-SC perimeter, not modelled); from another project
// an internal-only service answers them like a direct request.
func TestGatewayInternalSourcesPerProject(t *testing.T) {
	env := newSchedTestEmulator(t, Options{})
	e := env.e
	const internalSvc = "projects/demo-project/locations/us-central1/services/internal"
	gwGrant(t, e, internalSvc, "roles/run.invoker", "allUsers")
	internal := gwURLs(t, e, internalSvc)
	tests := []struct {
		name string
		call *outboundCall // nil: a direct request
		code int
	}{
		{"direct request", nil, 404},
		{"scheduler job of the same project", &outboundCall{Caller: "cloudscheduler", AgentProject: "demo-project"}, 200},
		{"scheduler job of the same project, by number", &outboundCall{Caller: "cloudscheduler", AgentProject: "123456789012"}, 200},
		{"scheduler job of another project", &outboundCall{Caller: "cloudscheduler", AgentProject: "other-project"}, 404},
		{"task of another project", &outboundCall{Caller: "cloudtasks", AgentProject: "other-project"}, 404},
		{"task of the same project", &outboundCall{Caller: "cloudtasks", AgentProject: "demo-project"}, 200},
		{"workflow of the same project", &outboundCall{Caller: "workflows", Source: "projects/demo-project/locations/us-central1/workflows/w/executions/e"}, 200},
		{"workflow of another project", &outboundCall{Caller: "workflows", Source: "projects/other-project/locations/us-central1/workflows/w/executions/e"}, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := url.Parse(internal[0] + "/x")
			var code int
			var reason string
			if tt.call == nil {
				rec := gwServe(e, "GET", u.String(), nil, "")
				code, reason = rec.Code, rec.Header().Get(gatewayReasonHeader)
			} else {
				c := *tt.call
				c.Method, c.URL = "GET", u.String()
				code, _, reason = e.dispatchInProcess(env.ctx, c, u, http.Header{})
			}
			if code != tt.code {
				t.Fatalf("got %d (%s), want %d", code, reason, tt.code)
			}
		})
	}
}
