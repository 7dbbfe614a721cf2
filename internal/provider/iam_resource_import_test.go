package provider

import (
	"slices"
	"testing"
)

// The third part of an `_iam_members` import ID is a member list only when
// every comma-separated token is a valid member; otherwise it begins the
// condition title.
func TestIAMImportMemberList(t *testing.T) {
	tests := []struct {
		part   string
		want   []string
		isList bool
	}{
		{"user:a@example.com", []string{"user:a@example.com"}, true},
		{"user:B@Example.com,group:ops@example.com", []string{"group:ops@example.com", "user:b@example.com"}, true},
		{"allUsers,serviceAccount:x@p.iam.gserviceaccount.com,user:b@example.com,user:b@example.com",
			[]string{"allUsers", "serviceAccount:x@p.iam.gserviceaccount.com", "user:b@example.com"}, true},
		{"domain:example.com", []string{"domain:example.com"}, true},
		{"expires-2030", nil, false},
		{"user:a@example.com,expires", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.part, func(t *testing.T) {
			got, ok := iamImportMemberList(tt.part)
			if ok != tt.isList || !slices.Equal(got, tt.want) {
				t.Fatalf("iamImportMemberList(%q) = %v, %t; want %v, %t", tt.part, got, ok, tt.want, tt.isList)
			}
		})
	}
}

func TestSameServiceAccount(t *testing.T) {
	const email = "runner@demo-project.iam.gserviceaccount.com"
	tests := []struct {
		a, b string
		want bool
	}{
		{email, "projects/demo-project/serviceAccounts/" + email, true},
		{"projects/-/serviceAccounts/" + email, email, true},
		{"Runner@Demo-Project.iam.gserviceaccount.com", email, true},
		{email, "other@demo-project.iam.gserviceaccount.com", false},
		{email, "projects/demo-project/serviceAccounts/other@demo-project.iam.gserviceaccount.com", false},
		{"agent@gcp-sa-cloudscheduler.iam.gserviceaccount.com", "projects/p1/serviceAccounts/agent@gcp-sa-cloudscheduler.iam.gserviceaccount.com", true},
		{"projects/p1/serviceAccounts/agent@gcp-sa-cloudscheduler.iam.gserviceaccount.com", "projects/p2/serviceAccounts/agent@gcp-sa-cloudscheduler.iam.gserviceaccount.com", false},
	}
	for _, tt := range tests {
		if got := sameServiceAccount(tt.a, tt.b); got != tt.want {
			t.Errorf("sameServiceAccount(%q, %q) = %t, want %t", tt.a, tt.b, got, tt.want)
		}
	}
}
