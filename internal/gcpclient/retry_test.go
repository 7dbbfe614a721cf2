package gcpclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// fakeClock records requested sleeps and advances a fake time.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

// newFakeClock starts at the real now, so real context deadlines compare
// sensibly with fake time.
func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.sleeps = append(f.sleeps, d)
	f.t = f.t.Add(d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeClock) recorded() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// testPolicy is the default policy on a fake clock with maximal jitter.
func testPolicy(clock *fakeClock) retryPolicy {
	p := defaultRetryPolicy(0)
	p.sleep, p.now = clock.sleep, clock.now
	p.rand = func() float64 { return 0.999999 }
	return p
}

// flaky answers the listed statuses in order, then 200 with a JSON body,
// recording each attempt's body.
type flaky struct {
	mu       sync.Mutex
	statuses []int
	headers  map[string]string
	bodies   []string
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	n := len(f.bodies)
	f.bodies = append(f.bodies, string(b))
	f.mu.Unlock()
	if n < len(f.statuses) {
		for k, v := range f.headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(f.statuses[n])
		_, _ = io.WriteString(w, `{"error":{"code":503,"message":"try later"}}`)
		return
	}
	_, _ = io.WriteString(w, `{"ok":true}`)
}

func (f *flaky) attempts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.bodies...)
}

func doPost(t *testing.T, client *http.Client, ctx context.Context, url, body string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return client.Do(req)
}

func TestRetryBurstThenSuccessRewindsBody(t *testing.T) {
	srv := &flaky{statuses: []int{503, 502, 429, 500, 504}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	clock := newFakeClock()
	client := &http.Client{Transport: &retryTransport{next: http.DefaultTransport, policy: testPolicy(clock)}}

	resp, err := doPost(t, client, context.Background(), ts.URL, `{"policy":{"etag":"abc"}}`)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != `{"ok":true}` {
		t.Fatalf("final answer %d %s", resp.StatusCode, body)
	}
	attempts := srv.attempts()
	if len(attempts) != 6 {
		t.Fatalf("attempts = %d, want 6", len(attempts))
	}
	for i, b := range attempts {
		if b != `{"policy":{"etag":"abc"}}` {
			t.Errorf("attempt %d body = %q, want the original body rewound", i+1, b)
		}
	}
	// Full jitter with rand≈1: ceilings 0.5s, 1s, 2s, 4s, 8s.
	want := []time.Duration{500, 1000, 2000, 4000, 8000}
	got := clock.recorded()
	if len(got) != len(want) {
		t.Fatalf("sleeps = %v", got)
	}
	for i := range want {
		if d := want[i]*time.Millisecond - got[i]; d < 0 || d > time.Millisecond {
			t.Errorf("sleep %d = %s, want just under %dms", i, got[i], want[i])
		}
	}
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	srv := &flaky{statuses: []int{429}, headers: map[string]string{"Retry-After": "7"}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	clock := newFakeClock()
	client := &http.Client{Transport: &retryTransport{next: http.DefaultTransport, policy: testPolicy(clock)}}
	resp, err := doPost(t, client, context.Background(), ts.URL, "x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := clock.recorded(); len(got) != 1 || got[0] != 7*time.Second {
		t.Fatalf("sleeps = %v, want [7s] from Retry-After", got)
	}
}

func TestRetryStopsAtContextDeadline(t *testing.T) {
	srv := &flaky{statuses: []int{503, 503, 503}, headers: map[string]string{"Retry-After": "7200"}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	clock := newFakeClock()
	client := &http.Client{Transport: &retryTransport{next: http.DefaultTransport, policy: testPolicy(clock)}}

	// Real deadline an hour away: a two-hour Retry-After does not fit, so the
	// 503 is returned at once without sleeping.
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	resp, err := doPost(t, client, ctx, ts.URL, "x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || len(srv.attempts()) != 1 || len(clock.recorded()) != 0 {
		t.Fatalf("status %d after %d attempts, sleeps %v; want the 503 after 1 attempt, no sleep", resp.StatusCode, len(srv.attempts()), clock.recorded())
	}
}

func TestRetryNeverRetriesDoneContext(t *testing.T) {
	var attempts int
	var mu sync.Mutex
	ctx, cancel := context.WithCancel(context.Background())
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		attempts++
		mu.Unlock()
		cancel() // the caller gives up while the request is in flight
		return nil, syscall.ECONNRESET
	})
	clock := newFakeClock()
	rt := &retryTransport{next: next, policy: testPolicy(clock)}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://x.invalid/", nil)
	_, err := rt.RoundTrip(req)
	if err == nil || attempts != 1 || len(clock.recorded()) != 0 {
		t.Fatalf("err=%v attempts=%d sleeps=%v; want 1 attempt and no retry", err, attempts, clock.recorded())
	}
}

func TestRetryTransportErrorsAndLimits(t *testing.T) {
	tests := []struct {
		name         string
		errs         []error
		status       int
		wantAttempts int
	}{
		{"refused then ok", []error{syscall.ECONNREFUSED, syscall.ECONNRESET}, 200, 3},
		{"bad request not retried", nil, 400, 1},
		{"not found not retried", nil, 404, 1},
		{"non-network error not retried", []error{errors.New("x509: certificate signed by unknown authority")}, 200, 1},
		{"always 503 stops at max attempts", nil, 503, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			attempts := 0
			next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				attempts++
				if attempts <= len(tt.errs) {
					return nil, tt.errs[attempts-1]
				}
				return &http.Response{StatusCode: tt.status, Body: io.NopCloser(strings.NewReader("{}")), Header: http.Header{}, Request: r}, nil
			})
			rt := &retryTransport{next: next, policy: testPolicy(newFakeClock())}
			req, _ := http.NewRequest(http.MethodGet, "http://x.invalid/", nil)
			resp, _ := rt.RoundTrip(req)
			if resp != nil {
				resp.Body.Close()
			}
			if attempts != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", attempts, tt.wantAttempts)
			}
		})
	}
}

