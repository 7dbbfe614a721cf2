package emulator

import (
	"net/http"
	"net/http/httptest"
	"testing"

	tasks "google.golang.org/api/cloudtasks/v2"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/discovery"
)

// conform wraps the emulator with the discovery-document recorder for the
// emulator's own tests (gcpinvoketesting.Conformance does the same for
// every other package; it cannot be imported here).
func conform(t *testing.T, e *Emulator) http.Handler {
	t.Helper()
	return discovery.CheckInTest(t, e, func() []discovery.ServedRoute {
		var out []discovery.ServedRoute
		for _, r := range e.Routes() {
			out = append(out, discovery.ServedRoute{HTTPMethod: r.HTTPMethod, Path: r.Path, Name: r.Name, QueryRead: r.QueryRead})
		}
		return out
	})
}

// TestRoutesAreDiscoveryMethods: every route the emulator serves is a
// method of one of Google's discovery documents, with its HTTP verb and
// path shape; the only routes outside the documents are the explicit
// exemptions (OpenID discovery and JWKS).
func TestRoutesAreDiscoveryMethods(t *testing.T) {
	reg, err := discovery.Default()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	routes := e.Routes()
	if len(routes) < 50 {
		t.Fatalf("Routes() lists %d routes; the emulator serves more than 50", len(routes))
	}
	seen := map[string]string{}
	for _, r := range routes {
		if r.Public {
			req := httptest.NewRequest(r.HTTPMethod, r.Path, nil)
			if discovery.Exempt(req) == "" {
				t.Errorf("public route %s %s (%s) is neither a document method nor exempt", r.HTTPMethod, r.Path, r.Name)
			}
			continue
		}
		ms, problems := reg.MatchRoute(r.HTTPMethod, r.Path, r.QueryRead)
		for _, p := range problems {
			t.Errorf("route %s %s (%s): %s", r.HTTPMethod, r.Path, r.Name, p)
		}
		for _, m := range ms {
			if prev, dup := seen[m.Key()]; dup {
				t.Errorf("routes %s and %s both serve %s", prev, r.Name, m.Key())
			}
			seen[m.Key()] = r.Name
		}
	}
}

// TestConformanceQueueMaintenance exercises the Cloud Tasks routes no other
// test reaches (purge, task delete, testIamPermissions), so their answers
// are held to the discovery document by the recorder too.
func TestConformanceQueueMaintenance(t *testing.T) {
	env := newCallerEnv(t)
	ctx := testContext(t)
	q, err := env.queues.Create(callerParent, &tasks.Queue{Name: callerParent + "/queues/maint"}).Context(ctx).Do()
	wantNoError(t, err, "create queue")
	_, err = env.queues.Pause(q.Name, &tasks.PauseQueueRequest{}).Context(ctx).Do()
	wantNoError(t, err, "pause")
	for _, id := range []string{"t1", "t2", "t3"} {
		_, err = env.queues.Tasks.Create(q.Name, &tasks.CreateTaskRequest{Task: &tasks.Task{Name: q.Name + "/tasks/" + id,
			HttpRequest: &tasks.HttpRequest{Url: env.helloURL}}}).Context(ctx).Do()
		wantNoError(t, err, "create task "+id)
	}
	_, err = env.queues.Tasks.Delete(q.Name + "/tasks/t1").Context(ctx).Do()
	wantNoError(t, err, "delete task")
	_, err = env.queues.Tasks.Get(q.Name + "/tasks/t1").Context(ctx).Do()
	wantAPIError(t, err, 404, "")
	purged, err := env.queues.Purge(q.Name, &tasks.PurgeQueueRequest{}).Context(ctx).Do()
	wantNoError(t, err, "purge")
	if purged.PurgeTime == "" || purged.Name != q.Name {
		t.Fatalf("purge answered %+v, want the queue with purgeTime", purged)
	}
	list, err := env.queues.Tasks.List(q.Name).Context(ctx).Do()
	wantNoError(t, err, "list")
	if len(list.Tasks) != 0 {
		t.Fatalf("after purge %d tasks remain", len(list.Tasks))
	}
	perms, err := env.queues.TestIamPermissions(q.Name, &tasks.TestIamPermissionsRequest{
		Permissions: []string{"cloudtasks.tasks.create", "cloudtasks.queues.get"}}).Context(ctx).Do()
	wantNoError(t, err, "testIamPermissions")
	if perms == nil {
		t.Fatal("testIamPermissions answered nothing")
	}
}
