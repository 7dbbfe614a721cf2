package gcpnames

import "testing"

func TestSplitIAMImportID(t *testing.T) {
	tests := []struct {
		id                                 string
		resource, role, member, conditionT string
	}{
		{"projects/p/locations/l/services/s roles/run.invoker", "projects/p/locations/l/services/s", "roles/run.invoker", "", ""},
		{"p/l/s roles/run.invoker serviceAccount:a@p.iam.gserviceaccount.com", "p/l/s", "roles/run.invoker", "serviceAccount:a@p.iam.gserviceaccount.com", ""},
		{"s roles/run.invoker user:a@b.com Only  during business hours ", "s", "roles/run.invoker", "user:a@b.com", "Only  during business hours"},
		{"s", "s", "", "", ""},
		{"", "", "", "", ""},
	}
	for _, tt := range tests {
		r, ro, m, c := SplitIAMImportID(tt.id)
		if r != tt.resource || ro != tt.role || m != tt.member || c != tt.conditionT {
			t.Errorf("SplitIAMImportID(%q) = %q, %q, %q, %q", tt.id, r, ro, m, c)
		}
	}
}
