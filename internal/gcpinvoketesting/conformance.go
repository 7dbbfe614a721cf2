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
	return discovery.CheckInTest(t, e, func() []discovery.ServedRoute { return servedRoutes(e) })
}

// servedRoutes lists the emulator's routes for discovery.CheckInTest.
func servedRoutes(e *emulator.Emulator) []discovery.ServedRoute {
	var out []discovery.ServedRoute
	for _, r := range e.Routes() {
		out = append(out, discovery.ServedRoute{HTTPMethod: r.HTTPMethod, Path: r.Path, Name: r.Name, QueryRead: r.QueryRead})
	}
	return out
}
