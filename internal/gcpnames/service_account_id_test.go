package gcpnames

import (
	"strings"
	"testing"
)

func TestParseServiceAccountID(t *testing.T) {
	tests := []struct {
		id, defProject, project, email, wantErr string
	}{
		{"invoker@p1.iam.gserviceaccount.com", "dp", "p1", "invoker@p1.iam.gserviceaccount.com", ""},
		{"Invoker@P1.iam.gserviceaccount.com", "", "p1", "invoker@p1.iam.gserviceaccount.com", ""},
		{"projects/p1/serviceAccounts/invoker@p1.iam.gserviceaccount.com", "", "p1", "invoker@p1.iam.gserviceaccount.com", ""},
		{"projects/-/serviceAccounts/invoker@p1.iam.gserviceaccount.com", "dp", "p1", "invoker@p1.iam.gserviceaccount.com", ""},
		{"123-compute@developer.gserviceaccount.com", "dp", "dp", "123-compute@developer.gserviceaccount.com", ""},
		{"123-compute@developer.gserviceaccount.com", "", "-", "123-compute@developer.gserviceaccount.com", ""},
		{"service-123@gcp-sa-cloudscheduler.iam.gserviceaccount.com", "dp", "dp", "service-123@gcp-sa-cloudscheduler.iam.gserviceaccount.com", ""},
		{"projects/p2/serviceAccounts/123-compute@developer.gserviceaccount.com", "dp", "p2", "123-compute@developer.gserviceaccount.com", ""},
		{"projects/p2/serviceAccounts/invoker@p1.iam.gserviceaccount.com", "", "", "", `the email belongs to project "p1", not "p2"`},
		{"projects/p1/serviceAccount/invoker@p1.iam.gserviceaccount.com", "", "", "", "does not match projects/{project}/serviceAccounts/{email}"},
		{"p1/invoker@p1.iam.gserviceaccount.com", "", "", "", "neither an email nor"},
		{"invoker", "dp", "", "", "looks like an account ID"},
		{"jane@example.com", "dp", "", "", "is not a service account email"},
	}
	for _, tt := range tests {
		p, e, err := ParseServiceAccountID(tt.id, tt.defProject)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseServiceAccountID(%q) error = %v, want it to contain %q", tt.id, err, tt.wantErr)
			}
			continue
		}
		if err != nil || p != tt.project || e != tt.email {
			t.Errorf("ParseServiceAccountID(%q, %q) = %q, %q, %v; want %q, %q", tt.id, tt.defProject, p, e, err, tt.project, tt.email)
		}
	}
}

func TestServiceAccountName(t *testing.T) {
	if got := ServiceAccountName("", "a@b.iam.gserviceaccount.com"); got != "projects/-/serviceAccounts/a@b.iam.gserviceaccount.com" {
		t.Errorf("ServiceAccountName = %q", got)
	}
	if got := ServiceAccountName("p", "x"); got != "projects/p/serviceAccounts/x" {
		t.Errorf("ServiceAccountName = %q", got)
	}
}
