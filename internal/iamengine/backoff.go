package iamengine

import (
	"math/rand/v2"
	"time"
)

// backoff returns the wait before retry number failures (1-based):
// MinBackoff doubled per failure, capped at MaxBackoff, with "equal jitter"
// (between half and all of it) so concurrent writers spread out.
func (e *Engine) backoff(failures int) time.Duration {
	d := e.opts.MinBackoff
	for i := 1; i < failures && d < e.opts.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, e.opts.MaxBackoff)
	half := d / 2
	return half + rand.N(d-half+1)
}
