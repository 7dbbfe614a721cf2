package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"golang.org/x/oauth2"
	scheduler "google.golang.org/api/cloudscheduler/v1"
	"google.golang.org/api/option"
	run "google.golang.org/api/run/v2"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// Helpers of the gcpinvoke_scheduler_job tests: API clients pointed at the
// emulator for changes made outside Terraform and for running jobs.

const testAccJobParent = "projects/demo-project/locations/us-central1"

func testAccJobName(id string) string { return testAccJobParent + "/jobs/" + id }

func testAccClientOptions(f *gcpinvoketesting.Fixture) []option.ClientOption {
	return []option.ClientOption{option.WithEndpoint(f.URL + "/"),
		option.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "test"}))}
}

// testAccScheduler is a Cloud Scheduler client on the emulator.
func testAccScheduler(t *testing.T, f *gcpinvoketesting.Fixture) *scheduler.Service {
	t.Helper()
	svc, err := scheduler.NewService(context.Background(), testAccClientOptions(f)...)
	if err != nil {
		t.Fatalf("scheduler client: %v", err)
	}
	return svc
}

// testAccGetJob reads a job as the API stores it.
func testAccGetJob(t *testing.T, f *gcpinvoketesting.Fixture, id string) *scheduler.Job {
	t.Helper()
	job, err := testAccScheduler(t, f).Projects.Locations.Jobs.Get(testAccJobName(id)).Do()
	if err != nil {
		t.Fatalf("get job %s: %v", id, err)
	}
	return job
}

// testAccRunJob forces a job to run now (jobs.run) and returns the attempt
// the emulator recorded for it.
func testAccRunJob(t *testing.T, f *gcpinvoketesting.Fixture, id string) *emulator.Attempt {
	t.Helper()
	before := len(f.Attempts())
	if _, err := testAccScheduler(t, f).Projects.Locations.Jobs.Run(testAccJobName(id), &scheduler.RunJobRequest{}).Do(); err != nil {
		t.Fatalf("run job %s: %v", id, err)
	}
	attempts := f.Attempts()
	if len(attempts) != before+1 {
		t.Fatalf("running job %s recorded %d attempts, want 1", id, len(attempts)-before)
	}
	return attempts[len(attempts)-1]
}

// testAccRunServiceURI is the uri of the seeded Cloud Run service "hello".
func testAccRunServiceURI(t *testing.T, f *gcpinvoketesting.Fixture) string {
	t.Helper()
	svc, err := run.NewService(context.Background(), testAccClientOptions(f)...)
	if err != nil {
		t.Fatalf("run client: %v", err)
	}
	s, err := svc.Projects.Locations.Services.Get(testAccJobParent + "/services/hello").Do()
	if err != nil {
		t.Fatalf("get service hello: %v", err)
	}
	return s.Uri
}

// testAccJobCheck runs check on the job as the API stores it.
func testAccJobCheck(t *testing.T, f *gcpinvoketesting.Fixture, id string, check func(*scheduler.Job) error) func(*terraform.State) error {
	return func(*terraform.State) error { return check(testAccGetJob(t, f, id)) }
}

// maskRecorder serves an emulator and records the updateMask of every job
// patch, as a user would see it in the request log.
type maskRecorder struct {
	mu    sync.Mutex
	masks []string
}

func (m *maskRecorder) take() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := m.masks
	m.masks = nil
	return out
}

// testAccEmulatorRecordingMasks starts an emulator whose job patches are
// recorded.
func testAccEmulatorRecordingMasks(t *testing.T) (*gcpinvoketesting.Fixture, *maskRecorder) {
	t.Helper()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := &maskRecorder{}
	conform := gcpinvoketesting.Conformance(t, e)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch && strings.Contains(r.URL.Path, "/jobs/") {
			rec.mu.Lock()
			rec.masks = append(rec.masks, r.URL.Query().Get("updateMask"))
			rec.mu.Unlock()
		}
		conform.ServeHTTP(w, r)
	}))
	e.SetBaseURL(srv.URL)
	t.Cleanup(func() { srv.Close(); e.Close() })
	u, _ := url.Parse(srv.URL)
	return &gcpinvoketesting.Fixture{Emulator: e, URL: srv.URL, Host: u.Host}, rec
}

// expectMasks checks the masks recorded since the last check.
func (m *maskRecorder) expect(want ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		got := m.take()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("job patches sent updateMask %q, want %q", got, want)
		}
		return nil
	}
}
