package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const plans = "../../internal/review/testdata/plans"

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReviewExitCodes(t *testing.T) {
	mixed := filepath.Join(plans, "google_mixed.json")      // high, medium and info findings
	clean := filepath.Join(plans, "ours_clean.json")        // no findings
	infoOnly := filepath.Join(plans, "google_unknown.json") // one info finding
	state := writeTemp(t, "state.json", `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{}}}`)
	garbage := writeTemp(t, "plan.json", "not json at all")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"findings without --fail-on", []string{mixed}, 0, ""},
		{"fail-on high with a high finding", []string{"--fail-on", "high", mixed}, 1, "(--fail-on high)"},
		{"fail-on high with no finding", []string{"--fail-on=high", clean}, 0, ""},
		{"fail-on info with no finding", []string{"--fail-on", "info", clean}, 0, ""},
		{"fail-on medium below the level", []string{"--fail-on", "medium", infoOnly}, 0, ""},
		{"fail-on info at the level", []string{"--fail-on", "info", infoOnly}, 1, "1 finding (1 info)"},
		{"flags after the file", []string{mixed, "--fail-on", "medium", "--format", "json"}, 1, ""},
		{"state JSON", []string{state}, 2, "terraform show -json PLANFILE"},
		{"not JSON", []string{garbage}, 2, "not valid JSON"},
		{"missing file", []string{filepath.Join(t.TempDir(), "nope.json")}, 2, "cannot read"},
		{"no file", nil, 2, "want exactly one plan file"},
		{"two files as JSON", []string{"--format", "json", mixed, clean}, 2, "want exactly one plan file"},
		{"two files as Markdown, worst exit", []string{"--fail-on", "high", clean, mixed}, 1, "google_mixed.json: 8 grants"},
		{"bad format", []string{"--format", "yaml", mixed}, 2, `--format "yaml"`},
		{"bad fail-on", []string{"--fail-on", "critical", mixed}, 2, "want high, medium or info"},
		{"unknown flag", []string{"--color", mixed}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, append([]string{"review"}, tt.args...)...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.wantCode, errOut)
			}
			if !strings.Contains(errOut, tt.wantStderr) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.wantStderr)
			}
		})
	}
}

func TestReviewOutputs(t *testing.T) {
	mixed := filepath.Join(plans, "google_mixed.json")
	code, md, _ := runCLI(t, "review", mixed)
	if code != 0 || !strings.HasPrefix(md, "**🛑 gcpinvoke review: 8 grants, 4 revocations, 7 findings (3 high, 3 medium, 1 info)**") ||
		!strings.Contains(md, "```mermaid\nflowchart LR\n") {
		t.Errorf("markdown (exit %d):\n%s", code, md)
	}

	code, js, _ := runCLI(t, "review", "--format", "json", mixed)
	var doc struct {
		SchemaVersion int `json:"schema_version"`
		Summary       struct {
			High int `json:"high"`
		} `json:"summary"`
		Findings []struct {
			Severity string `json:"severity"`
			Code     string `json:"code"`
			Fix      string `json:"fix"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil || code != 0 {
		t.Fatalf("json output (exit %d, %v):\n%s", code, err, js)
	}
	if doc.SchemaVersion != 1 || doc.Summary.High != 3 || len(doc.Findings) != 7 || doc.Findings[0].Severity != "high" || doc.Findings[0].Fix == "" {
		t.Errorf("unexpected JSON report: %+v", doc)
	}
}

func TestReviewReadsStdin(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(plans, "ours_clean.json"))
	if err != nil {
		t.Fatal(err)
	}
	old := stdin
	stdin = strings.NewReader(string(data))
	t.Cleanup(func() { stdin = old })
	code, out, errOut := runCLI(t, "review", "-")
	if code != 0 || !strings.Contains(out, "2 grants, 0 revocations, no findings") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
