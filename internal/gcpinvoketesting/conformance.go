package gcpinvoketesting

import (
	"net/http"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/discovery"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// Conformance wraps the emulator's handler with the discovery-document
// recorder: every request sent to it (by the provider, the CLI or the test)
// and every response it returns is checked against Google's discovery
// documents (internal/discovery). When the test ends, each problem — a route
// no document has, an unknown field, a wrong JSON type or format, a value
// outside an enum, a malformed error envelope, a query parameter the
// emulator reads that the method does not have — fails the test with the
// method ID, the direction and the JSON path.
func Conformance(t testing.TB, e *emulator.Emulator) http.Handler {
	t.Helper()
	rec, err := discovery.NewRecorder(e)
	if err != nil {
		t.Fatalf("loading discovery documents: %v", err)
	}
	t.Cleanup(func() {
		for _, p := range rec.SortedProblems() {
			t.Errorf("discovery conformance: %s", p)
		}
		for _, r := range e.Routes() {
			if len(r.QueryRead) == 0 {
				continue
			}
			_, ps := rec.Registry().MatchRoute(r.HTTPMethod, r.Path, r.QueryRead)
			for _, p := range ps {
				t.Errorf("discovery conformance: emulator route %s %s (%s): %s", r.HTTPMethod, r.Path, r.Name, p)
			}
		}
	})
	return rec
}
