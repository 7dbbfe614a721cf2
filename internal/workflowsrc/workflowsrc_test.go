package workflowsrc

import (
	"reflect"
	"strings"
	"testing"
)

const seedYAML = `
main:
  params: [input]
  steps:
    - init:
        assign:
          - base: https://hello-abc-uc.a.run.app
    - callHello:
        call: http.get
        args:
          url: https://hello-abc-uc.a.run.app/greet
          query:
            name: world
          auth:
            type: OIDC
            audience: https://hello-abc-uc.a.run.app
        result: resp
    - done:
        return: ${resp.body}
`

const seedJSON = `{"main": {"steps": [
  {"callHello": {"call": "http.post", "args": {"url": "https://hello-abc-uc.a.run.app", "body": {"a": 1},
    "auth": {"type": "OIDC"}}, "result": "resp"}},
  {"done": {"return": "${resp.code}"}}
]}}`

func TestParseShapes(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		wantSteps []string
		wantErr   string
	}{
		{name: "yaml subworkflows", src: seedYAML, wantSteps: []string{"init", "callHello", "done"}},
		{name: "json", src: seedJSON, wantSteps: []string{"callHello", "done"}},
		{name: "top-level list", src: "- a:\n    return: 1\n", wantSteps: []string{"a"}},
		{name: "empty", src: "  \n", wantErr: "empty"},
		{name: "not yaml", src: "main: [unclosed", wantErr: "not valid YAML or JSON"},
		{name: "no main", src: "other:\n  steps:\n    - a:\n        return: 1\n", wantErr: "no main"},
		{name: "scalar", src: "hello", wantErr: "list of steps or a map"},
		{name: "step with two keys", src: "- a:\n    return: 1\n  b:\n    return: 2\n", wantErr: "exactly one key"},
		{name: "duplicate step", src: "- a:\n    return: 1\n- a:\n    return: 2\n", wantErr: "used twice"},
		{name: "unknown key", src: "- a:\n    cal: http.get\n", wantErr: `unknown key "cal"`},
		{name: "args without call", src: "- a:\n    args: {url: x}\n", wantErr: "args but no call"},
		{name: "subworkflow without steps", src: "main:\n  params: [x]\n", wantErr: "has no steps"},
		{name: "assign not list", src: "- a:\n    assign: {x: 1}\n", wantErr: "must be a list"},
		{name: "unsupported kinds parse", src: "- a:\n    try:\n      call: http.get\n      args: {url: https://x.run.app}\n    except:\n      as: e\n", wantSteps: []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := Parse(tt.src)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var names []string
			for _, s := range w.Main().Steps {
				names = append(names, s.Name)
			}
			if !reflect.DeepEqual(names, tt.wantSteps) {
				t.Fatalf("steps = %v, want %v", names, tt.wantSteps)
			}
		})
	}
}

func TestParseStepFields(t *testing.T) {
	w, err := Parse(seedYAML)
	if err != nil {
		t.Fatal(err)
	}
	main := w.Main()
	if !reflect.DeepEqual(main.Params, []string{"input"}) {
		t.Errorf("params = %v", main.Params)
	}
	init, call, done := main.Steps[0], main.Steps[1], main.Steps[2]
	if len(init.Assign) != 1 || init.Assign[0].Name != "base" || init.Assign[0].Value != "https://hello-abc-uc.a.run.app" {
		t.Errorf("assign = %+v", init.Assign)
	}
	if call.Call != "http.get" || call.Result != "resp" || call.Line != 8 {
		t.Errorf("call step = %+v", call)
	}
	q, _ := call.Args["query"].(map[string]any)
	if q["name"] != "world" {
		t.Errorf("args.query = %v", call.Args["query"])
	}
	if !done.HasReturn || done.Return != "${resp.body}" {
		t.Errorf("return = %v (%v)", done.Return, done.HasReturn)
	}
}

