package review

import (
	"strings"
	"testing"
)

// A fix is written in the syntax of the resource it is about: nested
// attributes for gcpinvoke_* (blocks are rejected by its schema), blocks
// for google_*.
func TestJobFindings_hintSyntax(t *testing.T) {
	tests := []struct {
		address, want, notWant string
	}{
		{"gcpinvoke_scheduler_job.a", `oidc_token = { audience = "https://hello-abc-uc.a.run.app" }`, "oidc_token {"},
		{"module.m.gcpinvoke_scheduler_job.a", `oidc_token = { audience =`, "oidc_token {"},
		{"google_cloud_scheduler_job.a", `oidc_token { audience = "https://hello-abc-uc.a.run.app" }`, "oidc_token = {"},
		{"module.m.google_cloud_scheduler_job.a", `oidc_token { audience =`, "oidc_token = {"},
	}
	for _, tt := range tests {
		t.Run(tt.address+" audience", func(t *testing.T) {
			fs := jobFindings(Job{Address: tt.address, Caller: "scheduler", Action: "create", Token: "oidc",
				ServiceAccount: "sa@demo-project.iam.gserviceaccount.com", URL: "https://hello-abc-uc.a.run.app/run?x=1",
				Audience: "https://hello-abc-uc.a.run.app/run?x=1", InvokerVia: "test"}, false)
			var fix string
			for _, f := range fs {
				if f.Code == CodeAudiencePath {
					fix = f.Fix
				}
			}
			want := "oidc_token = { audience ="
			if strings.Contains(tt.address, "google_") {
				want = "http_target { oidc_token { audience ="
			}
			if !strings.Contains(fix, want) {
				t.Errorf("fix = %q, want it to contain %q", fix, want)
			}
		})
		t.Run(tt.address, func(t *testing.T) {
			fs := jobFindings(Job{Address: tt.address, Caller: "scheduler", Action: "create", Token: "oauth",
				ServiceAccount: "sa@demo-project.iam.gserviceaccount.com", URL: "https://hello-abc-uc.a.run.app/run?x=1"}, false)
			var fix string
			for _, f := range fs {
				if f.Code == CodeOAuthNonGoogle {
					fix = f.Fix
				}
			}
			if !strings.Contains(fix, tt.want) || strings.Contains(fix, tt.notWant) {
				t.Errorf("fix = %q, want it to contain %q and not %q", fix, tt.want, tt.notWant)
			}
		})
	}
}
