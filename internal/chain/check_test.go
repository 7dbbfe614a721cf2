package chain

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestChainFindings(t *testing.T) {
	t.Parallel()
	invokeHello := func(e *env, t *testing.T) { e.grant(t, "run", helloName, "roles/run.invoker", saMember) }
	tests := []struct {
		name  string
		seed  seedOpts
		setup func(e *env, t *testing.T)
		in    func(e *env, t *testing.T) Input
		want  []string // code/severity, in order
		fix   string   // substring of the first finding's fix
	}{
		{
			name:  "complete chain by URL, impersonation through the agent's project role",
			setup: invokeHello,
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, TargetURL: e.serviceURL(t, helloName)}
			},
		},
		{
			name: "missing impersonation",
			seed: seedOpts{noAgentGrants: true}, setup: invokeHello,
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, RunService: "hello"}
			},
			want: []string{"missing_impersonation/error"},
			fix:  `resource "gcpinvoke_service_agent_impersonation"`,
		},
		{
			name: "impersonation on the account itself",
			seed: seedOpts{noAgentGrants: true},
			setup: func(e *env, t *testing.T) {
				invokeHello(e, t)
				e.grant(t, "sa", "projects/demo-project/serviceAccounts/"+saEmail, "roles/iam.serviceAccountTokenCreator", agent)
			},
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, RunService: helloName}
			},
		},
		{
			name: "workflows runs as the account: no agent impersonation to check",
			seed: seedOpts{noAgentGrants: true}, setup: invokeHello,
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "workflows", ServiceAccount: saEmail, RunService: "hello"}
			},
			want: []string{"runs_as_account/info"},
			fix:  "roles/iam.serviceAccountUser",
		},
		{
			name:  "member caller without token creator",
			setup: invokeHello,
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "serviceAccount:ci-runner@demo-project.iam.gserviceaccount.com", ServiceAccount: saEmail, RunService: "hello"}
			},
			want: []string{"missing_impersonation/error"},
			fix:  `role            = "roles/iam.serviceAccountTokenCreator"`,
		},
		{
			name:  "service account does not exist",
			setup: invokeHello,
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: "ghost-account@demo-project.iam.gserviceaccount.com", RunService: "hello"}
			},
			want: []string{"service_account_missing/error", "missing_invoker/error"},
		},
		{
			name: "missing invoker on a service",
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, TargetURL: e.serviceURL(t, helloName) + "/"}
			},
			want: []string{"missing_invoker/error"},
			fix:  `resource "gcpinvoke_run_service_iam_member"`,
		},
		{
			name:  "invoker granted at project level",
			setup: func(e *env, t *testing.T) { e.grant(t, "project", project, "roles/run.invoker", saMember) },
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, RunService: "us-central1/hello"}
			},
		},
		{
			name: "missing invoker on a gen1 function",
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudtasks", ServiceAccount: saEmail, Function: "legacy-fn"}
			},
			want: []string{"missing_invoker/error"},
			fix:  `resource "gcpinvoke_cloudfunctions_function_iam_member"`,
		},
		{
			name:  "gen1 function by its URL",
			setup: func(e *env, t *testing.T) { e.grant(t, "fn1", fn1Name, "roles/cloudfunctions.invoker", saMember) },
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, TargetURL: "http://us-central1-demo-project.cloudfunctions.localhost:" + e.fx.Port() + "/legacy-fn"}
			},
		},
		{
			name: "gen2 function needs run.invoker on its service",
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, Function: "projects/demo-project/locations/us-central1/functions/hello-fn"}
			},
			want: []string{"missing_invoker/error"},
			fix:  `function = "hello-fn"`,
		},
		{
			name:  "gen2 function with run.invoker on its service",
			setup: func(e *env, t *testing.T) { e.grant(t, "run", fn2Run, "roles/run.invoker", saMember) },
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, Function: "hello-fn"}
			},
		},
		{
			name:  "audience with a path",
			setup: invokeHello,
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, TargetURL: e.serviceURL(t, helloName) + "/tasks?x=1"}
			},
			want: []string{"audience_not_accepted/error"},
			fix:  `audience = "http://hello-`,
		},
		{
			name:  "custom audience accepted",
			seed:  seedOpts{customAudiences: []string{"https://jobs.example.com"}},
			setup: invokeHello,
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, RunService: "hello", Audience: "https://jobs.example.com"}
			},
		},
		{
			name:  "oauth token to a Cloud Run service",
			setup: invokeHello,
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, RunService: "hello", TokenType: "oauth"}
			},
			want: []string{"oauth_non_google_host/error"},
			fix:  `token_type = "oidc"`,
		},
		{
			name: "oauth token to a Google API",
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, TargetURL: "https://cloudbuild.googleapis.com/v1/projects/demo-project/triggers/t:run", TokenType: "oauth"}
			},
		},
		{
			name: "oidc token to a Google API",
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, TargetURL: "https://cloudbuild.googleapis.com/v1/x"}
			},
			want: []string{"oidc_to_google_api/error"},
		},
		{
			name:  "public target",
			setup: func(e *env, t *testing.T) { e.grant(t, "run", helloName, "roles/run.invoker", "allUsers") },
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, RunService: "hello"}
			},
			want: []string{"target_public/warning"},
		},
		{
			name: "invoker IAM disabled",
			seed: seedOpts{invokerDisabled: true},
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, RunService: "hello"}
			},
			want: []string{"invoker_iam_disabled/warning"},
		},
		{
			name: "no such service at a run URL",
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, TargetURL: "http://nope-abcdefghij-uc.a.run.localhost:" + e.fx.Port()}
			},
			want: []string{"target_not_found/error"},
		},
		{
			name: "own endpoint is not checked",
			in: func(e *env, t *testing.T) Input {
				return Input{Caller: "cloudscheduler", ServiceAccount: saEmail, TargetURL: "https://api.example.com/hook"}
			},
			want: []string{"target_unresolved/warning"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tc.seed)
			if tc.setup != nil {
				tc.setup(e, t)
			}
			res, err := e.checker.Check(context.Background(), tc.in(e, t))
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if got := codes(res); !slices.Equal(got, tc.want) {
				t.Fatalf("findings = %v, want %v\n%+v", got, tc.want, res.Findings)
			}
			wantOK := !slices.ContainsFunc(tc.want, func(s string) bool { return strings.HasSuffix(s, "/error") })
			if res.OK != wantOK {
				t.Errorf("OK = %v, want %v", res.OK, wantOK)
			}
			if tc.fix != "" && !strings.Contains(res.Findings[0].Fix, tc.fix) {
				t.Errorf("fix = %q, want it to contain %q", res.Findings[0].Fix, tc.fix)
			}
			for _, f := range res.Findings {
				if f.Link == "" || f.Problem == "" || f.Fix == "" {
					t.Errorf("finding %s lacks link, problem or fix: %+v", f.Code, f)
				}
			}
		})
	}
}

