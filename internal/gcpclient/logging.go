package gcpclient

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// LogSubsystem is the tflog subsystem of HTTP request logs
// (TF_LOG_PROVIDER_GCPINVOKE ... shows it as "@module": "gcpinvoke.gcp_http").
const LogSubsystem = "gcp_http"

// maxLoggedBody bounds how much of a body is logged at TRACE.
const maxLoggedBody = 16 << 10

// loggingTransport logs every HTTP exchange: method, URL, status and latency
// at DEBUG; masked headers and bodies at TRACE.
type loggingTransport struct {
	next http.RoundTripper
	// kind tells API calls from invocation-target calls in the log.
	kind string
	now  func() time.Time
}

type attemptKey struct{}

// withAttempt records the retry attempt number for the log line.
func withAttempt(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, attemptKey{}, n)
}

func attemptFrom(ctx context.Context) int {
	if n, ok := ctx.Value(attemptKey{}).(int); ok {
		return n
	}
	return 1
}

// RoundTrip implements http.RoundTripper.
func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := tflog.NewSubsystem(req.Context(), LogSubsystem)
	now := t.now
	if now == nil {
		now = time.Now
	}
	url := maskURL(req.URL)
	base := map[string]any{
		"kind":    t.kind,
		"method":  req.Method,
		"url":     url,
		"attempt": attemptFrom(req.Context()),
	}
	tflog.SubsystemTrace(ctx, LogSubsystem, "sending HTTP request", base, map[string]any{
		"request_headers": maskHeaders(req.Header),
		"request_body":    requestBodyForLog(req),
	})

	start := now()
	resp, err := t.next.RoundTrip(req)
	latency := now().Sub(start)
	if err != nil {
		tflog.SubsystemDebug(ctx, LogSubsystem, "HTTP request failed", base, map[string]any{
			"error":      scrub(err.Error()),
			"latency_ms": latency.Milliseconds(),
		})
		return nil, err
	}
	tflog.SubsystemDebug(ctx, LogSubsystem, "HTTP request", base, map[string]any{
		"status":     resp.StatusCode,
		"latency_ms": latency.Milliseconds(),
	})
	tflog.SubsystemTrace(ctx, LogSubsystem, "received HTTP response", base, map[string]any{
		"status":           resp.StatusCode,
		"response_headers": maskHeaders(resp.Header),
		"response_body":    peekResponseBody(resp),
	})
	return resp, nil
}

// requestBodyForLog reads a copy of the request body through GetBody, so the
// body sent is untouched.
func requestBodyForLog(req *http.Request) string {
	if req.Body == nil || req.Body == http.NoBody {
		return ""
	}
	if req.GetBody == nil {
		return "<body not replayable; not logged>"
	}
	rc, err := req.GetBody()
	if err != nil {
		return "<body unavailable>"
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, maxLoggedBody+1))
	return truncatedBody(b, req.Header.Get("Content-Type"))
}

// peekResponseBody reads up to maxLoggedBody bytes of a textual response
// body for the log and puts them back in front of the rest.
func peekResponseBody(resp *http.Response) string {
	if resp.Body == nil || resp.Body == http.NoBody {
		return ""
	}
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	if ct != "" && !strings.Contains(ct, "json") && !strings.HasPrefix(ct, "text/") && !strings.Contains(ct, "x-www-form-urlencoded") {
		return "<" + ct + " body not logged>"
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxLoggedBody+1))
	resp.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(b), resp.Body), Closer: resp.Body}
	if err != nil {
		return "<body read error>"
	}
	return truncatedBody(b, ct)
}

func truncatedBody(b []byte, contentType string) string {
	if len(b) > maxLoggedBody {
		return maskBody(b[:maxLoggedBody], contentType) + "…(truncated)"
	}
	return maskBody(b, contentType)
}

// replayBody is a response body whose first bytes were already read for the log.
type replayBody struct {
	io.Reader
	io.Closer
}
