package review

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadPlan checks that no input makes reading, analysing or rendering
// panic, and that the JSON output is always valid JSON.
func FuzzReadPlan(f *testing.F) {
	plans, _ := filepath.Glob(filepath.Join("testdata", "plans", "*.json"))
	for _, path := range plans {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format_version":"1.2","resource_changes":[{"type":"google_cloud_scheduler_job","change":{"actions":["create"],"after":{"http_target":[[]]}}}]}`))
	f.Add([]byte(`{"format_version":"1.2","resource_changes":[{"type":"google_project_iam_policy","change":{"actions":["update"],"before":{"policy_data":"{"},"after":{"policy_data":7}}}]}`))
	f.Add([]byte(`{"format_version":"1.0","values":{}}`))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadPlan(data)
		if err != nil {
			return
		}
		rep := Analyze(p)
		var md, js bytes.Buffer
		if err := WriteMarkdown(&md, rep); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&js, rep); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(js.Bytes()) {
			t.Fatalf("invalid JSON output:\n%s", js.Bytes())
		}
	})
}
