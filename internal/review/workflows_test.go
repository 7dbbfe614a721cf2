package review

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestWorkflowCallers(t *testing.T) {
	src := func(steps string) string { return "main:\n  steps:\n" + steps }
	oidc := "    - call_run:\n        call: http.get\n        args:\n          url: " + run + "/x\n          auth:\n            type: OIDC\n            audience: " + run + "\n"
	plain := "    - plain:\n        call: http.get\n        args:\n          url: https://example.com/\n"
	dynamic := "    - dyn:\n        call: http.get\n        args:\n          url: ${args.url}\n          auth:\n            type: OIDC\n"
	tests := []struct {
		name, typ, after, unknown string
		wantSteps                 []string
		wantFindings              []string
	}{
		{"ours, authenticated call to a service without an invoker binding", "gcpinvoke_workflow",
			`{"service_account":"wf@p.iam.gserviceaccount.com","source":` + quote(src(oidc+plain)) + `}`, "",
			[]string{"call_run"}, []string{"info no-invoker-binding w.x"}},
		{"google, full service account name, URL computed at run time", "google_workflows_workflow",
			`{"service_account":"projects/p/serviceAccounts/wf@p.iam.gserviceaccount.com","source_contents":` + quote(src(dynamic)) + `}`, "",
			[]string{"dyn"}, []string{}},
		{"source known only after apply", "gcpinvoke_workflow",
			`{"service_account":"wf@p.iam.gserviceaccount.com"}`, `{"source":true}`, nil, []string{}},
		{"source that does not parse", "gcpinvoke_workflow",
			`{"service_account":"wf@p.iam.gserviceaccount.com","source":"main: [unclosed"}`, "", nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Analyze(planOf(t, change{addr: "w.x", typ: tt.typ, actions: create, after: tt.after, unknown: tt.unknown}))
			var steps []string
			for _, j := range r.Jobs {
				steps = append(steps, j.Step)
				if j.Caller != "workflows" || j.ServiceAccount != "wf@p.iam.gserviceaccount.com" {
					t.Errorf("job %+v: want caller workflows as wf@p.iam.gserviceaccount.com", j)
				}
			}
			if !reflect.DeepEqual(steps, tt.wantSteps) {
				t.Errorf("steps = %q, want %q", steps, tt.wantSteps)
			}
			if got := findingList(r); !reflect.DeepEqual(got, tt.wantFindings) {
				t.Errorf("findings = %q, want %q", got, tt.wantFindings)
			}
		})
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
