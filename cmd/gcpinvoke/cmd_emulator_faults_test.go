package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeSeed writes a seed file declaring project custom-proj with the Cloud
// Run service "api" in europe-west1, and nothing of the default demo-project.
func writeSeed(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.json")
	seed := `{
  "projects": [{"projectId": "custom-proj", "projectNumber": "987654321098"}],
  "serviceAccounts": [{"project": "custom-proj", "accountId": "runner-sa"}],
  "runServices": [{"project": "custom-proj", "location": "europe-west1", "name": "api"}]
}`
	if err := os.WriteFile(path, []byte(seed), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const seededService = "/v2/projects/custom-proj/locations/europe-west1/services/api"

func TestEmulatorCommandServesSeedFile(t *testing.T) {
	t.Parallel()
	host, _, _ := startEmulatorCommand(t, "--listen", "127.0.0.1:0", "--quiet", "--seed", writeSeed(t))
	base := "http://" + host

	code, body := emulatorGet(t, base+seededService, "t")
	if code != 200 || body["name"] != "projects/custom-proj/locations/europe-west1/services/api" {
		t.Fatalf("seeded service: HTTP %d %v", code, body)
	}
	if uri, _ := body["uri"].(string); !strings.Contains(uri, "://api-") {
		t.Errorf("seeded service uri = %q, want the URL of service api", uri)
	}
	code, body = emulatorGet(t, base+"/v1/projects/custom-proj", "t")
	if code != 200 || body["projectNumber"] != "987654321098" {
		t.Fatalf("seeded project: HTTP %d %v", code, body)
	}
	code, body = emulatorGet(t, base+"/v1/projects/custom-proj/serviceAccounts/runner-sa@custom-proj.iam.gserviceaccount.com", "t")
	if code != 200 || body["email"] != "runner-sa@custom-proj.iam.gserviceaccount.com" {
		t.Fatalf("seeded service account: HTTP %d %v", code, body)
	}
	if code, body := emulatorGet(t, base+"/v2/projects/demo-project/locations/us-central1/services/hello", "t"); code == 200 {
		t.Fatalf("the default seed is served too: %v", body)
	}
}

func TestEmulatorCommandMethodErrorRate(t *testing.T) {
	t.Parallel()
	getPolicy := seededService + ":getIamPolicy"
	list := "/v2/projects/custom-proj/locations/europe-west1/services"
	tests := []struct {
		name     string
		flags    []string
		failing  map[string]int // path → HTTP code it must fail with
		succeeds []string
	}{
		{"one method, one code",
			[]string{"--method-error-rate", "run.services.getIamPolicy=1", "--error-codes", "503"},
			map[string]int{getPolicy: 503},
			[]string{seededService, list, "/v1/projects/custom-proj"}},
		{"method suffix, repeated flag",
			[]string{"--method-error-rate", "*.getIamPolicy=1", "--method-error-rate", "run.services.list=1", "--error-codes", "429"},
			map[string]int{getPolicy: 429, list: 429},
			[]string{seededService, "/v1/projects/custom-proj"}},
		{"a method rate overrides --error-rate",
			[]string{"--error-rate", "1", "--method-error-rate", "run.services.get=0", "--error-codes", "500"},
			map[string]int{getPolicy: 500, list: 500},
			[]string{seededService}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"--listen", "127.0.0.1:0", "--quiet", "--seed", writeSeed(t)}, tc.flags...)
			host, _, _ := startEmulatorCommand(t, args...)
			for path, want := range tc.failing {
				code, body := emulatorGet(t, "http://"+host+path, "t")
				apiErr, _ := body["error"].(map[string]any)
				if msg, _ := apiErr["message"].(string); code != want || !strings.Contains(msg, "injected") {
					t.Errorf("GET %s: HTTP %d %v, want an injected %d", path, code, body, want)
				}
			}
			for _, path := range tc.succeeds {
				if code, body := emulatorGet(t, "http://"+host+path, "t"); code != 200 {
					t.Errorf("GET %s: HTTP %d %v, want 200", path, code, body)
				}
			}
		})
	}
}
