package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Rules the emulator enforces, held to cases taken from Google's
// documentation and run against the emulator over plain HTTP (no Go client,
// none of the provider's helpers): a bug in internal/cron or
// internal/gcpnames cannot make these pass.

// rawAPI sends JSON requests to the emulator as any HTTP client would.
type rawAPI struct {
	t    *testing.T
	base string
}

func (c rawAPI) do(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(data, &out); err != nil {
		c.t.Fatalf("%s %s: answer %q is not JSON: %v", method, path, data, err)
	}
	return resp.StatusCode, out
}

func errMessage(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

// TestGoogleDocsCronSchedules: schedules from Cloud Scheduler's "Configure
// cron job schedules" page (https://cloud.google.com/scheduler/docs/configuring/cron-job-schedules):
// its sample schedules and special-character examples are accepted; values
// outside the ranges its table gives, "L" (which the page says Cloud
// Scheduler does not support) and a field count other than five get 400.
func TestGoogleDocsCronSchedules(t *testing.T) {
	te := startEmulator(t, Options{Seed: schedTestSeed()})
	api := rawAPI{t, te.URL()}
	tests := []struct {
		schedule string
		why      string
		accepted bool
	}{
		{"* * * * *", "sample: every minute", true},
		{"45 23 * * 6", "sample: every Saturday at 23:45", true},
		{"0 9 * * 1", "sample: every Monday at 09:00", true},
		{"0 */3 * * *", "sample: every 3 hours", true},
		{"0 0-23/2 * * *", "special characters: 0-23/2 in the hour field, every two hours", true},
		{"0 */2 * * *", "special characters: */2 in the hour field", true},
		{"0 0 1,2,5,6 * *", "special characters: the list 1,2,5,6 in the day of the month", true},
		{"0 0 1 JAN *", "month: JAN to DEC", true},
		{"0 0 1 jan-dec *", "month names in lower case", true},
		{"0 0 * * SUN-SAT", "day of the week: SUN to SAT", true},
		{"0 0 * * 7", "day of the week: 7 for Sunday", true},
		{"59 23 31 12 6", "the top of every range", true},
		{"0 0 1 1 0", "the bottom of every range", true},
		{"60 * * * *", "minute is 0-59", false},
		{"0 24 * * *", "hour is 0-23", false},
		{"0 0 0 * *", "day of the month is 1-31", false},
		{"0 0 32 * *", "day of the month is 1-31", false},
		{"0 0 * 0 *", "month is 1-12", false},
		{"0 0 * 13 *", "month is 1-12", false},
		{"0 0 * * 8", "day of the week is 0-6 or 7", false},
		{"0 0 L * *", "Cloud Scheduler does not support L", false},
		{"* * * *", "five fields", false},
		{"0 * * * * *", "five fields (no seconds)", false},
		{"0 0 * * MON#1", "no # in the format", false},
		{"0 9-5 * * *", "a range is inclusive from the first to the second number", false},
	}
	for i, tt := range tests {
		t.Run(tt.schedule, func(t *testing.T) {
			status, body := api.do("POST", "/v1/projects/demo-project/locations/us-central1/jobs", map[string]any{
				"name":       fmt.Sprintf("projects/demo-project/locations/us-central1/jobs/cron-%d", i),
				"schedule":   tt.schedule,
				"httpTarget": map[string]any{"uri": "https://example.com/hook"},
			})
			if tt.accepted && status != 200 {
				t.Fatalf("%q (%s): HTTP %d %q, want 200", tt.schedule, tt.why, status, errMessage(body))
			}
			if !tt.accepted {
				if status != 400 {
					t.Fatalf("%q (%s): HTTP %d, want 400", tt.schedule, tt.why, status)
				}
				if msg := errMessage(body); !strings.Contains(msg, "Schedule or time zone is invalid") {
					t.Errorf("%q: message %q does not say the schedule is invalid", tt.schedule, msg)
				}
			}
		})
	}
}

// lastAttempt reads the newest execution attempt over the introspection API.
func (c rawAPI) lastAttempt() map[string]any {
	c.t.Helper()
	status, body := c.do("GET", "/_emulator/attempts", nil)
	list, _ := body["attempts"].([]any)
	if status != 200 || len(list) == 0 {
		c.t.Fatalf("GET /_emulator/attempts: HTTP %d, %d attempts", status, len(list))
	}
	a, _ := list[len(list)-1].(map[string]any)
	return a
}

// TestGoogleDocsOAuthTokenHosts: Cloud Scheduler's HTTP-target
// authentication page says an OAuth token "should generally only be used
// when calling Google APIs hosted on *.googleapis.com"; the emulator, like
// Cloud Scheduler, attaches one only to such hosts (any subdomain, any case,
// any port) and never to look-alikes. The job is run over HTTP and the
// attempt says whether a token went out.
func TestGoogleDocsOAuthTokenHosts(t *testing.T) {
	te := startEmulator(t, Options{Seed: schedTestSeed()})
	api := rawAPI{t, te.URL()}
	loop := newExecTarget(t, 200)
	loopHost := strings.TrimPrefix(loop.srv.URL, "http://")
	tests := []struct {
		uri       string
		withToken bool
	}{
		{"https://compute.googleapis.com/compute/v1/projects/demo-project/zones/us-central1-a/instances/vm/start", true},
		{"https://cloudresourcemanager.googleapis.com/v1/projects/demo-project", true},
		{"https://www.googleapis.com/storage/v1/b", true},
		{"https://us-central1-aiplatform.googleapis.com/v1/projects/demo-project/locations/us-central1/endpoints", true},
		{"https://COMPUTE.GOOGLEAPIS.COM/compute/v1/projects", true},
		{"https://compute.googleapis.com:443/compute/v1/projects", true},
		{"https://compute.googleapis.com./compute/v1/projects", true},   // absolute DNS name, same host
		{"https://googleapis.com/compute/v1/projects", false},           // no API is hosted at the bare domain
		{"https://compute_x.googleapis.com/compute/v1/projects", false}, // not a host name
		{"https://evil-googleapis.com/steal", false},
		{"https://googleapis.com.evil.example/steal", false},
		{"https://compute.googleapis.com.localhost/steal", false},
		{"https://hello-abc123-uc.a.run.app/", false},
		{"https://storage.cloud.google.com/bucket/object", false},
		{"http://compute.googleapis.com@" + loopHost + "/userinfo-is-not-the-host", false},
		{"http://" + loopHost + "/compute.googleapis.com/path-is-not-the-host", false},
	}
	for i, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			name := fmt.Sprintf("projects/demo-project/locations/us-central1/jobs/oauth-%d", i)
			status, body := api.do("POST", "/v1/projects/demo-project/locations/us-central1/jobs", map[string]any{
				"name": name, "schedule": "0 * * * *",
				"httpTarget": map[string]any{"uri": tt.uri, "oauthToken": map[string]any{"serviceAccountEmail": schedInvoker}},
			})
			if status != 200 {
				t.Fatalf("create: HTTP %d %q (Google accepts an OAuth job to any URL)", status, errMessage(body))
			}
			if status, body := api.do("POST", "/v1/"+name+":run", map[string]any{}); status != 200 {
				t.Fatalf("run: HTTP %d %q", status, errMessage(body))
			}
			a := api.lastAttempt()
			got := a["tokenType"] == "oauth"
			if got != tt.withToken {
				t.Fatalf("attempt %v: token attached = %v, want %v", a, got, tt.withToken)
			}
		})
	}
}

