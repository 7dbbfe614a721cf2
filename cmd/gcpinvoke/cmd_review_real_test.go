package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestReviewRealPlans runs the CLI on plans the Terraform CLI wrote
// (scripts/review-plans.sh): the example's clean chain passes --fail-on
// high, the risky configuration fails it.
func TestReviewRealPlans(t *testing.T) {
	tests := []struct {
		plan       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"real_scheduler_to_cloud_run.json", []string{"--fail-on", "high"}, 0,
			"**✅ gcpinvoke review: 2 grants, 0 revocations, no findings**\n", ""},
		{"real_scheduler_to_cloud_run.json", []string{"--fail-on", "info"}, 0,
			"`gcpinvoke_run_service_iam_member.invoker` | `gcpinvoke_service_agent_impersonation.scheduler` |", ""},
		{"real_risky.json", []string{"--fail-on", "high"}, 1,
			"**🛑 gcpinvoke review: 4 grants, 1 revocation, 5 findings (2 high, 2 medium, 1 info)**\n", "(--fail-on high)"},
		{"real_risky.json", nil, 0, "- **public-invoker** `gcpinvoke_run_service_iam_member.public`", ""},
		{"real_functions_tasks_workflows.json", []string{"--fail-on", "info", "--format", "json"}, 0, `"caller": "workflows"`, ""},
		// move + forget + import touch nothing in Google Cloud.
		{"real_neutral.json", []string{"--fail-on", "info"}, 0, "### No change in Google Cloud", ""},
		{"real_breaking_chain.json", []string{"--fail-on", "high"}, 1, "- **broken-chain** `gcpinvoke_run_service_iam_member.web`", "(--fail-on high)"},
	}
	for _, tt := range tests {
		t.Run(tt.plan+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			args := append([]string{"review", filepath.Join(plans, tt.plan)}, tt.args...)
			code, out, errOut := runCLI(t, args...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.wantCode, errOut)
			}
			if !strings.Contains(out, tt.wantStdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantStdout, out)
			}
			if !strings.Contains(errOut, tt.wantStderr) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.wantStderr)
			}
		})
	}
}
