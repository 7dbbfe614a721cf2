package gcpclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// retryPolicy says how often and how long the retry transport retries.
type retryPolicy struct {
	maxAttempts int
	initial     time.Duration
	max         time.Duration
	// timeout bounds one logical request including every retry (0 = none).
	timeout time.Duration
	// sleep waits d or until ctx is done; rand returns a value in [0, 1);
	// now is the clock. All three are injectable for tests.
	sleep func(ctx context.Context, d time.Duration) error
	rand  func() float64
	now   func() time.Time
}

// defaultRetryPolicy retries up to 8 attempts with 0.5s…30s full-jitter
// backoff.
func defaultRetryPolicy(timeout time.Duration) retryPolicy {
	return retryPolicy{
		maxAttempts: 8,
		initial:     500 * time.Millisecond,
		max:         30 * time.Second,
		timeout:     timeout,
		sleep:       sleepCtx,
		rand:        rand.Float64,
		now:         time.Now,
	}
}

// sleepCtx waits d, or returns ctx.Err() as soon as ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// retryTransport is the one place transient failures are retried (the IAM
// engine and LRO polling never retry them again): 429, 500, 502, 503, 504,
// connection failures, and 409 ABORTED answered to a read, with exponential
// backoff and full jitter, honouring Retry-After, at most maxAttempts
// attempts within the request's context deadline and the policy's timeout
// (the provider's request_timeout).
type retryTransport struct {
	next   http.RoundTripper
	policy retryPolicy
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if t.policy.timeout <= 0 {
		return t.do(ctx, req, time.Time{})
	}
	// The budget is kept twice: as a context deadline for the network, and
	// on the policy's clock for the decision to sleep before another attempt.
	budget := t.policy.now().Add(t.policy.timeout)
	ctx, cancel := context.WithTimeout(ctx, t.policy.timeout)
	resp, err := t.do(ctx, req.WithContext(ctx), budget)
	if resp != nil && resp.Body != nil {
		// The body is read after RoundTrip returns: cancel when it is closed.
		resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	} else {
		cancel()
	}
	return resp, err
}

// do runs the attempts. budget, when not zero, is when the policy's timeout
// ends on the policy's clock: no sleep may end after it.
func (t *retryTransport) do(ctx context.Context, req *http.Request, budget time.Time) (*http.Response, error) {
	p := t.policy
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := req
		if attempt > 1 && req.Body != nil && req.Body != http.NoBody {
			body, err := req.GetBody()
			if err != nil {
				return nil, fmt.Errorf("rewinding request body for retry: %w", err)
			}
			r = req.Clone(ctx)
			r.Body = body
		}
		resp, err := t.next.RoundTrip(r.WithContext(withAttempt(ctx, attempt)))

		reason, retryable := retryReason(ctx, req, resp, err)
		if !retryable || !replayable || attempt >= p.maxAttempts {
			return resp, err
		}
		delay := p.backoff(attempt)
		if ra, ok := retryAfter(resp, p.now()); ok {
			delay = ra
		}
		wake := p.now().Add(delay)
		if deadline, ok := ctx.Deadline(); (ok && wake.After(deadline)) || (!budget.IsZero() && wake.After(budget)) {
			// Not enough time left for another attempt: report what we have.
			return resp, err
		}
		if resp != nil {
			drainAndClose(resp.Body)
		}
		tflog.SubsystemDebug(tflog.NewSubsystem(ctx, LogSubsystem), LogSubsystem, "retrying HTTP request", map[string]any{
			"method":   req.Method,
			"url":      maskURL(req.URL),
			"attempt":  attempt,
			"reason":   reason,
			"delay_ms": delay.Milliseconds(),
		})
		if err := p.sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("%w (gave up retrying after %d attempts; last: %s)", err, attempt, reason)
		}
	}
}

// backoff returns the full-jitter delay before retry number attempt:
// a uniform value in [0, min(max, initial·2^(attempt-1))).
func (p retryPolicy) backoff(attempt int) time.Duration {
	ceiling := p.initial
	for i := 1; i < attempt && ceiling < p.max; i++ {
		ceiling *= 2
	}
	if ceiling > p.max {
		ceiling = p.max
	}
	return time.Duration(p.rand() * float64(ceiling))
}

// retryReason says whether a response or transport error is worth retrying:
// connection failures, HTTP 429, 500, 502, 503, 504, and 409 answered to a
// read. Google answers 409 ABORTED when a request collided with a
// concurrent one and asks for it to be retried; a read (GET, or a POST to
// :getIamPolicy or :testIamPermissions) can simply be sent again. A 409 to
// a write is never retried here: for setIamPolicy it means the etag is
// stale, and only a new read-modify-write (the IAM engine's) can fix it.
func retryReason(ctx context.Context, req *http.Request, resp *http.Response, err error) (string, bool) {
	if ctx.Err() != nil {
		return "", false
	}
	if err != nil {
		if isRetryableNetError(err) {
			return scrub(err.Error()), true
		}
		return "", false
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return resp.Status, true
	case http.StatusConflict:
		if isRead(req) {
			return resp.Status + " on a read", true
		}
	}
	return "", false
}

// isRead reports a request that only reads: GET, or POST to a read-only
// IAM method (some APIs take getIamPolicy as POST).
func isRead(req *http.Request) bool {
	if req.Method == http.MethodGet {
		return true
	}
	p := req.URL.Path
	return strings.HasSuffix(p, ":getIamPolicy") || strings.HasSuffix(p, ":testIamPermissions")
}

// isRetryableNetError reports connection-level failures that a new attempt
// may not hit: refused or reset connections, a server closing an idle
// connection, dial timeouts.
func isRetryableNetError(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var credErr *CredentialsError
	if errors.As(err, &credErr) {
		return false
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return false
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

// retryAfter parses a Retry-After header (seconds or HTTP date).
func retryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

func drainAndClose(body io.ReadCloser) {
	if body == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

// cancelOnClose releases a request's timeout context once its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
