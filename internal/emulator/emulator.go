// Package emulator is a local emulator of the Google control-plane APIs the
// provider calls (Cloud Run v2, Cloud Functions v1/v2, IAM, Resource Manager,
// Cloud Scheduler, IAM Credentials, Cloud Tasks, Workflows). It speaks their
// wire format — paths, JSON field names, google.rpc errors, etags,
// long-running operations — and executes what it stores: scheduler jobs mint
// signed OIDC tokens and call emulated Cloud Run services through a gateway
// that checks audience and invoker bindings like Cloud Run does.
//
// One base URL serves every API; point each Go client at it with
// option.WithEndpoint("http://HOST:PORT/").
package emulator

import (
	"fmt"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configure an Emulator. The zero value is a working emulator with
// the default seed.
type Options struct {
	// Token, when set, is the only bearer token accepted; otherwise any
	// non-empty bearer token is.
	Token string
	// Seed declares projects, service accounts, services and functions.
	// Nil means DefaultSeed().
	Seed *Seed
	// StatePath, when set, is loaded at start (if it exists) and rewritten
	// atomically after every mutation.
	StatePath string
	// LRODelay is how long long-running operations take to finish.
	LRODelay time.Duration
	// IAMPropagationDelay is how long a new service account stays unknown to
	// setIamPolicy ("Service account … does not exist."), as in real IAM.
	IAMPropagationDelay time.Duration
	// Faults injects latency, errors and concurrent policy writers.
	Faults Faults
	// ExecuteSchedules fires scheduler jobs on their cron schedule.
	ExecuteSchedules bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger, when set, gets one line per request.
	Logger *log.Logger
	// NonexistentPrincipals adds to the seed's nonexistentPrincipals:
	// principals setIamPolicy refuses as unknown (principals.go).
	NonexistentPrincipals []string
}

// Emulator is an http.Handler serving every emulated API.
type Emulator struct {
	opts   Options
	router router

	mu    sync.Mutex // guards state and everything reached from it
	state *State

	baseMu  sync.RWMutex
	baseURL string

	faults *faultInjector

	callsMu sync.Mutex
	calls   map[string]int

	creds *credentials // OIDC key and minted access tokens (credentials.go)

	missing map[string]bool // principals that do not exist (principals.go)

	closeOnce sync.Once
	closers   []func()
	done      chan struct{}
}

// New builds an emulator. It does not listen: serve it with http.Server or
// httptest.NewServer, then call SetBaseURL with the URL it is reachable at.
func New(opts Options) (*Emulator, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	e := &Emulator{
		opts:    opts,
		calls:   map[string]int{},
		baseURL: "http://127.0.0.1:8787",
		done:    make(chan struct{}),
	}
	e.faults = newFaultInjector(opts.Faults)
	decls := append([]string(nil), opts.NonexistentPrincipals...)
	if opts.Seed != nil {
		decls = append(decls, opts.Seed.NonexistentPrincipals...)
	}
	missing, err := nonexistentSet(decls)
	if err != nil {
		return nil, err
	}
	e.missing = missing
	st, err := e.loadOrSeed()
	if err != nil {
		return nil, err
	}
	e.state = st
	for _, reg := range apiRegistrars {
		reg(e)
	}
	e.registerIntrospection()
	return e, nil
}

// SetBaseURL tells the emulator the URL it is reachable at (scheme, host and
// port). Service URLs and the OIDC issuer derive from it.
func (e *Emulator) SetBaseURL(u string) {
	e.baseMu.Lock()
	defer e.baseMu.Unlock()
	e.baseURL = strings.TrimRight(u, "/")
}

// BaseURL is the URL set by SetBaseURL.
func (e *Emulator) BaseURL() string {
	e.baseMu.RLock()
	defer e.baseMu.RUnlock()
	return e.baseURL
}

// Port is the port of the base URL ("8787"), used to build emulated host
// names such as http://svc-hash-uc.a.run.localhost:PORT.
func (e *Emulator) Port() string {
	u := e.BaseURL()
	if i := strings.LastIndex(u, ":"); i > strings.Index(u, "://") {
		return u[i+1:]
	}
	return "80"
}

// Close stops background work (schedule execution). It is safe to call twice.
func (e *Emulator) Close() {
	e.closeOnce.Do(func() {
		close(e.done)
		for _, c := range e.closers {
			c()
		}
	})
}

// now is the emulator's clock.
func (e *Emulator) now() time.Time { return e.opts.Now() }

// read runs f with the state locked for reading.
func (e *Emulator) read(f func(st *State) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return f(e.state)
}

// mutate runs f with the state locked and, if f succeeds, persists the state.
func (e *Emulator) mutate(f func(st *State) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := f(e.state); err != nil {
		return err
	}
	return e.persistLocked()
}

// ServeHTTP routes a request: introspection, emulated hosts (by Host
// header), then the Google APIs (by path).
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: 200}
	e.serve(sw, r)
	if e.opts.Logger != nil {
		e.opts.Logger.Printf("%s %s%s %d %s", r.Method, hostPrefix(r), r.URL.Path, sw.status, time.Since(start).Round(time.Microsecond))
	}
}

