// Package iamengine is the one read-modify-write engine for every IAM-bearing
// Google resource (Cloud Run services, Cloud Functions, service accounts,
// projects, Cloud Tasks queues).
//
// It makes IAM changes cheap and safe under concurrency:
//   - Shared reads: concurrent Reads of one policy cost one getIamPolicy, and
//     the result is cached for ReadTTL (one plan or refresh).
//   - Group commit: Apply calls for one policy that arrive within GroupWindow
//     or while a write is in flight are applied together in one read and one
//     write.
//   - Conditional writes: every write carries the etag it was based on. When
//     another writer got there first (409/412), the engine re-reads and
//     re-applies the pending iampolicy.Mutations, which are intent rather than
//     results, so nothing another writer added is lost.
//   - One wrong change fails alone: when Google refuses a write with 400
//     naming a member or role, only the callers whose change introduced it
//     fail (*RejectedError); the rest of the batch is written by one more
//     write. Two changes in one batch that undo each other on the same role
//     (an Add and an exclusive set leaving the member out, two different
//     exclusive sets) are both failed with a *ConflictError naming the
//     other, never reported written. A Remove leaves out a member another
//     change in the batch grants (a renamed resource keeps its member).
//   - IAM eventual consistency: "Service account X does not exist." is
//     checked once with Options.ServiceAccountExists (iam
//     serviceAccounts.get): an account that does not exist fails its callers
//     at once, naming it; one that exists but is not visible to IAM yet
//     (created moments ago) is waited for.
//
// # Retries: one policy, one bound per kind of failure
//
// Transient failures (HTTP 429, 500, 502, 503, 504, connection errors, and
// 409 ABORTED answered to a read such as getIamPolicy) are retried by the
// HTTP transport alone (internal/gcpclient: at most 8 attempts, full-jitter
// backoff 0.5s..30s, honouring Retry-After, within the provider's
// request_timeout). The engine never retries them again: when the transport
// gives up, Apply fails with that error, so a storm of 503s costs at most 8
// requests per call, not 8 per engine retry.
//
// The engine retries only what needs the read-modify-write redone or IAM to
// catch up, and the transport cannot see: a stale etag (re-read, re-apply)
// and an existing service account not yet visible to IAM (same write). Those
// retries back off exponentially with jitter (MinBackoff..MaxBackoff) until
// the caller's context ends (the resource's timeout; DefaultTimeout when the
// context has no deadline).
//
// Targets are built by the adapters in this package (NewRunServiceTarget,
// NewFunctionV1Target, NewServiceAccountTarget, NewProjectTarget,
// NewTasksQueueTarget); tests can implement Target directly.
package iamengine