// TestGoogleDocsRunAudiences: Cloud Run's custom-audiences page says a
// caller must present an ID token whose audience matches the service's
// *.run.app URL, or one of its custom audiences, and that the
// Google-generated URL always remains accepted. A job with each audience
// is run over HTTP; the gateway answers 2xx or 401.
func TestGoogleDocsRunAudiences(t *testing.T) {
	te := startEmulator(t, Options{Seed: schedTestSeed()})
	api := rawAPI{t, te.URL()}
	const svc = "projects/demo-project/locations/us-central1/services/"
	for _, s := range []string{"hello", "aud"} {
		status, body := api.do("POST", "/v2/"+svc+s+":setIamPolicy", map[string]any{"policy": map[string]any{
			"bindings": []any{map[string]any{"role": "roles/run.invoker", "members": []any{"serviceAccount:" + schedInvoker}}}}})
		if status != 200 {
			t.Fatalf("setIamPolicy %s: HTTP %d %q", s, status, errMessage(body))
		}
	}
	urls := func(s string) []string {
		status, body := api.do("GET", "/v2/"+svc+s, nil)
		if status != 200 {
			t.Fatalf("get %s: HTTP %d", s, status)
		}
		var out []string
		for _, u := range body["urls"].([]any) {
			out = append(out, u.(string))
		}
		if len(out) != 2 || body["uri"] != out[0] {
			t.Fatalf("service %s: uri %v, urls %v; want the two Google-generated URLs", s, body["uri"], out)
		}
		return out
	}
	hello, aud := urls("hello"), urls("aud")
	tests := []struct {
		why, service, target, audience string
		accepted                       bool
	}{
		{"the service URL (uri)", "hello", hello[0], hello[0], true},
		{"the deterministic URL (urls[1])", "hello", hello[1], hello[1], true},
		{"the uri, called at the deterministic URL", "hello", hello[1], hello[0], true},
		{"a custom audience of the service", "aud", aud[0], "https://api.example.com", true},
		{"the generated URL stays accepted with custom audiences", "aud", aud[0], aud[0], true},
		{"a custom audience of another service", "hello", hello[0], "https://api.example.com", false},
		{"another service's URL", "hello", hello[0], aud[0], false},
		{"the service name", "hello", hello[0], "hello", false},
		{"the Cloud Run API host", "hello", hello[0], "https://run.googleapis.com", false},
		{"the URL with a path", "hello", hello[0] + "/tasks", hello[0] + "/tasks", false},
	}
	for i, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			name := fmt.Sprintf("projects/demo-project/locations/us-central1/jobs/aud-%d", i)
			status, body := api.do("POST", "/v1/projects/demo-project/locations/us-central1/jobs", map[string]any{
				"name": name, "schedule": "0 * * * *",
				"httpTarget": map[string]any{"uri": tt.target, "oidcToken": map[string]any{
					"serviceAccountEmail": schedInvoker, "audience": tt.audience}},
			})
			if status != 200 {
				t.Fatalf("create: HTTP %d %q", status, errMessage(body))
			}
			if status, body := api.do("POST", "/v1/"+name+":run", map[string]any{}); status != 200 {
				t.Fatalf("run: HTTP %d %q", status, errMessage(body))
			}
			a := api.lastAttempt()
			code, _ := a["statusCode"].(float64)
			if tt.accepted && (code < 200 || code > 299) {
				t.Fatalf("audience %q at %s: attempt %v, want 2xx", tt.audience, tt.target, a)
			}
			if !tt.accepted && code != 401 {
				t.Fatalf("audience %q at %s: attempt %v, want 401", tt.audience, tt.target, a)
			}
		})
	}
}
