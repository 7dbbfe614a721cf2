package emulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"
)

// dispatchInProcess serves a call to an emulated host with the emulator's
// own handler: no network. The reason is the gateway's explanation of a
// refusal (X-Emulator-Reason).
func (e *Emulator) dispatchInProcess(ctx context.Context, c outboundCall, u *url.URL, h http.Header) (int, []byte, string) {
	ctx = context.WithValue(ctx, internalCallKey{}, internalSource{Caller: c.Caller, Project: c.sourceProject()})
	req, err := http.NewRequestWithContext(ctx, c.Method, u.String(), bytes.NewReader(c.Body))
	if err != nil {
		return http.StatusBadRequest, []byte(err.Error()), ""
	}
	req.Header = h
	req.Host = u.Host
	req.RequestURI = u.RequestURI()
	req.RemoteAddr = "127.0.0.1:0"
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes(), rec.Header().Get(gatewayReasonHeader)
}

// isLoopbackHost reports whether a host name is a loopback address or
// "localhost" (no DNS lookups: the sandbox allows no other traffic).
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// dispatchLoopback calls a loopback target over the network, refusing to
// dial anything but loopback addresses (redirects are not followed).
func dispatchLoopback(ctx context.Context, c outboundCall, u *url.URL, h http.Header) (int, []byte, error) {
	deadline := c.Deadline
	if deadline <= 0 {
		deadline = 180 * time.Second
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	client := &http.Client{
		Timeout: deadline,
		Transport: &http.Transport{
			Proxy: nil,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				host, _, err := net.SplitHostPort(addr)
				if err != nil || !isLoopbackHost(host) {
					return nil, fmt.Errorf("refusing to dial %s: not a loopback address", addr)
				}
				return dialer.DialContext(ctx, network, addr)
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, c.Method, u.String(), bytes.NewReader(c.Body))
	if err != nil {
		return 0, nil, fmt.Errorf("INVALID_ARGUMENT: %v", err)
	}
	req.Header = h
	resp, err := client.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return 0, nil, fmt.Errorf("DEADLINE_EXCEEDED: the target did not answer within the attempt deadline %s", deadline)
		}
		return 0, nil, fmt.Errorf("UNAVAILABLE: calling %s failed: %v", u.Host, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseKept+1))
	return resp.StatusCode, body, nil
}
