package gcpnames

import (
	"strings"
	"testing"
)

func TestValidateServiceAccountEmail(t *testing.T) {
	tests := []struct {
		email, wantErr string
	}{
		{"invoker@demo-project.iam.gserviceaccount.com", ""},
		{"service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com", ""},
		{"123456789012-compute@developer.gserviceaccount.com", ""},
		{"demo-project@appspot.gserviceaccount.com", ""},
		{"Invoker@demo-project.iam.gserviceaccount.com", `must be lower-case; write "invoker@demo-project.iam.gserviceaccount.com"`},
		{"invoker", `looks like an account ID`},
		{"jane@example.com", "is not a service account email"},
		{"a@evilgserviceaccount.com", "is not a service account email"},
		{"a.b@p.iam.gserviceaccount.com", "may only contain lower-case letters, digits and hyphens"},
		{"", "service account email is empty"},
		{"projects/p/serviceAccounts/a-sa@p.iam.gserviceaccount.com", `is a resource name; write only the email "a-sa@p.iam.gserviceaccount.com"`},
		{"x", "has no @"},
	}
	for _, tt := range tests {
		err := ValidateServiceAccountEmail(tt.email)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("ValidateServiceAccountEmail(%q) = %v, want nil", tt.email, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ValidateServiceAccountEmail(%q) = %v, want error containing %q", tt.email, err, tt.wantErr)
		}
	}
}

func TestAccountIDValid(t *testing.T) {
	const rule = "it must be 6-30 characters of lower-case letters, digits and hyphens, start with a letter and not end with a hyphen"
	tests := []struct {
		id, wantErr string
	}{
		{"invoker", ""},
		{"abcdef", ""},
		{"a-23456789012345678901234567890"[:30], ""},
		{"abcde", `account ID "abcde" has 5 characters; ` + rule},
		{"a234567890123456789012345678901", "has 31 characters"},
		{"1nvoker", "does not start with a lower-case letter"},
		{"invoker-", "ends with a hyphen"},
		{"Invoker", "does not start with a lower-case letter"},
		{"in_voker", `contains '_'`},
		{"invoker@p.iam.gserviceaccount.com", `is an email; use only the part before @ ("invoker")`},
	}
	for _, tt := range tests {
		err := AccountIDValid(tt.id)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("AccountIDValid(%q) = %v, want nil", tt.id, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("AccountIDValid(%q) = %v, want error containing %q", tt.id, err, tt.wantErr)
		}
	}
}