func TestChainProbe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		grant      bool
		path       string // appended to the service URL (target and audience)
		wantStatus int
		want       []string
	}{
		{name: "200 with invoker binding", grant: true, wantStatus: 200},
		{name: "401 with an audience carrying a path", grant: true, path: "/tasks", wantStatus: 401,
			want: []string{"audience_not_accepted/error", "probe_failed/error"}},
		{name: "403 without invoker binding", wantStatus: 403,
			want: []string{"missing_invoker/error", "probe_failed/error"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, seedOpts{})
			if tc.grant {
				e.grant(t, "run", helloName, "roles/run.invoker", saMember)
			}
			url := e.serviceURL(t, helloName) + tc.path
			res, err := e.checker.Check(context.Background(), Input{Caller: "cloudscheduler", ServiceAccount: saEmail, TargetURL: url, Probe: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.Probe == nil || res.Probe.StatusCode != tc.wantStatus {
				t.Fatalf("probe = %+v, want status %d", res.Probe, tc.wantStatus)
			}
			if got := codes(res); !slices.Equal(got, tc.want) {
				t.Fatalf("findings = %v, want %v", got, tc.want)
			}
			if e.fx.Calls()["iamcredentials.serviceAccounts.generateIdToken"] != 1 {
				t.Errorf("generateIdToken calls = %d, want 1", e.fx.Calls()["iamcredentials.serviceAccounts.generateIdToken"])
			}
		})
	}
}

func TestChainInvalidInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, seedOpts{})
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"unknown caller", Input{Caller: "pubsub", ServiceAccount: saEmail, RunService: "hello"}, `caller "pubsub"`},
		{"public caller", Input{Caller: "allUsers:", ServiceAccount: saEmail, RunService: "hello"}, "caller"},
		{"bad token type", Input{Caller: "cloudscheduler", ServiceAccount: saEmail, RunService: "hello", TokenType: "jwt"}, `token type "jwt"`},
		{"no target", Input{Caller: "cloudscheduler", ServiceAccount: saEmail}, "no target"},
		{"bad account", Input{Caller: "cloudscheduler", ServiceAccount: "a/b", RunService: "hello"}, "service_account"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.checker.Check(context.Background(), tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
