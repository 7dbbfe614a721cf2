package gcpclient

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// IsLocalhostName reports whether host is "localhost" or a name under the
// ".localhost" top-level domain, which RFC 6761 reserves for loopback.
func IsLocalhostName(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	return h == "localhost" || strings.HasSuffix(h, ".localhost")
}

// loopbackDialer dials *.localhost names at 127.0.0.1 (the system resolver
// does not always know them) and everything else as usual.
func loopbackDialer(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, port, err := net.SplitHostPort(addr); err == nil && IsLocalhostName(host) {
			addr = net.JoinHostPort("127.0.0.1", port)
			if network == "tcp6" {
				network = "tcp4"
			}
		}
		return d.DialContext(ctx, network, addr)
	}
}

// proxyExceptLocalhost applies the environment's proxy settings but never
// sends *.localhost traffic to a proxy.
func proxyExceptLocalhost(req *http.Request) (*url.URL, error) {
	if IsLocalhostName(req.URL.Hostname()) {
		return nil, nil
	}
	return http.ProxyFromEnvironment(req)
}

// newBaseTransport returns the transport at the bottom of every chain.
func newBaseTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = proxyExceptLocalhost
	t.DialContext = loopbackDialer(&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second})
	return t
}
