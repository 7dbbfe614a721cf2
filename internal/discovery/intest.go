package discovery

import (
	"net/http"
	"testing"
)

// ServedRoute is a route of the server under test and the query parameters
// its handler has read so far (the emulator's Route, without its type).
type ServedRoute struct {
	HTTPMethod, Path, Name string
	QueryRead              []string
}

// CheckInTest wraps h with a Recorder for the test t. When t ends, every
// problem the recorder saw fails t, and so does every query parameter a
// served route read that its discovery method does not have (routes is
// called then, after the routes served the test's requests).
func CheckInTest(t testing.TB, h http.Handler, routes func() []ServedRoute) http.Handler {
	t.Helper()
	rec, err := NewRecorder(h)
	if err != nil {
		t.Fatalf("loading discovery documents: %v", err)
	}
	t.Cleanup(func() {
		for _, p := range rec.SortedProblems() {
			t.Errorf("discovery conformance: %s", p)
		}
		for _, r := range routes() {
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
