package gcpinvoketesting

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// captureTB records what the fixture reports instead of failing the test.
type captureTB struct {
	testing.TB
	errors   []string
	cleanups []func()
}

func (c *captureTB) Helper()                   {}
func (c *captureTB) Cleanup(f func())          { c.cleanups = append(c.cleanups, f) }
func (c *captureTB) Errorf(f string, a ...any) { c.errors = append(c.errors, fmt.Sprintf(f, a...)) }
func (c *captureTB) Fatalf(f string, a ...any) { c.TB.Fatalf(f, a...) }
func (c *captureTB) end() {
	for i := len(c.cleanups) - 1; i >= 0; i-- {
		c.cleanups[i]()
	}
}

// TestStartEmulatorChecksConformance: a request the emulator accepts but
// the discovery document does not allow fails the test that sent it, with
// the method and the problem; conforming traffic does not.
func TestStartEmulatorChecksConformance(t *testing.T) {
	tests := []struct {
		name, path string
		want       string
	}{
		{"conforming", "/v2/projects/demo-project/locations/us-central1/services/hello?alt=json&prettyPrint=false", ""},
		{"unknown query parameter", "/v2/projects/demo-project/locations/us-central1/services/hello?colour=red",
			"discovery conformance: run.projects.locations.services.get@v2 (GET /v2/projects/demo-project/locations/us-central1/services/hello) request query: ?colour: unknown query parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &captureTB{TB: t}
			fx := StartEmulator(tb, emulator.Options{})
			req, _ := http.NewRequest("GET", fx.URL+tt.path, nil)
			req.Header.Set("Authorization", "Bearer test")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("status %d, want 200 (the emulator accepts the request)", resp.StatusCode)
			}
			tb.end()
			got := strings.Join(tb.errors, "\n")
			if tt.want == "" && got != "" {
				t.Errorf("conforming traffic reported: %s", got)
			}
			if tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("reported %q, want %q", got, tt.want)
			}
		})
	}
}
