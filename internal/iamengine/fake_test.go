package iamengine

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/api/googleapi"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// fakeTarget is an in-memory IAM policy that behaves like Google's:
// conditional writes on the etag (409 ABORTED when stale), a fresh etag on
// every write. Hooks inject faults. Safe for concurrent use.
type fakeTarget struct {
	key string

	mu     sync.Mutex
	policy *iampolicy.Policy
	etagN  int
	gets   int
	sets   int

	// beforeGet runs (without mu) before each GetPolicy, with its 1-based number.
	beforeGet func(ctx context.Context, n int) error
	// beforeSet runs (without mu) before each SetPolicy, with its 1-based
	// number and the policy sent; a non-nil error is returned as the answer.
	beforeSet func(ctx context.Context, n int, p *iampolicy.Policy) error
}

func newFake(bindings ...iampolicy.Binding) *fakeTarget {
	return &fakeTarget{key: "fake/policy", policy: &iampolicy.Policy{Version: 1, Etag: "etag-0", Bindings: bindings}}
}

func (f *fakeTarget) Key() string    { return f.key }
func (f *fakeTarget) String() string { return "fake resource " + f.key }

func (f *fakeTarget) GetPolicy(ctx context.Context) (*iampolicy.Policy, error) {
	f.mu.Lock()
	f.gets++
	n := f.gets
	f.mu.Unlock()
	if f.beforeGet != nil {
		if err := f.beforeGet(ctx, n); err != nil {
			return nil, err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.policy.Clone(), nil
}

func (f *fakeTarget) SetPolicy(ctx context.Context, p *iampolicy.Policy) (*iampolicy.Policy, error) {
	f.mu.Lock()
	f.sets++
	n := f.sets
	f.mu.Unlock()
	if f.beforeSet != nil {
		if err := f.beforeSet(ctx, n, p); err != nil {
			return nil, err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if p.Etag != "" && p.Etag != f.policy.Etag {
		return nil, googleErr(409, "ABORTED", "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.")
	}
	f.writeLocked(p)
	return f.policy.Clone(), nil
}

func (f *fakeTarget) writeLocked(p *iampolicy.Policy) {
	f.etagN++
	f.policy = p.Clone()
	f.policy.Etag = fmt.Sprintf("etag-%d", f.etagN)
}

// foreignWrite is another writer (another process) changing the policy.
func (f *fakeTarget) foreignWrite(m iampolicy.Mutation) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.policy.Clone()
	m.Apply(p)
	f.writeLocked(p)
}

func (f *fakeTarget) counts() (gets, sets int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gets, f.sets
}

func (f *fakeTarget) stored() *iampolicy.Policy {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.policy.Clone()
}

// googleErr builds the error the Go client returns for a Google error reply.
func googleErr(code int, status, message string) error {
	body := fmt.Sprintf(`{"error":{"code":%d,"message":%q,"status":%q}}`, code, message, status)
	return googleapi.CheckResponse(&http.Response{
		StatusCode: code,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(body)),
	})
}

func saMissing(email string) error {
	return googleErr(400, "INVALID_ARGUMENT", "Service account "+email+" does not exist.")
}

// testEngine returns an engine whose backoff sleeps are recorded and
// instant (unless the context is already done).
func testEngine(t *testing.T, opts Options) (*Engine, *sleepLog) {
	t.Helper()
	sl := &sleepLog{}
	if opts.Sleep == nil {
		opts.Sleep = sl.sleep
	}
	if opts.GroupWindow == 0 {
		opts.GroupWindow = -1
	}
	if opts.MinBackoff == 0 {
		opts.MinBackoff = 100 * time.Millisecond // recorded, never really slept
		opts.MaxBackoff = 800 * time.Millisecond
	}
	return New(opts), sl
}

type sleepLog struct {
	mu     sync.Mutex
	sleeps []time.Duration
	// after, if set, runs after each recorded sleep with its 1-based number.
	after func(n int)
}

func (s *sleepLog) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.sleeps = append(s.sleeps, d)
	n, after := len(s.sleeps), s.after
	s.mu.Unlock()
	if after != nil {
		after(n)
	}
	return ctx.Err()
}

func (s *sleepLog) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sleeps)
}

func (s *sleepLog) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.sleeps...)
}

// gateClock is the group window's clock in tests: time stands still until
// the writer pauses, and a pause returns only once the test opens the gate
// (then the fake time moves by the pause). So a batch contains exactly the
// requests queued before open, however slow the machine is.
type gateClock struct {
	mu   sync.Mutex
	now  time.Time
	gate chan struct{}
}

func newGateClock() *gateClock {
	return &gateClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), gate: make(chan struct{})}
}

func (c *gateClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *gateClock) pause(d time.Duration) {
	<-c.gate
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *gateClock) open() { close(c.gate) }

// batchEngine returns an engine whose first write carries exactly the
// Apply calls started with run before open is called: it counts queued
// requests and holds the group window on a gateClock.
type batchEngine struct {
	*Engine
	sl     *sleepLog
	clock  *gateClock
	queued chan struct{}
}

func newBatchEngine(t *testing.T, opts Options) *batchEngine {
	t.Helper()
	clock := newGateClock()
	opts.GroupWindow = time.Second
	opts.MaxGroupDelay = time.Hour
	opts.Now = clock.Now
	e, sl := testEngine(t, opts)
	e.pause = clock.pause
	b := &batchEngine{Engine: e, sl: sl, clock: clock, queued: make(chan struct{}, 1000)}
	e.onQueued = func(string) { b.queued <- struct{}{} }
	return b
}

// applyAll starts one Apply per call, waits until all are queued, releases
// the group window and returns each call's result in order.
func (b *batchEngine) applyAll(t *testing.T, target Target, calls ...batchCall) []batchResult {
	t.Helper()
	out := make([]batchResult, len(calls))
	var wg sync.WaitGroup
	for i, c := range calls {
		ctx := ctxTimeout(t, time.Minute)
		if c.caller != "" {
			ctx = WithCaller(ctx, c.caller)
		}
		wg.Go(func() { out[i].policy, out[i].err = b.Apply(ctx, target, c.m) })
	}
	for range calls {
		<-b.queued
	}
	b.clock.open()
	wg.Wait()
	return out
}

type batchCall struct {
	caller string
	m      iampolicy.Mutation
}

type batchResult struct {
	policy *iampolicy.Policy
	err    error
}

// accountLookup is a fake Options.ServiceAccountExists counting its calls.
type accountLookup struct {
	mu     sync.Mutex
	calls  int
	exists bool
	err    error
	emails []string
}

func (a *accountLookup) lookup(_ context.Context, email string) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls++
	a.emails = append(a.emails, email)
	return a.exists, a.err
}

func (a *accountLookup) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls
}
