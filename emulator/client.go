package emulator

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"google.golang.org/api/option"
)

// ClientOptions are the options that point a google.golang.org/api client
// at this emulator: its base URL as the endpoint and HTTPClient.
//
//	runSvc, err := run.NewService(ctx, emu.ClientOptions()...)
func (e *Emulator) ClientOptions() []option.ClientOption {
	return []option.ClientOption{option.WithEndpoint(e.BaseURL() + "/"), option.WithHTTPClient(e.HTTPClient())}
}

// HTTPClient is an HTTP client for the emulator and the services it
// emulates. Requests to the base URL's host carry a bearer token (Options.Token,
// or "emulator") unless they set Authorization themselves; names under
// .localhost (the emulated Cloud Run and Cloud Functions URLs, loopback by
// RFC 6761) are dialed at 127.0.0.1, which not every resolver does.
func (e *Emulator) HTTPClient() *http.Client {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, port, err := net.SplitHostPort(addr); err == nil && isLocalhostName(host) {
			addr, network = net.JoinHostPort("127.0.0.1", port), "tcp4"
		}
		return d.DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: &bearerTransport{base: t, emu: e}}
}

type bearerTransport struct {
	base http.RoundTripper
	emu  *Emulator
}

func (b *bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("Authorization") == "" {
		if u, err := url.Parse(b.emu.BaseURL()); err == nil && strings.EqualFold(u.Host, r.URL.Host) {
			tok := b.emu.token
			if tok == "" {
				tok = "emulator"
			}
			r = r.Clone(r.Context())
			r.Header.Set("Authorization", "Bearer "+tok)
		}
	}
	return b.base.RoundTrip(r)
}

func isLocalhostName(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	return h == "localhost" || strings.HasSuffix(h, ".localhost")
}
