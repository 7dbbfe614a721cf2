package iamengine

import (
	"context"
	"fmt"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// request is one Apply call waiting for the writer of its key. Its mutable
// fields are guarded by Engine.mu.
type request struct {
	ctx  context.Context
	m    iampolicy.Mutation
	done chan struct{}

	finished  bool // result delivered: policy/err set, done closed
	abandoned bool // the caller's context ended first; skip it
	policy    *iampolicy.Policy
	err       error
	lastErr   error // last retryable error seen for this request
	// accountExists: lastErr is a missing-account answer for an account
	// that iam serviceAccounts.get found.
	accountExists bool
}

// Apply applies m to t's policy and returns the policy as stored afterwards.
//
// Mutations for one Key that arrive within GroupWindow, or while a write for
// that Key is in flight, are applied together: one read (none if the cached
// policy is fresh; the etag keeps the write safe) and one write. When
// applying them changes nothing, nothing is written. On a concurrent change
// (409/412) the policy is re-read and every pending mutation re-applied, with
// exponential backoff and jitter until ctx ends (DefaultTimeout when ctx has
// no deadline).
//
// Errors a caller can act on, each returned only to the callers concerned
// while the rest of the batch is written:
//   - *RejectedError: Google refused (400) a member or role this caller's
//     mutation introduced; for "Service account X does not exist." the
//     account is looked up once (Options.ServiceAccountExists) and, when it
//     does not exist, AccountMissing is set. An account that exists but IAM
//     cannot see yet is waited for (same backoff) instead.
//   - *ConflictError: another change in the same batch undoes this one on the
//     same role binding (or this one undoes it); neither is written.
//
// A batch that fails with any other error (403, a 400 that names nothing in
// the batch, a transient error the transport stopped retrying) fails every
// caller in it with that error.
//
// Contexts: the shared read and write run on a context detached from any
// single caller (context.WithoutCancel of the first caller's, keeping its
// values) that is cancelled once every caller still waiting on them has given
// up. So one caller's cancellation never fails the others' batch. A caller
// whose ctx ends gets an error at once and its mutation is left out of every
// later attempt; if its write was already on the wire, that write may still
// take effect.
func (e *Engine) Apply(ctx context.Context, t Target, m iampolicy.Mutation) (*iampolicy.Policy, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("IAM change on %s is invalid: %w", t, err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.opts.DefaultTimeout)
		defer cancel()
	}
	key := t.Key()
	r := &request{ctx: ctx, m: m, done: make(chan struct{})}
	e.mu.Lock()
	ks := e.state(key)
	ks.pending = append(ks.pending, r)
	ks.lastArrival = e.opts.Now()
	if !ks.writing {
		ks.writing = true
		go e.writer(t, ks)
	}
	e.mu.Unlock()
	if e.onQueued != nil {
		e.onQueued(key)
	}

	select {
	case <-r.done:
		return r.policy, r.err
	case <-ctx.Done():
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if r.finished {
		return r.policy, r.err
	}
	r.abandoned = true
	for i, p := range ks.pending {
		if p == r {
			ks.pending = append(ks.pending[:i], ks.pending[i+1:]...)
			break
		}
	}
	return nil, waitError(t, r.lastErr, ctx.Err(), r.accountExists)
}

// finish delivers a result to each request still waiting.
func (e *Engine) finish(reqs []*request, p *iampolicy.Policy, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, r := range reqs {
		e.deliverLocked(r, p, err)
	}
}

// deliverLocked hands r its result unless it already has one or its caller
// left. Caller holds e.mu.
func (e *Engine) deliverLocked(r *request, p *iampolicy.Policy, err error) {
	if r.finished || r.abandoned {
		return
	}
	r.finished = true
	if p != nil {
		r.policy = p.Clone()
	}
	r.err = err
	close(r.done)
}

// noteErr records the last retryable error seen by reqs, for the message a
// caller gets if its context ends before a retry succeeds.
func (e *Engine) noteErr(reqs []*request, err error, accountExists bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, r := range reqs {
		r.lastErr = err
		r.accountExists = accountExists
	}
}

// collect moves queued requests into live and drops the ones that are done
// or whose caller's context ended. When nothing is left it marks the key's
// writer as stopped and returns nil.
func (e *Engine) collect(ks *keyState, live []*request) []*request {
	e.mu.Lock()
	defer e.mu.Unlock()
	live = append(live, ks.pending...)
	ks.pending = nil
	out := live[:0]
	for _, r := range live {
		if !r.finished && !r.abandoned && r.ctx.Err() == nil {
			out = append(out, r)
		}
	}
	clear(live[len(out):])
	if len(out) == 0 {
		ks.writing = false
		return nil
	}
	return out
}

// writer is the one goroutine writing ks's policy while requests are queued.
// Each loop is one attempt: take the queued requests, apply the mutations of
// the active ones to the base policy, write, and deliver results.
//
// What it retries (transient HTTP failures are the transport's, see the
// package doc): a write refused because the etag is stale (re-read, re-apply
// the mutations, backoff) and a member naming a service account IAM cannot
// see yet that exists (same write again, backoff). What it attributes: a 400
// naming a member or role fails only the requests that introduced it, and
// the others are written at once on the same base (no backoff, no re-read).
func (e *Engine) writer(t Target, ks *keyState) {
	var (
		live     []*request
		base     *iampolicy.Policy // policy the next write builds on; nil: read it
		verified bool              // base was read from Google just now, not from a cache
		verify   bool              // the next read must bypass the cache
		held     = map[*request]bool{}
		failures int
		accounts = map[string]accountState{} // service accounts looked up by this writer
	)
	backoff := func() {
		failures++
		ctx, release := mergedContext(live)
		defer release()
		_ = e.opts.Sleep(ctx, e.backoff(failures))
	}
	gather := true // the next attempt starts a new batch
	for {
		if gather {
			e.settle(ks)
			gather = false
		}
		if live = e.collect(ks, live); live == nil {
			return
		}
		active := without(live, held)
		if len(active) == 0 {
			clear(held)
			active = live
		}
		ctx, release := mergedContext(active)

		if base == nil {
			if verify {
				e.Invalidate(ks.key)
			}
			verify = false
			p, cached, err := e.read(ctx, t)
			verified = !cached
			if err != nil {
				gaveUp := ctx.Err() != nil
				release()
				if !gaveUp { // else collect drops them; each caller reports its own error
					e.finish(active, nil, err)
				}
				continue
			}
			base = p
		}

		muts := effective(active)
		if cs := conflicts(t, base, active, muts); len(cs) > 0 {
			release()
			e.finishEach(cs)
			continue // the others go out on the same base
		}

		next := base.Clone()
		changed := false
		for _, r := range active {
			if muts[r].Apply(next) {
				changed = true
			}
		}
		if !changed {
			release()
			if !verified {
				// The cache says there is nothing to do; a cached policy
				// may be stale, so confirm against Google before
				// reporting success without a write.
				base, verify = nil, true
				continue
			}
			e.finish(active, base, nil)
			continue
		}

		stored, err := t.SetPolicy(ctx, next)
		gaveUp := ctx.Err() != nil // every caller's context ended meanwhile
		if err == nil {
			release()
			e.storeWritten(ks, stored)
			base, verified = stored.Clone(), false
			failures = 0
			clear(held)
			if stored == nil {
				stored = next
			}
			e.finish(active, stored, nil)
			gather = true
			continue
		}
		if gaveUp {
			release()
			continue // collect drops them; each caller reports its own error
		}
		err = &gcperr.CallError{Method: "setIamPolicy", Err: err}
		if gcperr.IsConcurrentPolicyChange(err) {
			release()
			base, verify = nil, true
			e.noteErr(active, err, false)
			backoff()
			continue
		}
		if account, ok := gcperr.MissingServiceAccount(err); ok {
			email := strings.ToLower(account[strings.LastIndex(account, "/")+1:])
			st, seen := accounts[email]
			if !seen {
				st = e.lookupAccount(ctx, email)
				accounts[email] = st
			}
			release()
			suspects := blameAccount(active, email)
			if st == accountMissing && len(suspects) > 0 {
				// It does not exist: no wait will help. Fail the changes
				// naming it; the others go out now on the same base.
				e.reject(t, suspects, err, true)
				continue
			}
			if st == accountMissing {
				// No change here names it: the stored policy does, and
				// no wait will help either.
				e.finish(active, nil, fmt.Errorf("setting IAM policy on %s: the policy already grants a role to service account %s, "+
					"which does not exist (looked up with iam serviceAccounts.get), so Google refuses every write to it; "+
					"remove that member from the policy: %w", t, email, err))
				continue
			}
			e.noteErr(active, err, st == accountExists)
			if len(suspects) > 0 && len(suspects) < len(active) {
				// Write the others now; the ones naming the account that
				// IAM cannot see yet wait for the next round.
				for _, c := range suspects {
					held[c.r] = true
				}
				continue
			}
			backoff()
			continue
		}
		release()
		if gcperr.IsInvalidArgument(err) {
			if culprits := blame(active, err); len(culprits) > 0 {
				e.reject(t, culprits, err, false)
				continue // the others go out now on the same base
			}
		}
		e.finish(active, nil, fmt.Errorf("setting IAM policy on %s: %w", t, err))
	}
}

// reject fails each culprit's caller with a RejectedError.
func (e *Engine) reject(t Target, culprits []culprit, err error, accountMissing bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, c := range culprits {
		e.deliverLocked(c.r, nil, &RejectedError{
			Target: t.String(), Member: c.member, Role: c.role, AccountMissing: accountMissing, Err: err,
		})
	}
}

// finishEach fails each conflicting caller with its ConflictError.
func (e *Engine) finishEach(cs []conflict) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, c := range cs {
		e.deliverLocked(c.r, nil, c.err)
	}
}

// settle waits until no Apply for ks has arrived for GroupWindow, or
// MaxGroupDelay has passed, on the engine's clock (Options.Now; the waiting
// itself is e.pause). Terraform starts the creates of one apply a few at a
// time as earlier ones finish; waiting for arrivals to go quiet lets one
// write carry a whole wave of them instead of one write per straggler.
func (e *Engine) settle(ks *keyState) {
	w := e.opts.GroupWindow
	if w <= 0 {
		return
	}
	start := e.opts.Now()
	for {
		e.mu.Lock()
		last := ks.lastArrival
		e.mu.Unlock()
		now := e.opts.Now()
		wait := last.Add(w).Sub(now)
		if wait <= 0 {
			return
		}
		rem := e.opts.MaxGroupDelay - now.Sub(start)
		if rem <= 0 {
			return
		}
		e.pause(min(wait, rem))
	}
}

// without returns the requests in live that are not in held.
func without(live []*request, held map[*request]bool) []*request {
	out := make([]*request, 0, len(live))
	for _, r := range live {
		if !held[r] {
			out = append(out, r)
		}
	}
	return out
}
