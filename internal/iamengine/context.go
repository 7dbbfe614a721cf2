package iamengine

import (
	"context"
	"sync/atomic"
)

// mergedContext returns a context for work done on behalf of all of reqs:
// it carries the first request's values, has no deadline of its own, and is
// cancelled once every request's context is done (the longest-lived caller
// decides). release must be called when the work ends.
func mergedContext(reqs []*request) (ctx context.Context, release func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(reqs[0].ctx))
	var remaining atomic.Int64
	remaining.Store(int64(len(reqs)))
	stops := make([]func() bool, 0, len(reqs))
	for _, r := range reqs {
		stops = append(stops, context.AfterFunc(r.ctx, func() {
			if remaining.Add(-1) == 0 {
				cancel()
			}
		}))
	}
	return ctx, func() {
		for _, stop := range stops {
			stop()
		}
		cancel()
	}
}

type callerKey struct{}

// WithCaller returns ctx labelled with the name of the change's owner (for
// example `gcpinvoke_run_service_iam_member "projects/p/locations/l/services/s
// roles/run.invoker user:a@example.com"`). Apply puts the label in a
// ConflictError, so each of two conflicting callers learns who the other is.
func WithCaller(ctx context.Context, label string) context.Context {
	return context.WithValue(ctx, callerKey{}, label)
}

// callerOf returns the label set with WithCaller, or "".
func callerOf(ctx context.Context) string {
	s, _ := ctx.Value(callerKey{}).(string)
	return s
}
