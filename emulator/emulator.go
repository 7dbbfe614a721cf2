// Package emulator is a local emulator of the Google control-plane APIs that
// Cloud Scheduler → Cloud Run setups use — Cloud Run v2, Cloud Functions
// v1/v2, IAM, IAM Credentials, Resource Manager, Cloud Scheduler, Cloud Tasks
// and Workflows — for tests and local development without a Google account
// or network access.
//
// It speaks the APIs' wire format (paths, JSON field names, google.rpc
// errors, etags, long-running operations), so the official Go clients in
// google.golang.org/api work against it unchanged, and it executes what it
// stores: a Cloud Scheduler job or Cloud Tasks task mints a signed OIDC token
// for its service account (checking that the service agent may) and calls
// the emulated Cloud Run service through a gateway that verifies the token's
// audience and the invoker binding the way Cloud Run does.
//
// An Emulator is an [http.Handler]; it does not listen by itself. One base
// URL serves every API:
//
//	emu, err := emulator.New(emulator.Options{})        // default seed: demo-project
//	srv := httptest.NewServer(emu)
//	emu.SetBaseURL(srv.URL)                            // service URLs and the OIDC issuer derive from it
//	runSvc, err := run.NewService(ctx, emu.ClientOptions()...)
//
// Package emulatortest starts one per test. The command `gcpinvoke emulator`
// serves the same emulator on a port (see the repository's README), and the
// seed format is documented in docs/emulator-seed.md and seed.schema.json.
//
// Besides the Google APIs, the emulator answers under /_emulator/ (no token
// needed): GET /_emulator/health, GET /_emulator/calls, POST /_emulator/reset,
// GET /_emulator/state, GET /_emulator/attempts, GET|PUT /_emulator/faults.
package emulator

import (
	"context"
	"log"
	"net/http"
	"time"

	iemu "github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// Options configure an Emulator. The zero value is a working emulator with
// the default seed, accepting any bearer token.
type Options struct {
	// Seed declares the projects, service accounts, Cloud Run services and
	// functions that exist at start. Nil means DefaultSeed().
	Seed *Seed
	// BaseURL is the URL clients reach the emulator at (scheme, host and
	// port, e.g. "http://127.0.0.1:8787"); it can also be set later with
	// SetBaseURL. Behind port mapping or a proxy it is the public URL.
	BaseURL string
	// Token, when set, is the only bearer token the APIs accept (plus the
	// access tokens the emulated IAM Credentials API mints); otherwise any
	// non-empty bearer token is accepted.
	Token string
	// Faults injects latency and errors; see Faults.
	Faults Faults
	// LRODelay is how long long-running operations take to complete.
	LRODelay time.Duration
	// IAMPropagationDelay is how long a new service account stays unknown to
	// setIamPolicy ("Service account … does not exist."), as in real IAM.
	IAMPropagationDelay time.Duration
	// ExecuteSchedules fires Cloud Scheduler jobs on their cron schedules in
	// the background. Without it jobs run only when asked (the Cloud
	// Scheduler jobs.run method, or FireDueJobs).
	ExecuteSchedules bool
	// StatePath, when set, is loaded at start if it exists (instead of the
	// seed) and rewritten atomically after every change.
	StatePath string
	// Now is the emulator's clock; nil means time.Now.
	Now func() time.Time
	// Logger, when set, gets one line per request.
	Logger *log.Logger
}

// Emulator serves every emulated API. It is safe for concurrent use.
type Emulator struct {
	e     *iemu.Emulator
	token string
}

var _ http.Handler = (*Emulator)(nil)

// New builds an emulator from its options. It fails when the seed is
// invalid (an unknown project in a service account, a malformed project id,
// …) or the state file cannot be read.
func New(opts Options) (*Emulator, error) {
	e, err := iemu.New(iemu.Options{
		Token:               opts.Token,
		Seed:                opts.Seed,
		StatePath:           opts.StatePath,
		LRODelay:            opts.LRODelay,
		IAMPropagationDelay: opts.IAMPropagationDelay,
		Faults:              opts.Faults,
		ExecuteSchedules:    opts.ExecuteSchedules,
		Now:                 opts.Now,
		Logger:              opts.Logger,
	})
	if err != nil {
		return nil, err
	}
	if opts.BaseURL != "" {
		e.SetBaseURL(opts.BaseURL)
	}
	return &Emulator{e: e, token: opts.Token}, nil
}

// ServeHTTP serves the Google APIs (routed by path), the emulated Cloud Run
// services and functions (routed by the Host header, e.g.
// hello-….a.run.localhost:PORT), the OIDC discovery document and keys, and
// the /_emulator/ introspection endpoints.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.e.ServeHTTP(w, r) }

// SetBaseURL sets the URL clients reach the emulator at, e.g. the URL of the
// httptest.Server serving it, or the public URL when it sits behind port
// mapping or a proxy. Service URLs (http://NAME-HASH-uc.a.run.localhost:PORT,
// with PORT taken from it) and the OIDC issuer (iss claim, discovery document,
// JWKS URL) derive from it. Without it they use http://127.0.0.1:8787.
func (e *Emulator) SetBaseURL(u string) { e.e.SetBaseURL(u) }

// BaseURL is the URL set by SetBaseURL or Options.BaseURL.
func (e *Emulator) BaseURL() string { return e.e.BaseURL() }

// SetFaults replaces the fault configuration; it takes effect on the next
// API call.
func (e *Emulator) SetFaults(f Faults) { e.e.SetFaults(f) }

// Faults returns the current fault configuration (FailNext counts left).
func (e *Emulator) Faults() Faults { return e.e.Faults() }

// Calls returns the number of API calls per method since the last
// ResetCalls, keyed "api.collection.method" as in Google's discovery
// documents, e.g. "run.services.setIamPolicy",
// "cloudscheduler.jobs.create",
// "iamcredentials.serviceAccounts.generateIdToken".
func (e *Emulator) Calls() map[string]int { return e.e.Calls() }

// ResetCalls zeroes the call counters.
func (e *Emulator) ResetCalls() { e.e.ResetCalls() }

// Attempts returns every call the emulated Cloud Scheduler, Cloud Tasks and
// Workflows made to a target, oldest first, with the outcome the target
// gave. Tokens are never recorded.
func (e *Emulator) Attempts() []Attempt {
	in := e.e.Attempts()
	out := make([]Attempt, len(in))
	for i, a := range in {
		out[i] = *a
	}
	return out
}

// FireDueJobs makes one attempt of every enabled Cloud Scheduler job whose
// scheduled time (or pending retry) is at or before now, and returns how
// many attempts were made. Missed fire times are not made up. Tests use it
// with an injected clock (Options.Now) instead of Options.ExecuteSchedules
// to run jobs deterministically.
func (e *Emulator) FireDueJobs(now time.Time) int { return e.e.FireDueJobs(now) }

// DispatchDueTasks makes one attempt of every Cloud Tasks task whose
// scheduleTime is at or before now in a RUNNING queue, and returns how many
// were attempted.
func (e *Emulator) DispatchDueTasks(ctx context.Context, now time.Time) int {
	return e.e.DispatchDueTasks(ctx, now)
}

// Close stops background work (schedule execution). It is safe to call
// twice. It does not stop the server serving the emulator.
func (e *Emulator) Close() { e.e.Close() }
