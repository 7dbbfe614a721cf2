package iamengine

import (
	"context"
	"fmt"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// readFlight is one getIamPolicy shared by every caller that wants the
// policy while it runs. It runs on a context detached from its first caller
// and is cancelled only when every waiting caller has given up, so one
// caller's cancellation never fails the others' read. (This is why the
// engine does not use x/sync/singleflight: it cannot cancel a shared call
// when all its callers are gone.)
type readFlight struct {
	done    chan struct{}
	policy  *iampolicy.Policy
	err     error
	waiters int
	cancel  context.CancelFunc
	gen     uint64
}

// Read returns t's policy. Concurrent Reads of the same Key share one
// GetPolicy, and the result (or our own last write's result) is reused for
// ReadTTL. The caller owns the returned policy.
func (e *Engine) Read(ctx context.Context, t Target) (*iampolicy.Policy, error) {
	p, _, err := e.read(ctx, t)
	return p, err
}

// read is Read that also reports whether the policy came from the cache
// rather than a GetPolicy made for this call or joined by it.
func (e *Engine) read(ctx context.Context, t Target) (p *iampolicy.Policy, cached bool, err error) {
	key := t.Key()
	e.mu.Lock()
	ks := e.state(key)
	if ks.policy != nil && e.opts.Now().Sub(ks.fetched) < e.opts.ReadTTL {
		p := ks.policy.Clone()
		e.mu.Unlock()
		return p, true, nil
	}
	fl := ks.flight
	if fl == nil {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		fl = &readFlight{done: make(chan struct{}), cancel: cancel, gen: ks.gen}
		ks.flight = fl
		go e.fly(fctx, t, ks, fl)
	}
	fl.waiters++
	e.mu.Unlock()
	if e.onReadWait != nil {
		e.onReadWait(key)
	}

	select {
	case <-fl.done:
		if fl.err != nil {
			return nil, false, fmt.Errorf("reading IAM policy of %s: %w", t, &gcperr.CallError{Method: "getIamPolicy", Err: fl.err})
		}
		return fl.policy.Clone(), false, nil
	case <-ctx.Done():
		e.mu.Lock()
		fl.waiters--
		if fl.waiters == 0 {
			fl.cancel()
			if ks.flight == fl {
				ks.flight = nil
			}
		}
		e.mu.Unlock()
		return nil, false, fmt.Errorf("reading IAM policy of %s: %w", t, ctx.Err())
	}
}

// fly performs the shared GetPolicy and caches its result unless a write or
// invalidation happened meanwhile.
func (e *Engine) fly(ctx context.Context, t Target, ks *keyState, fl *readFlight) {
	defer fl.cancel()
	p, err := t.GetPolicy(ctx)
	if err == nil && p == nil {
		p = &iampolicy.Policy{}
	}
	e.mu.Lock()
	if ks.flight == fl {
		ks.flight = nil
	}
	if err == nil && ks.gen == fl.gen && e.opts.ReadTTL > 0 {
		ks.policy = p.Clone()
		ks.fetched = e.opts.Now()
	}
	fl.policy, fl.err = p, err
	e.mu.Unlock()
	close(fl.done)
}
