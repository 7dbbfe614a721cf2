package review

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadPlanRejectsNonPlans(t *testing.T) {
	tests := []struct {
		name  string
		input string
		hint  string // extra text the message must contain
	}{
		{"empty", "  \n", "empty"},
		{"not JSON", "resource \"x\" \"y\" {}", "not valid JSON"},
		{"JSON array", `[{"format_version":"1.2"}]`, "not a JSON object"},
		{"JSON string", `"plan"`, "not a JSON object"},
		{"state JSON", `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{}}}`, "state JSON"},
		{"random object", `{"hello":"world"}`, "no format_version"},
		{"version only", `{"format_version":"1.2"}`, "neither resource_changes nor planned_values"},
		{"future format", `{"format_version":"2.0","resource_changes":[]}`, "unsupported format_version"},
		{"numeric format", `{"format_version":1,"resource_changes":[]}`, "unsupported format_version"},
		{"binary plan file", "PK\x03\x04\x14\x00rest-of-zip", "binary plan file"},
		{"wrong shape", `{"format_version":"1.2","resource_changes":{"a":1}}`, "shape of plan JSON"},
		{"wrong actions", `{"format_version":"1.2","resource_changes":[{"change":{"actions":"create"}}]}`, "shape of plan JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ReadPlan([]byte(tt.input))
			if err == nil {
				t.Fatalf("ReadPlan accepted %q: %+v", tt.input, p)
			}
			if !errors.Is(err, ErrNotPlan) {
				t.Errorf("error does not wrap ErrNotPlan: %v", err)
			}
			for _, want := range []string{"terraform show -json PLANFILE", tt.hint} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func TestReadPlanAcceptsPlans(t *testing.T) {
	plans, _ := filepath.Glob(filepath.Join("testdata", "plans", "*.json"))
	for _, path := range plans {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ReadPlan(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if p.FormatVersion == "" || p.TerraformVersion == "" {
			t.Errorf("%s: versions not read: %+v", path, p)
		}
	}
	// A plan with no resource at all is still a plan.
	if _, err := ReadPlan([]byte(`{"format_version":"1.2","planned_values":{"root_module":{}}}`)); err != nil {
		t.Errorf("empty plan rejected: %v", err)
	}
}
