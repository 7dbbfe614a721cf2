package gcpnames

import (
	"strings"
	"testing"
)

func TestServiceAgentEmail(t *testing.T) {
	tests := []struct {
		number, agent, want, wantErr string
	}{
		{"123456789012", "cloudscheduler", "service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com", ""},
		{"123456789012", "cloudtasks", "service-123456789012@gcp-sa-cloudtasks.iam.gserviceaccount.com", ""},
		{"123456789012", "workflows", "service-123456789012@gcp-sa-workflows.iam.gserviceaccount.com", ""},
		{"1", "CloudScheduler", "service-1@gcp-sa-cloudscheduler.iam.gserviceaccount.com", ""},
		{"demo-project", "cloudscheduler", "", "must contain only digits; if it is a project ID, look up its number with `gcloud projects describe demo-project"},
		{"", "cloudscheduler", "", "project number is empty"},
		{"0123", "cloudscheduler", "", "no leading zero"},
		{"123", "scheduler", "", `unknown service agent "scheduler"; use one of "cloudscheduler", "cloudtasks" or "workflows"`},
	}
	for _, tt := range tests {
		got, err := ServiceAgentEmail(tt.number, tt.agent)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ServiceAgentEmail(%q, %q) = %q, %v; want error containing %q", tt.number, tt.agent, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ServiceAgentEmail(%q, %q) = %q, %v; want %q", tt.number, tt.agent, got, err, tt.want)
		}
	}
}

func TestAgentsRoles(t *testing.T) {
	want := map[string]string{
		"cloudscheduler": "roles/cloudscheduler.serviceAgent",
		"cloudtasks":     "roles/cloudtasks.serviceAgent",
		"workflows":      "roles/workflows.serviceAgent",
	}
	if len(Agents) != len(want) {
		t.Fatalf("Agents has %d entries, want %d", len(Agents), len(want))
	}
	for name, role := range want {
		a, err := LookupAgent(name)
		if err != nil || a.Role != role || a.Domain != "gcp-sa-"+name+".iam.gserviceaccount.com" {
			t.Errorf("LookupAgent(%q) = %+v, %v; want role %s", name, a, err, role)
		}
	}
	if got := strings.Join(AgentNames(), ","); got != "cloudscheduler,cloudtasks,workflows" {
		t.Errorf("AgentNames() = %s", got)
	}
}
