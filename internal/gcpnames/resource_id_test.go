package gcpnames

import (
	"strings"
	"testing"
)

func TestParseRunServiceID(t *testing.T) {
	tests := []struct {
		id, defProject, defLocation string
		project, location, service  string
		wantErr                     string
	}{
		{"projects/p1/locations/us-central1/services/hello", "", "", "p1", "us-central1", "hello", ""},
		{"p1/europe-west1/hello", "dp", "dl", "p1", "europe-west1", "hello", ""},
		{"europe-west1/hello", "dp", "dl", "dp", "europe-west1", "hello", ""},
		{"hello", "dp", "dl", "dp", "dl", "hello", ""},
		{"hello", "", "dl", "", "", "", `ID "hello" gives no project and the provider has no default project; use projects/{project}/locations/{location}/services/{name}`},
		{"hello", "dp", "", "", "", "", "gives no location"},
		{"europe-west1/hello", "", "", "", "", "", "gives no project"},
		{"projects/p1/locations/l/functions/f", "", "", "", "", "", `names a resource in "functions", not in "services"`},
		{"projects/p1/services/hello", "", "", "", "", "", "does not match any accepted format"},
		{"a/b/c/d", "", "", "", "", "", "does not match any accepted format"},
		{"p//hello", "", "", "", "", "", "gives no location"},
		{"", "dp", "dl", "", "", "", "is empty"},
		{" hello", "dp", "dl", "", "", "", "surrounding spaces"},
	}
	for _, tt := range tests {
		p, l, s, err := ParseRunServiceID(tt.id, tt.defProject, tt.defLocation)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseRunServiceID(%q) error = %v, want it to contain %q", tt.id, err, tt.wantErr)
			}
			continue
		}
		if err != nil || p != tt.project || l != tt.location || s != tt.service {
			t.Errorf("ParseRunServiceID(%q) = %q, %q, %q, %v; want %q, %q, %q", tt.id, p, l, s, err, tt.project, tt.location, tt.service)
		}
	}
}

func TestParseOtherLocationalIDs(t *testing.T) {
	type parser func(id, p, l string) (string, string, string, error)
	tests := []struct {
		name  string
		parse parser
		full  string
	}{
		{"function", ParseFunctionID, "projects/p/locations/l/functions/n"},
		{"scheduler job", ParseSchedulerJobID, "projects/p/locations/l/jobs/n"},
		{"queue", ParseQueueID, "projects/p/locations/l/queues/n"},
		{"workflow", ParseWorkflowID, "projects/p/locations/l/workflows/n"},
	}
	for _, tt := range tests {
		for _, id := range []string{tt.full, "p/l/n"} {
			p, l, n, err := tt.parse(id, "", "")
			if err != nil || p != "p" || l != "l" || n != "n" {
				t.Errorf("%s: parse(%q) = %q, %q, %q, %v", tt.name, id, p, l, n, err)
			}
		}
		if _, _, _, err := tt.parse("projects/p/locations/l/services/n", "", ""); err == nil {
			t.Errorf("%s: a services name was accepted", tt.name)
		}
	}
}

func TestLocationalNameString(t *testing.T) {
	n, err := ParseLocationalID("p/l/hello", "services", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := n.String(); got != "projects/p/locations/l/services/hello" {
		t.Errorf("String() = %q", got)
	}
}