func hostPrefix(r *http.Request) string {
	if isEmulatedHostName(r.Host) {
		return "//" + r.Host
	}
	return ""
}

// isEmulatedHostName reports whether host is one of the emulated public
// hosts (*.localhost, *.googleapis.com) rather than the emulator itself.
func isEmulatedHostName(host string) bool {
	h := strings.ToLower(host)
	if i := strings.LastIndex(h, ":"); i >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	return strings.HasSuffix(h, ".localhost") || strings.HasSuffix(h, ".googleapis.com") || h == "googleapis.com"
}

func (e *Emulator) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_emulator/") {
		e.serveIntrospection(w, r)
		return
	}
	if isEmulatedHostName(r.Host) {
		for _, hh := range hostHandlers {
			if h, ok := hh(e, r.Host); ok {
				h.ServeHTTP(w, r)
				return
			}
		}
		if strings.HasSuffix(strings.Split(strings.ToLower(r.Host), ":")[0], ".localhost") {
			http.Error(w, fmt.Sprintf("Error: Page not found\nThe requested URL was not found on this server (no emulated service answers at %s).", r.Host), http.StatusNotFound)
			return
		}
	}
	rt, params := e.router.match(r.Method, r.URL.Path)
	if rt == nil {
		writeError(w, errNotFound("The requested URL %s was not found on this server.", r.URL.Path))
		return
	}
	if !rt.public {
		if err := e.authenticate(r); err != nil {
			writeError(w, err)
			return
		}
	}
	e.count(rt.name)
	if err := e.faults.before(rt.name); err != nil {
		writeError(w, err)
		return
	}
	resp, err := rt.h(&request{Request: r, params: params, method: rt.name, route: rt})
	if err != nil {
		writeError(w, err)
		return
	}
	if resp == nil {
		resp = map[string]any{}
	}
	writeJSON(w, http.StatusOK, resp)
}

// authenticate checks the bearer token the Go clients send.
func (e *Emulator) authenticate(r *http.Request) error {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return errUnauthenticated("Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
	}
	if e.opts.Token != "" && tok != e.opts.Token && !e.isMintedAccessToken(tok) {
		return errUnauthenticated("Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
	}
	return nil
}

// isMintedAccessToken is replaced by the IAM Credentials API file so access
// tokens it mints are accepted too.
var mintedAccessTokenCheck func(e *Emulator, tok string) bool

func (e *Emulator) isMintedAccessToken(tok string) bool {
	return mintedAccessTokenCheck != nil && mintedAccessTokenCheck(e, tok)
}

func (e *Emulator) count(name string) {
	e.callsMu.Lock()
	e.calls[name]++
	e.callsMu.Unlock()
}

// Calls returns the number of API calls per method since the last reset.
func (e *Emulator) Calls() map[string]int {
	e.callsMu.Lock()
	defer e.callsMu.Unlock()
	out := make(map[string]int, len(e.calls))
	for k, v := range e.calls {
		out[k] = v
	}
	return out
}

// ResetCalls zeroes the call counters.
func (e *Emulator) ResetCalls() {
	e.callsMu.Lock()
	e.calls = map[string]int{}
	e.callsMu.Unlock()
}

// handle adds an authenticated API route.
func (e *Emulator) handle(httpMethod, pattern, name string, h handlerFunc) {
	e.router.add(httpMethod, pattern, name, h)
}

// handlePublic adds a route that needs no Authorization header.
func (e *Emulator) handlePublic(httpMethod, pattern, name string, h handlerFunc) {
	e.router.add(httpMethod, pattern, name, h).public = true
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