// 409 ABORTED is retried when the request only reads (Google asks for a
// retry; nothing was written), never for a write: a 409 to setIamPolicy means
// the etag is stale, and only a new read-modify-write can fix that.
func TestRetryConflictOnlyOnReads(t *testing.T) {
	tests := []struct {
		name, method, path string
		wantAttempts       int
		wantStatus         int
	}{
		{"GET getIamPolicy (Cloud Run v2)", http.MethodGet, "/v2/projects/p/locations/l/services/s:getIamPolicy", 3, 200},
		{"POST getIamPolicy (IAM v1)", http.MethodPost, "/v1/projects/p/serviceAccounts/a@p.iam.gserviceaccount.com:getIamPolicy", 3, 200},
		{"POST testIamPermissions", http.MethodPost, "/v1/projects/p/locations/l/queues/q:testIamPermissions", 3, 200},
		{"POST setIamPolicy", http.MethodPost, "/v2/projects/p/locations/l/services/s:setIamPolicy", 1, 409},
		{"POST create", http.MethodPost, "/v1/projects/p/serviceAccounts", 1, 409},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			attempts := 0
			next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				attempts++
				status, body := 200, `{}`
				if attempts <= 2 {
					status, body = 409, `{"error":{"code":409,"status":"ABORTED","message":"The operation was aborted."}}`
				}
				return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader(body)), Header: http.Header{}, Request: r}, nil
			})
			clock := newFakeClock()
			rt := &retryTransport{next: next, policy: testPolicy(clock)}
			req, _ := http.NewRequest(tt.method, "http://x.invalid"+tt.path, strings.NewReader("{}"))
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if attempts != tt.wantAttempts || resp.StatusCode != tt.wantStatus {
				t.Errorf("attempts = %d, final status %d; want %d attempts ending in %d", attempts, resp.StatusCode, tt.wantAttempts, tt.wantStatus)
			}
			if got := len(clock.recorded()); got != tt.wantAttempts-1 {
				t.Errorf("backed off %d times, want %d", got, tt.wantAttempts-1)
			}
		})
	}
}

func TestRetryRequestTimeoutBoundsRetries(t *testing.T) {
	attempts := 0
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		attempts++
		if _, ok := r.Context().Deadline(); !ok {
			t.Error("attempt has no deadline although RequestTimeout is set")
		}
		h := http.Header{}
		h.Set("Retry-After", "1000")
		return &http.Response{StatusCode: 503, Body: io.NopCloser(strings.NewReader("{}")), Header: h, Request: r}, nil
	})
	p := defaultRetryPolicy(time.Hour)
	// The one-hour budget is consumed on the fake clock by three sleeps of
	// 1000s (Retry-After); a fourth would end after it. Real time plays no
	// part, so a busy machine does not change the count.
	clock := newFakeClock()
	p.sleep, p.now = clock.sleep, clock.now
	rt := &retryTransport{next: next, policy: p}
	req, _ := http.NewRequest(http.MethodGet, "http://x.invalid/", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || attempts != 4 || len(clock.recorded()) != 3 {
		t.Fatalf("status %d after %d attempts and sleeps %v; want the 503 after 4 attempts and 3 sleeps within the budget", resp.StatusCode, attempts, clock.recorded())
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		resp := &http.Response{Header: http.Header{}}
		if tt.header != "" {
			resp.Header.Set("Retry-After", tt.header)
		}
		got, ok := retryAfter(resp, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %s, %v; want %s, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
