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
}

func (s *sleepLog) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.sleeps = append(s.sleeps, d)
	s.mu.Unlock()
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
