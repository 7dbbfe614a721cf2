package iampolicy

import (
	"strings"
	"testing"
)

func TestParseMemberValid(t *testing.T) {
	tests := []struct {
		in, want string
		typ      string
	}{
		{"user:alice@example.com", "user:alice@example.com", TypeUser},
		{"user:Alice@Example.COM", "user:alice@example.com", TypeUser},
		{"serviceAccount:Sched@demo-project.iam.gserviceaccount.com", "serviceAccount:sched@demo-project.iam.gserviceaccount.com", TypeServiceAccount},
		{"group:Admins@example.com", "group:admins@example.com", TypeGroup},
		{"domain:Example.com", "domain:example.com", TypeDomain},
		{"allUsers", "allUsers", TypeAllUsers},
		{"allAuthenticatedUsers", "allAuthenticatedUsers", TypeAllAuthenticatedUsers},
		{"principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/subject/S",
			"principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/subject/S", TypePrincipal},
		{"principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/*",
			"principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/*", TypePrincipalSet},
		{"deleted:serviceAccount:Old@p.iam.gserviceaccount.com?uid=123456789", "deleted:serviceAccount:old@p.iam.gserviceaccount.com?uid=123456789", TypeDeleted},
		{"deleted:user:bob@example.com?uid=42", "deleted:user:bob@example.com?uid=42", TypeDeleted},
		{"projectOwner:My-Project", "projectOwner:my-project", TypeProjectOwner},
		{"projectEditor:p", "projectEditor:p", TypeProjectEditor},
		{"projectViewer:p", "projectViewer:p", TypeProjectViewer},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m, err := ParseMember(tt.in)
			if err != nil {
				t.Fatalf("ParseMember(%q) error: %v", tt.in, err)
			}
			if m.Type != tt.typ {
				t.Errorf("Type = %q, want %q", m.Type, tt.typ)
			}
			if got := m.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got, _ := NormalizeMember(tt.in); got != tt.want {
				t.Errorf("NormalizeMember = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseMemberDeletedFields(t *testing.T) {
	m, err := ParseMember("deleted:group:g@example.com?uid=77")
	if err != nil {
		t.Fatal(err)
	}
	want := Member{Type: TypeDeleted, DeletedType: TypeGroup, ID: "g@example.com", UID: "77"}
	if m != want {
		t.Errorf("got %+v, want %+v", m, want)
	}
}

func TestParseMemberErrors(t *testing.T) {
	tests := []struct {
		in string
		// every fragment must appear in the error: the fix the user should write
		want []string
	}{
		{"", []string{"member is empty", "user:EMAIL"}},
		{"foo@bar.com", []string{`has no type prefix`, `"user:foo@bar.com"`, `"serviceAccount:foo@bar.com"`}},
		{"sa@p.iam.gserviceaccount.com", []string{`"serviceAccount:sa@p.iam.gserviceaccount.com"`}},
		{"serviceaccount:sa@p.iam.gserviceaccount.com", []string{"case-sensitive", `"serviceAccount:sa@p.iam.gserviceaccount.com"`}},
		{"ServiceAccount:sa@p.iam.gserviceaccount.com", []string{`"serviceAccount:sa@p.iam.gserviceaccount.com"`}},
		{"User:a@b.com", []string{`"user:a@b.com"`}},
		{"allusers", []string{"case-sensitive", `"allUsers"`}},
		{"AllAuthenticatedUsers", []string{`"allAuthenticatedUsers"`}},
		{"allUsers:x", []string{"takes no value", `"allUsers"`}},
		{"user", []string{"no value", `"user:VALUE"`}},
		{"everyone", []string{"not a valid IAM member", "allUsers"}},
		{"robot:x@y.com", []string{`unknown type "robot"`}},
		{"user:", []string{"not an email address"}},
		{"user:alice", []string{"not an email address", "user:NAME@DOMAIN"}},
		{"user:alice@localhost", []string{"not an email address"}},
		{"user:a@b@c.com", []string{"not an email address"}},
		{"serviceAccount:a b@c.com", []string{"not an email address"}},
		{" user:a@b.com", []string{"leading or trailing spaces", `"user:a@b.com"`}},
		{"domain:alice@example.com", []string{`"user:alice@example.com"`, `"domain:example.com"`}},
		{"domain:localhost", []string{"not a domain name"}},
		{"principal:iam.googleapis.com/x", []string{"URIs such as", "principal://"}},
		{"principalSet://", []string{"principalSet://"}},
		{"Principal://x", []string{`"principal://x"`}},
		{"deleted:user:a@b.com", []string{"deleted members look like"}},
		{"deleted:user:a@b.com?uid=abc", []string{"deleted members look like"}},
		{"deleted:robot:a@b.com?uid=1", []string{"deleted members look like"}},
		{"deleted:serviceaccount:a@b.com?uid=1", []string{`"deleted:serviceAccount:a@b.com?uid=1"`}},
		{"projectOwner:", []string{"needs a project ID"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseMember(tt.in)
			if err == nil {
				t.Fatalf("ParseMember(%q) succeeded, want error", tt.in)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestCanonicalMemberKeepsUnknown(t *testing.T) {
	if got := CanonicalMember("futureType:x"); got != "futureType:x" {
		t.Errorf("CanonicalMember kept unknown member as %q", got)
	}
	if got := CanonicalMember("user:A@B.com"); got != "user:a@b.com" {
		t.Errorf("CanonicalMember = %q", got)
	}
}

func TestMemberClasses(t *testing.T) {
	tests := []struct {
		member                 string
		public, broad, deleted bool
	}{
		{"allUsers", true, true, false},
		{"allAuthenticatedUsers", true, true, false},
		{"domain:example.com", false, true, false},
		{"user:a@example.com", false, false, false},
		{"serviceAccount:a@p.iam.gserviceaccount.com", false, false, false},
		{"group:g@example.com", false, false, false},
		{"deleted:user:a@example.com?uid=1", false, false, true},
		{"principalSet://iam.googleapis.com/x", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.member, func(t *testing.T) {
			if got := IsPublic(tt.member); got != tt.public {
				t.Errorf("IsPublic = %v", got)
			}
			if got := IsBroad(tt.member); got != tt.broad {
				t.Errorf("IsBroad = %v", got)
			}
			if got := IsDeleted(tt.member); got != tt.deleted {
				t.Errorf("IsDeleted = %v", got)
			}
		})
	}
}

func FuzzParseMember(f *testing.F) {
	for _, s := range []string{
		"user:alice@example.com", "serviceAccount:SA@p.iam.gserviceaccount.com", "group:g@x.org",
		"domain:Example.com", "allUsers", "allAuthenticatedUsers", "principal://iam.googleapis.com/a/b",
		"principalSet://x/y/*", "deleted:user:a@b.com?uid=1", "projectOwner:p", "foo@bar.com",
		"serviceaccount:x@y.com", "", ":", "user:", "deleted:::?uid=", "domain:a@b.c", "user:\xff@a.b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMember(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("empty error for %q", s)
			}
			return
		}
		str := m.String()
		m2, err := ParseMember(str)
		if err != nil {
			t.Fatalf("ParseMember(%q) ok, but its String %q fails: %v", s, str, err)
		}
		if m2 != m {
			t.Fatalf("round trip changed member: %+v -> %q -> %+v", m, str, m2)
		}
		if m2.String() != str {
			t.Fatalf("String not stable: %q -> %q", str, m2.String())
		}
	})
}