func TestHTTPCalls(t *testing.T) {
	src := `
main:
  steps:
    - a:
        call: http.get
        args:
          url: https://hello-abc-uc.a.run.app/x
          auth: {type: OIDC, audience: https://hello-abc-uc.a.run.app}
    - guarded:
        try:
          call: http.request
          args:
            method: put
            url: ${base + "/y"}
            auth:
              type: OAuth2
              scopes: [https://www.googleapis.com/auth/cloud-platform]
        except:
          as: e
          steps:
            - log:
                call: sys.log
                args: {text: failed}
    - plain:
        call: http.delete
        args: {url: "https://example.com"}
`
	w, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	got := w.HTTPCalls()
	want := []HTTPCall{
		{Step: "a", Line: 5, Function: "http.get", Method: "GET", URL: "https://hello-abc-uc.a.run.app/x",
			Auth: &Auth{Type: "OIDC", Audience: "https://hello-abc-uc.a.run.app"}},
		{Step: "guarded", Line: 11, Function: "http.request", Method: "PUT", URL: `${base + "/y"}`,
			Auth: &Auth{Type: "OAuth2", Scopes: []string{"https://www.googleapis.com/auth/cloud-platform"}}},
		{Step: "plain", Line: 25, Function: "http.delete", Method: "DELETE", URL: "https://example.com"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("HTTPCalls =\n%+v\nwant\n%+v", got, want)
	}
	if !got[1].URLIsExpression() || got[0].URLIsExpression() {
		t.Errorf("URLIsExpression wrong")
	}
}

func TestLint(t *testing.T) {
	step := func(args string) string {
		return "- s:\n    call: http.get\n    args:\n" + args
	}
	tests := []struct {
		name       string
		src        string
		known      []string
		want       []string // rule:severity
		wantDetail string
	}{
		{
			name: "run.app without auth",
			src:  step("      url: https://hello-abc-uc.a.run.app/greet\n"),
			want: []string{"missing-auth:error"}, wantDetail: "audience: https://hello-abc-uc.a.run.app",
		},
		{
			name: "gen1 function without auth",
			src:  step("      url: https://us-central1-p.cloudfunctions.net/fn\n"),
			want: []string{"missing-auth:error"}, wantDetail: "type: OIDC",
		},
		{
			name: "emulated run host without auth",
			src:  step("      url: http://hello-abc-uc.a.run.localhost:8787\n"),
			want: []string{"missing-auth:error"}, wantDetail: "audience: http://hello-abc-uc.a.run.localhost:8787",
		},
		{
			name:  "known custom domain without auth",
			src:   step("      url: https://api.example.com/x\n"),
			known: []string{"https://api.example.com"},
			want:  []string{"missing-auth:error"},
		},
		{name: "public host without auth", src: step("      url: https://example.com/x\n")},
		{name: "expression url without auth", src: step("      url: ${base}\n")},
		{
			name: "oidc with root audience",
			src:  step("      url: https://hello-abc-uc.a.run.app/greet\n      auth: {type: OIDC, audience: https://hello-abc-uc.a.run.app}\n"),
		},
		{
			name: "oidc audience with path",
			src:  step("      url: https://hello-abc-uc.a.run.app/greet\n      auth: {type: OIDC, audience: https://hello-abc-uc.a.run.app/greet}\n"),
			want: []string{"audience-path:warning"}, wantDetail: "`audience: https://hello-abc-uc.a.run.app`",
		},
		{
			name: "oidc default audience from url with path",
			src:  step("      url: https://hello-abc-uc.a.run.app/greet?x=1\n      auth: {type: OIDC}\n"),
			want: []string{"audience-path:warning"}, wantDetail: "defaults to the URL",
		},
		{
			name: "oidc default audience from root url",
			src:  step("      url: https://hello-abc-uc.a.run.app\n      auth: {type: OIDC}\n"),
		},
		{
			name: "oauth2 to run.app",
			src:  step("      url: https://hello-abc-uc.a.run.app/x\n      auth: {type: OAuth2}\n"),
			want: []string{"oauth-non-google:error"}, wantDetail: "audience: https://hello-abc-uc.a.run.app",
		},
		{
			name: "oauth2 to lookalike host",
			src:  step("      url: https://googleapis.com.evil.io/x\n      auth: {type: OAuth2}\n"),
			want: []string{"oauth-non-google:error"},
		},
		{
			name: "oauth2 to google api",
			src:  step("      url: https://run.googleapis.com/v2/projects/p/locations/l/services\n      auth: {type: OAuth2}\n"),
		},
		{
			name: "oidc to google api",
			src:  step("      url: https://run.googleapis.com/v2/x\n      auth: {type: OIDC, audience: https://run.googleapis.com}\n"),
			want: []string{"oidc-google-api:warning"},
		},
		{
			name: "unknown auth type",
			src:  step("      url: https://hello-abc-uc.a.run.app\n      auth: {type: Basic}\n"),
			want: []string{"unknown-auth-type:error"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := Parse(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			fs := Lint(w, LintOptions{KnownServiceURLs: tt.known})
			var got []string
			for _, f := range fs {
				got = append(got, f.Rule+":"+f.Severity.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("findings = %v, want %v (%+v)", got, tt.want, fs)
			}
			if tt.wantDetail != "" && !strings.Contains(fs[0].Detail, tt.wantDetail) {
				t.Fatalf("detail = %q, want it to contain %q", fs[0].Detail, tt.wantDetail)
			}
		})
	}
}

// FuzzParse checks that Parse never panics and that a parsed workflow's
// calls and findings can always be listed.
func FuzzParse(f *testing.F) {
	for _, s := range []string{seedYAML, seedJSON, "- a:\n    return: 1\n", "main: {steps: []}", "- a:\n    try: {call: http.get}\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		w, err := Parse(src)
		if err != nil {
			return
		}
		if w.Main() == nil {
			t.Fatal("parsed workflow without main")
		}
		_ = Lint(w, LintOptions{})
	})
}
