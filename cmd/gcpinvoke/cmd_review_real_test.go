package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --format sarif --config-dir points code scanning at the line that grants
// allUsers.
func TestReviewSARIF(t *testing.T) {
	dir := filepath.Join("..", "..", "internal", "review", "testdata", "configs", "risky")
	code, out, errOut := runCLI(t, "review", filepath.Join(plans, "real_risky.json"), "--format", "sarif", "--config-dir", dir, "--fail-on", "high")
	if code != 1 {
		t.Errorf("exit %d, want 1 (stderr %q)", code, errOut)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("not a SARIF 2.1.0 log (%v):\n%s", err, out)
	}
	mainTF := filepath.ToSlash(filepath.Join(dir, "main.tf"))
	data, _ := os.ReadFile(filepath.Join(dir, "main.tf"))
	wantLine := 1 + strings.Count(string(data[:strings.Index(string(data), `resource "gcpinvoke_run_service_iam_member" "public"`)]), "\n")
	found := false
	for _, r := range log.Runs[0].Results {
		if r.RuleID == "public-invoker" {
			found = true
			loc := r.Locations[0].PhysicalLocation
			if r.Level != "error" || loc.ArtifactLocation.URI != mainTF || loc.Region.StartLine != wantLine {
				t.Errorf("public-invoker: level %s at %s:%d, want error at %s:%d", r.Level, loc.ArtifactLocation.URI, loc.Region.StartLine, mainTF, wantLine)
			}
		}
	}
	if !found {
		t.Errorf("no public-invoker result:\n%s", out)
	}
	for _, bad := range [][]string{
		{"--format", "json", "--config-dir", dir},
		{"--format", "sarif", "--config-dir", filepath.Join(dir, "missing")},
	} {
		if code, _, errOut := runCLI(t, append([]string{"review", filepath.Join(plans, "real_risky.json")}, bad...)...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", bad, code, errOut)
		}
	}
}

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
