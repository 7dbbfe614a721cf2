package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type actionStep struct {
	Name string            `yaml:"name"`
	ID   string            `yaml:"id"`
	Run  string            `yaml:"run"`
	Env  map[string]string `yaml:"env"`
	Uses string            `yaml:"uses"`
	If   string            `yaml:"if"`
}

func loadAction(t *testing.T) []actionStep {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Using string       `yaml:"using"`
			Steps []actionStep `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", action.Runs.Using)
	}
	return action.Runs.Steps
}

// The action's review step, run by bash as GitHub would (inputs through
// env, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files): the Markdown lands in
// the job summary with the verdict first, SARIF is written when asked, and
// the exit code follows --fail-on; the last step fails the job with it.
func TestActionReviewStep(t *testing.T) {
	steps := loadAction(t)
	var review, fail *actionStep
	uploads := false
	for i := range steps {
		switch {
		case steps[i].ID == "review":
			review = &steps[i]
		case steps[i].Name == "Fail by --fail-on":
			fail = &steps[i]
		case strings.HasPrefix(steps[i].Uses, "github/codeql-action/upload-sarif@"):
			uploads = strings.Contains(steps[i].If, "inputs.sarif == 'true'")
		}
	}
	if review == nil || fail == nil || !uploads {
		t.Fatalf("action.yml lacks the review step, the fail step or a conditional SARIF upload: %+v", steps)
	}

	temp := t.TempDir()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	build := exec.Command(goTool, "build", "-o", filepath.Join(temp, "gcpinvoke-bin", "gcpinvoke"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	configDir, _ := filepath.Abs(filepath.Join("..", "..", "internal", "review", "testdata", "configs", "risky"))
	tests := []struct {
		plan, failOn, sarif string
		wantCode            string
		wantVerdict         string
	}{
		{"real_risky.json", "high", "true", "1", "🛑 gcpinvoke review: 4 grants, 1 revocation, 5 findings (2 high, 2 medium, 1 info)"},
		{"real_neutral.json", "info", "false", "0", "✅ gcpinvoke review: 0 grants, 0 revocations, no findings"},
	}
	for _, tt := range tests {
		t.Run(tt.plan, func(t *testing.T) {
			dir := t.TempDir()
			output, summary := filepath.Join(dir, "output"), filepath.Join(dir, "summary")
			plan, _ := filepath.Abs(filepath.Join(plans, tt.plan))
			env := append(os.Environ(), "RUNNER_TEMP="+temp, "GITHUB_OUTPUT="+output, "GITHUB_STEP_SUMMARY="+summary,
				"PLAN="+plan, "FAIL_ON="+tt.failOn, "SARIF="+tt.sarif, "CONFIG_DIR="+configDir, "SUMMARY=true")
			cmd := exec.Command("bash", "-c", review.Run)
			cmd.Env, cmd.Dir = env, dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("review step failed: %v\n%s", err, out)
			}
			outputs := map[string]string{}
			data, _ := os.ReadFile(output)
			for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				k, v, _ := strings.Cut(l, "=")
				outputs[k] = v
			}
			if outputs["exit-code"] != tt.wantCode || outputs["verdict"] != tt.wantVerdict {
				t.Errorf("outputs %v, want exit-code %s and verdict %q", outputs, tt.wantCode, tt.wantVerdict)
			}
			md, _ := os.ReadFile(summary)
			if !strings.HasPrefix(string(md), "**"+tt.wantVerdict+"**\n") {
				t.Errorf("job summary does not start with the verdict:\n%s", md)
			}
			if tt.sarif == "true" {
				var log struct{ Version string }
				raw, err := os.ReadFile(outputs["sarif-file"])
				if err != nil || json.Unmarshal(raw, &log) != nil || log.Version != "2.1.0" {
					t.Errorf("sarif-file %q is not SARIF 2.1.0 (%v)", outputs["sarif-file"], err)
				}
			} else if outputs["sarif-file"] != "" {
				t.Errorf("SARIF written though not asked: %v", outputs)
			}

			failCmd := exec.Command("bash", "-c", fail.Run)
			failCmd.Env = append(os.Environ(), "CODE="+outputs["exit-code"], "VERDICT="+outputs["verdict"], "FAIL_ON="+tt.failOn)
			err := failCmd.Run()
			if got := failCmd.ProcessState.ExitCode(); (tt.wantCode == "0") != (err == nil) || got != atoi(tt.wantCode) {
				t.Errorf("fail step exit %d, want %s", got, tt.wantCode)
			}
		})
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// The pre-commit hook runs gcpinvoke review on staged plan JSON files.
func TestPreCommitHook(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID       string `yaml:"id"`
		Entry    string `yaml:"entry"`
		Language string `yaml:"language"`
		Files    string `yaml:"files"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil || len(hooks) != 1 {
		t.Fatalf("hooks %+v (%v)", hooks, err)
	}
	h := hooks[0]
	if h.ID != "gcpinvoke-review" || h.Language != "golang" || !strings.HasPrefix(h.Entry, "gcpinvoke review ") {
		t.Errorf("hook %+v", h)
	}
	files := regexp.MustCompile(h.Files)
	for name, want := range map[string]bool{"plan.json": true, "infra/prod.plan.json": true, "tfplan.json": true, "main.tf": false, "package.json": false} {
		if files.MatchString(name) != want {
			t.Errorf("files pattern %q on %s: %v, want %v", h.Files, name, !want, want)
		}
	}
	// The entry as pre-commit runs it: the entry's arguments, then the files.
	args := append(strings.Fields(h.Entry)[1:], filepath.Join(plans, "real_neutral.json"), filepath.Join(plans, "real_risky.json"))
	if code, out, errOut := runCLI(t, args...); code != 1 || !strings.Contains(errOut, "real_risky.json: 4 grants") || !strings.Contains(out, "real_neutral.json") {
		t.Errorf("hook entry: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
}