import (
	"context"
	"sync"
	"time"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// Target is one resource whose IAM policy the engine manages.
type Target interface {
	// Key identifies the policy: two Targets with the same Key share reads,
	// cache and writes.
	Key() string
	// String names the resource for error messages.
	String() string
	// GetPolicy reads the policy, requesting version 3 (conditions).
	GetPolicy(ctx context.Context) (*iampolicy.Policy, error)
	// SetPolicy writes p conditionally on p.Etag and returns the stored
	// policy with its new etag.
	SetPolicy(ctx context.Context, p *iampolicy.Policy) (*iampolicy.Policy, error)
}

// Options tune an Engine. Zero values take the documented defaults.
type Options struct {
	// GroupWindow is the quiet period a write waits for: it goes out once
	// no Apply for the policy has arrived for GroupWindow (and at the latest
	// MaxGroupDelay after the batch started gathering). Default 100ms:
	// Terraform hands the provider one create every ~40ms, so a shorter
	// quiet period splits one -parallelism wave into several writes;
	// negative disables the wait (writes still group while one is in flight).
	GroupWindow time.Duration
	// MaxGroupDelay caps how long a batch gathers. Default 2s.
	MaxGroupDelay time.Duration
	// MinBackoff and MaxBackoff bound the exponential backoff between retries
	// of a write refused for a stale etag or for a service account IAM cannot
	// see yet. Defaults 250ms and 8s. (Transient HTTP failures are retried
	// by the transport, never here.)
	MinBackoff, MaxBackoff time.Duration
	// ReadTTL is how long a read (or our own write's result) is reused.
	// Default 10s; negative disables caching (reads are still coalesced).
	ReadTTL time.Duration
	// DefaultTimeout bounds an Apply whose context has no deadline, so a
	// policy that never stops conflicting cannot hang a run. Default 5m.
	DefaultTimeout time.Duration
	// ServiceAccountExists looks a service account up by email (iam
	// serviceAccounts.get on projects/PROJECT/serviceAccounts/EMAIL) and
	// reports whether it exists; an error means "cannot tell" (for example
	// 403). It is asked once per account when setIamPolicy answers "Service
	// account X does not exist.": a missing account fails the changes naming
	// it at once, an existing one is waited for. Nil: every such answer is
	// treated as propagation delay and waited for.
	ServiceAccountExists func(ctx context.Context, email string) (bool, error)
	// Now is the clock for cache freshness and the group window. Default
	// time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx is done (returning ctx.Err()). It is used
	// for backoff. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Default option values.
const (
	DefaultGroupWindow   = 100 * time.Millisecond
	DefaultMaxGroupDelay = 2 * time.Second
	DefaultMinBackoff    = 250 * time.Millisecond
	DefaultMaxBackoff    = 8 * time.Second
	DefaultReadTTL       = 10 * time.Second
	DefaultApplyTimeout  = 5 * time.Minute
)

// Engine coordinates reads and writes of IAM policies. It is safe for
// concurrent use; one Engine should serve the whole provider process.
type Engine struct {
	opts Options

	mu   sync.Mutex
	keys map[string]*keyState

	// Test hooks, called without e.mu held.
	onQueued   func(key string) // an Apply request was queued
	onReadWait func(key string) // a Read joined or started a flight

	// pause waits d of the group window (settle). Default time.Sleep;
	// tests replace it with a fake clock's.
	pause func(d time.Duration)
}

// keyState is everything the engine knows about one policy. Guarded by e.mu.
type keyState struct {
	key string

	// Cache: policy read or written at fetched; gen changes on every write
	// and invalidation, so a read that started earlier is not cached.
	policy  *iampolicy.Policy
	fetched time.Time
	gen     uint64
	flight  *readFlight

	// Writes: requests waiting for the writer, and whether it runs.
	pending     []*request
	writing     bool
	lastArrival time.Time // when the newest request was queued
}

// New returns an Engine with opts, defaults filled in.
func New(opts Options) *Engine {
	if opts.GroupWindow == 0 {
		opts.GroupWindow = DefaultGroupWindow
	}
	if opts.MaxGroupDelay == 0 {
		opts.MaxGroupDelay = DefaultMaxGroupDelay
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = DefaultMinBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = opts.MinBackoff
	}
	if opts.ReadTTL == 0 {
		opts.ReadTTL = DefaultReadTTL
	}
	if opts.DefaultTimeout <= 0 {
		opts.DefaultTimeout = DefaultApplyTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleepCtx
	}
	return &Engine{opts: opts, keys: map[string]*keyState{}, pause: time.Sleep}
}

// Invalidate drops the cached policy for key, so the next Read or Apply
// reads it again. A read already in flight is not cached when it returns.
func (e *Engine) Invalidate(key string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.invalidateLocked(e.state(key))
}

func (e *Engine) invalidateLocked(ks *keyState) {
	ks.gen++
	ks.policy = nil
	ks.flight = nil
}

// state returns the keyState for key, creating it. Caller holds e.mu.
func (e *Engine) state(key string) *keyState {
	ks := e.keys[key]
	if ks == nil {
		ks = &keyState{key: key}
		e.keys[key] = ks
	}
	return ks
}

// storeWritten caches the policy our own write stored.
func (e *Engine) storeWritten(ks *keyState, stored *iampolicy.Policy) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.invalidateLocked(ks)
	if stored != nil && e.opts.ReadTTL > 0 {
		ks.policy = stored.Clone()
		ks.fetched = e.opts.Now()
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
