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
