package provider

import (
	"strings"
	"testing"
)

// The base64 trap as a user meets it: a body copied from
// google_cloud_scheduler_job with base64encode() gets a warning from
// terraform validate (and so from every plan) on http_target.body; a plain
// body gets none.
func TestSchedulerJob_base64BodyWarning(t *testing.T) {
	h := newTFHarness(t)
	job := func(body string) string {
		return `
provider "gcpinvoke" {
  project = "my-project"
  region  = "us-central1"
}

resource "gcpinvoke_scheduler_job" "j" {
  name     = "j"
  schedule = "0 3 * * *"
  http_target = {
    uri  = "https://example.com/"
    body = ` + body + `
  }
}
`
	}
	tests := []struct {
		body string
		warn bool
	}{
		{`base64encode("{\"report\":\"daily\"}")`, true},
		{`"eyJyZXBvcnQiOiJkYWlseSJ9"`, true},
		{`"{\"report\":\"daily\"}"`, false},
		{`"hello world"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			h.writeConfig(job(tt.body))
			out := h.mustRun("validate", "-no-color")
			got := strings.Contains(out, "Body looks base64-encoded")
			if got != tt.warn {
				t.Fatalf("warning shown = %v, want %v:\n%s", got, tt.warn, out)
			}
			if tt.warn && !strings.Contains(out, "plain text") {
				t.Errorf("the warning does not say the body is plain text:\n%s", out)
			}
		})
	}
}
