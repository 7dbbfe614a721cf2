package gcpnames

import (
	"strings"
	"testing"
)

func TestMember(t *testing.T) {
	tests := []struct {
		kind, id, want, wantErr string
	}{
		{"serviceAccount", "Invoker@Demo-Project.iam.gserviceaccount.com", "serviceAccount:invoker@demo-project.iam.gserviceaccount.com", ""},
		{"serviceaccount", "invoker@demo-project.iam.gserviceaccount.com", "serviceAccount:invoker@demo-project.iam.gserviceaccount.com", ""},
		{"user", "Jane@Example.com", "user:jane@example.com", ""},
		{"group", "ops@example.com", "group:ops@example.com", ""},
		{"domain", "Example.COM", "domain:example.com", ""},
		{"allUsers", "", "allUsers", ""},
		{"allAuthenticatedUsers", "", "allAuthenticatedUsers", ""},
		{"principal", "//iam.googleapis.com/projects/1/locations/global/workforcePools/p/subject/Sub", "principal://iam.googleapis.com/projects/1/locations/global/workforcePools/p/subject/Sub", ""},
		{"principalSet", "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/*", "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/*", ""},
		{"allUsers", "x", "", "member kind allUsers takes no id; pass an empty string"},
		{"service_account", "a@b.com", "", `unknown member kind "service_account" (did you mean serviceAccount?); use one of user, serviceAccount`},
		{"robot", "a@b.com", "", `unknown member kind "robot"; use one of`},
		{"serviceAccount", "serviceAccount:a@p.iam.gserviceaccount.com", "", `already starts with "serviceAccount:"; pass only "a@p.iam.gserviceaccount.com"`},
		{"serviceAccount", "jane@example.com", "", "is not a service account email (those end in .gserviceaccount.com"},
		{"serviceAccount", "invoker", "", `looks like an account ID; write the email, e.g. "invoker@PROJECT_ID.iam.gserviceaccount.com"`},
		{"user", "invoker@p.iam.gserviceaccount.com", "", "is a service account; use member kind serviceAccount, not user"},
		{"user", "jane", "", `user email "jane" has no @`},
		{"user", "", "", "user email is empty"},
		{"user", "a@b@c.com", "", "is not a single address"},
		{"user", "a b@c.com", "", `contains ' '`},
		{"user", "a@localhost", "", `has an invalid domain "localhost"`},
		{"user", " a@b.com", "", "has leading or trailing spaces"},
		{"domain", "jane@example.com", "", "contains @; for one account use member kind user"},
		{"domain", "example", "", `domain "example" is not a domain name`},
		{"principal", "iam.googleapis.com/x", "", "must be a resource URI starting with //"},
		{"principalSet", "//iam.googleapis.com/a b", "", "contains white space"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.id, func(t *testing.T) {
			got, err := Member(tt.kind, tt.id)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Member(%q, %q) = %q, %v; want error containing %q", tt.kind, tt.id, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Member(%q, %q) = %q, %v; want %q", tt.kind, tt.id, got, err, tt.want)
			}
		})
	}
}

func TestMemberKind(t *testing.T) {
	if k, err := MemberKind("SERVICEACCOUNT"); err != nil || k != "serviceAccount" {
		t.Errorf("MemberKind(SERVICEACCOUNT) = %q, %v", k, err)
	}
	if _, err := MemberKind("sa"); err == nil || !strings.Contains(err.Error(), "did you mean serviceAccount?") {
		t.Errorf("MemberKind(sa) error = %v", err)
	}
}
