package emulator

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
)

// testEmulator is an emulator served by httptest for one test.
type testEmulator struct {
	*Emulator
	srv *httptest.Server
}

// startEmulator serves a new emulator on a local port until the test ends.
// The base URL is set, so service URLs carry the test server's port.
func startEmulator(t *testing.T, opts Options) *testEmulator {
	t.Helper()
	e, err := New(opts)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	srv := httptest.NewServer(conform(t, e))
	e.SetBaseURL(srv.URL)
	t.Cleanup(func() {
		srv.Close()
		e.Close()
	})
	return &testEmulator{Emulator: e, srv: srv}
}

// URL is the emulator's base URL ("http://127.0.0.1:PORT").
func (te *testEmulator) URL() string { return te.srv.URL }

// clientOptions point an official Go client at the emulator with a static
// bearer token, as the provider does.
func (te *testEmulator) clientOptions() []option.ClientOption {
	return []option.ClientOption{
		option.WithEndpoint(te.srv.URL + "/"),
		option.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "test"})),
	}
}

// unauthenticatedOptions point a client at the emulator without any
// Authorization header.
func (te *testEmulator) unauthenticatedOptions() []option.ClientOption {
	return []option.ClientOption{
		option.WithEndpoint(te.srv.URL + "/"),
		option.WithoutAuthentication(),
	}
}

// testContext is a context bounded by a deadline well below the test
// timeout, so a hung call fails the test instead of the whole run.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// wantAPIError asserts err is a *googleapi.Error with the HTTP code and,
// when msg is not empty, a message containing msg.
func wantAPIError(t *testing.T, err error, code int, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want HTTP %d %q", code, msg)
	}
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		t.Fatalf("got %T %v, want *googleapi.Error", err, err)
	}
	if ge.Code != code {
		t.Fatalf("got HTTP %d (%s), want %d", ge.Code, ge.Message, code)
	}
	if msg != "" && !strings.Contains(ge.Message, msg) {
		t.Fatalf("got message %q, want it to contain %q", ge.Message, msg)
	}
}

// wantNoError fails the test on err.
func wantNoError(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// manualClock is an emulator clock that moves only when told to, so tests
// of long-running operations and propagation delays are deterministic.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func newManualClock() *manualClock {
	return &manualClock{now: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
}

// Now is the clock's time; pass it as Options.Now.
func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *manualClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// Advance moves the clock forward.
func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
