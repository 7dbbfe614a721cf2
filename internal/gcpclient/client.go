package gcpclient

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	cloudfunctionsv1 "google.golang.org/api/cloudfunctions/v1"
	cloudfunctionsv2 "google.golang.org/api/cloudfunctions/v2"
	"google.golang.org/api/cloudresourcemanager/v1"
	"google.golang.org/api/cloudscheduler/v1"
	"google.golang.org/api/cloudtasks/v2"
	"google.golang.org/api/iam/v1"
	"google.golang.org/api/iamcredentials/v1"
	run "google.golang.org/api/run/v2"
	"google.golang.org/api/workflows/v1"
)

// Client builds authenticated Google API services on first use. It is safe
// for concurrent use; New does no I/O and resolves no credentials.
type Client struct {
	cfg          Config
	emulatorBase string
	mode         string
	base         http.RoundTripper

	// retry is the policy of every authenticated client (tests swap sleep).
	retry retryPolicy

	httpMu     sync.Mutex
	httpClient *http.Client

	run              lazy[*run.Service]
	functionsV1      lazy[*cloudfunctionsv1.Service]
	functionsV2      lazy[*cloudfunctionsv2.Service]
	iam              lazy[*iam.Service]
	resourceManager  lazy[*cloudresourcemanager.Service]
	scheduler        lazy[*cloudscheduler.Service]
	iamCredentials   lazy[*iamcredentials.Service]
	cloudTasks       lazy[*cloudtasks.Service]
	workflows        lazy[*workflows.Service]
	numbers          projectNumbers
	targetClientOnce sync.Once
	targetClient     *http.Client
}

// New validates cfg and returns a client. It performs no network or file
// I/O: credentials are resolved by the first call that needs them.
func New(cfg Config) (*Client, error) {
	norm, emulatorBase, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	return &Client{
		cfg:          norm,
		emulatorBase: emulatorBase,
		mode:         authMode(norm, emulatorBase),
		base:         newBaseTransport(),
		retry:        defaultRetryPolicy(norm.RequestTimeout),
	}, nil
}

// Project returns the configured default project ("" when unset).
func (c *Client) Project() string { return c.cfg.Project }

// Region returns the configured default region ("" when unset).
func (c *Client) Region() string { return c.cfg.Region }

// Endpoints returns the effective endpoints: normalised overrides, the
// emulator base URL where none was given, "" for Google's default.
func (c *Client) Endpoints() Endpoints { return c.cfg.Endpoints }

// EmulatorBaseURL returns "http://HOST:PORT/" when an emulator host is
// configured, else "".
func (c *Client) EmulatorBaseURL() string { return c.emulatorBase }

// RequestTimeout returns the bound of one API call including retries.
func (c *Client) RequestTimeout() time.Duration { return c.cfg.RequestTimeout }

// UserAgent returns the User-Agent sent with every API call.
func (c *Client) UserAgent() string { return c.cfg.UserAgent }

// AuthMode tells which credential source is used (AuthAccessToken,
// AuthEmulator, AuthCredentials or AuthApplicationDefault), without
// resolving it.
func (c *Client) AuthMode() string { return c.mode }

// ImpersonatedServiceAccount returns the service account whose tokens are
// used, or "".
func (c *Client) ImpersonatedServiceAccount() string { return c.cfg.ImpersonateServiceAccount }

// HTTPClient returns the authenticated HTTP client with retries and masked
// logging (retry → logging → OAuth 2.0 → base). The first call resolves the
// credentials; a failure is returned as *CredentialsError and retried by the
// next call.
func (c *Client) HTTPClient(ctx context.Context) (*http.Client, error) {
	c.httpMu.Lock()
	defer c.httpMu.Unlock()
	if c.httpClient != nil {
		return c.httpClient, nil
	}
	// Tokens are refreshed long after this call's context ends.
	credCtx := context.WithValue(context.WithoutCancel(ctx), oauth2.HTTPClient, &http.Client{
		Transport: &loggingTransport{next: c.base, kind: "token"},
		Timeout:   c.cfg.RequestTimeout,
	})
	ts, err := baseTokenSource(credCtx, c.cfg, c.mode)
	if err != nil {
		return nil, err
	}
	if sa := c.cfg.ImpersonateServiceAccount; sa != "" {
		baseClient := c.authenticated(ts)
		ts, err = newImpersonatedSource(credCtx, baseClient, c.cfg.Endpoints.IAMCredentials, c.cfg.UserAgent, sa)
		if err != nil {
			return nil, err
		}
	}
	c.httpClient = c.authenticated(ts)
	return c.httpClient, nil
}

// authenticated chains user agent → retry → logging → OAuth 2.0 (ts) → base transport.
func (c *Client) authenticated(ts oauth2.TokenSource) *http.Client {
	return &http.Client{Transport: &userAgentTransport{
		userAgent: c.cfg.UserAgent,
		next: &retryTransport{
			policy: c.retry,
			next: &loggingTransport{
				kind: "api",
				next: &oauth2.Transport{Source: ts, Base: c.base},
			},
		},
	}}
}

// userAgentTransport puts the product's User-Agent in front of the client
// library's (option.WithUserAgent is ignored with option.WithHTTPClient).
type userAgentTransport struct {
	next      http.RoundTripper
	userAgent string
}

// RoundTrip implements http.RoundTripper.
func (t *userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.userAgent == "" || strings.HasPrefix(req.Header.Get("User-Agent"), t.userAgent) {
		return t.next.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	ua := t.userAgent
	if lib := req.Header.Get("User-Agent"); lib != "" {
		ua += " " + lib
	}
	r.Header.Set("User-Agent", ua)
	return t.next.RoundTrip(r)
}

// TargetHTTPClient returns an unauthenticated client for calling invocation
// targets (Cloud Run services, functions). It dials any *.localhost host at
// 127.0.0.1 (RFC 6761), logs with masked headers, does not retry, and gives
// up after the request timeout. Callers add their own Authorization header.
func (c *Client) TargetHTTPClient() *http.Client {
	c.targetClientOnce.Do(func() {
		c.targetClient = &http.Client{
			Transport: &loggingTransport{next: c.base, kind: "target"},
			Timeout:   c.cfg.RequestTimeout,
		}
	})
	return c.targetClient
}

// lazy memoises a value built on first successful use.
type lazy[T any] struct {
	mu   sync.Mutex
	done bool
	v    T
}

func (l *lazy[T]) get(build func() (T, error)) (T, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return l.v, nil
	}
	v, err := build()
	if err != nil {
		var zero T
		return zero, err
	}
	l.v, l.done = v, true
	return v, nil
}
