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
