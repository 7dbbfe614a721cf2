package emulator

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxAttemptsKept bounds st.Attempts; the oldest are dropped first.
const maxAttemptsKept = 10000

// maxResponseKept is how much of a target's answer an attempt keeps.
const maxResponseKept = 4096

// tokenSpec says which token a call carries.
type tokenSpec struct {
	Kind           string   // "oidc", "oauth" or "" (none)
	ServiceAccount string   // the account the token is minted for
	Audience       string   // oidc: the aud claim; empty means the call's URL
	Scopes         []string // oauth: empty means cloud-platform
}

// outboundCall is one request an emulated Google service (Cloud Scheduler,
// Cloud Tasks, Workflows) makes to a target on a user's behalf.
type outboundCall struct {
	Caller string // the calling API: "cloudscheduler", "cloudtasks", "workflows"
	Source string // job, task or execution name, recorded in the attempt
	Method string
	URL    string
	Header http.Header // caller-specific headers (User-Agent, X-CloudScheduler-…)
	Body   []byte
	Token  tokenSpec
	// AgentProject is the project (id or number) whose service agent of
	// Caller (service-N@gcp-sa-CALLER.iam.gserviceaccount.com) mints the
	// token; it must hold roles/iam.serviceAccountTokenCreator or
	// roles/CALLER.serviceAgent on the account or its project. Empty skips
	// the check (the caller acts as the account itself, as Workflows does).
	AgentProject string
	Deadline     time.Duration // for network calls; 0 means 180s
	At           time.Time     // attempt time; zero means the emulator's clock
}

// internalCallKey marks requests made by an emulated Google service
// (value: internalSource). Google's ingress page lists Cloud Scheduler,
// Cloud Tasks, Eventarc, Pub/Sub, Workflows and BigQuery as internal
// sources when they are in the same project (or VPC Service Controls
// perimeter) as the service; the emulator models the same-project rule
// only (no perimeters).
type internalCallKey struct{}

// internalSource is who made an internal call and from which project.
type internalSource struct {
	Caller  string // cloudscheduler, cloudtasks, workflows
	Project string // project id or number of the job, queue or workflow
}

// internalCallSource returns the source of a request made by deliver.
func internalCallSource(r *http.Request) (internalSource, bool) {
	s, ok := r.Context().Value(internalCallKey{}).(internalSource)
	return s, ok
}

// sourceProject is the project an outbound call comes from: the service
// agent's project, else the project in the source's resource name
// (projects/P/locations/…).
func (c outboundCall) sourceProject() string {
	if c.AgentProject != "" {
		return c.AgentProject
	}
	if rest, ok := strings.CutPrefix(c.Source, "projects/"); ok {
		p, _, _ := strings.Cut(rest, "/")
		return p
	}
	return ""
}

// callerNames are the product names used in attempt messages.
var callerNames = map[string]string{
	"cloudscheduler": "Cloud Scheduler",
	"cloudtasks":     "Cloud Tasks",
	"workflows":      "Workflows",
}

// deliver makes one attempt of an outbound call and records it in
// st.Attempts. A failure before anything is sent (impersonation not
// granted, account missing, target unreachable) has StatusCode 0 and an
// Error starting with the google.rpc code name ("PERMISSION_DENIED: …").
// The token itself is never recorded.
func (e *Emulator) deliver(ctx context.Context, c outboundCall) *Attempt {
	at := c.At
	if at.IsZero() {
		at = e.now()
	}
	a := &Attempt{Caller: c.Caller, Source: c.Source, Time: at.UTC(), URL: c.URL, Method: c.Method}
	defer e.recordAttempt(a)

	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" {
		a.Error = fmt.Sprintf("INVALID_ARGUMENT: target URL %q is not an absolute URL", c.URL)
		return a
	}
	authz, oauthSkipped, err := e.outboundAuthorization(c, u, a)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	h := c.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if authz != "" {
		h.Set("Authorization", authz)
	}
	if len(c.Body) > 0 && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/octet-stream")
	}

	var status int
	var respBody []byte
	var reason string
	switch {
	case isEmulatedHostName(u.Host):
		status, respBody, reason = e.dispatchInProcess(ctx, c, u, h)
	case isLoopbackHost(u.Hostname()):
		status, respBody, err = dispatchLoopback(ctx, c, u, h)
		if err != nil {
			a.Error = err.Error()
			return a
		}
	default:
		a.Error = fmt.Sprintf("UNAVAILABLE: network unreachable from the emulator: it calls only emulated hosts (*.localhost, *.googleapis.com) and loopback addresses, and %s is neither; nothing was sent", u.Host)
		return a
	}
	a.StatusCode = status
	if len(respBody) > maxResponseKept {
		respBody = respBody[:maxResponseKept]
	}
	a.Response = string(respBody)
	if status < 200 || status > 299 {
		a.Error = fmt.Sprintf("the target answered HTTP %d %s", status, http.StatusText(status))
		if reason != "" {
			a.Error += ": " + reason
		}
		if oauthSkipped && (status == http.StatusUnauthorized || status == http.StatusForbidden) {
			a.Error += " (no token was sent: OAuth tokens are only attached for *.googleapis.com targets; use an OIDC token with the service's root URL as audience)"
		}
	}
	return a
}

// recordAttempt appends an attempt to the state, dropping the oldest beyond
// maxAttemptsKept.
func (e *Emulator) recordAttempt(a *Attempt) {
	c := *a
	_ = e.mutate(func(st *State) error {
		st.Attempts = append(st.Attempts, &c)
		if over := len(st.Attempts) - maxAttemptsKept; over > 0 {
			st.Attempts = append([]*Attempt(nil), st.Attempts[over:]...)
		}
		return nil
	})
}

// attemptStatus is the google.rpc status Google reports for an attempt: OK
// for a 2xx answer, the code mapped from the HTTP status otherwise, or the
// code named at the start of Error when nothing was sent.
func attemptStatus(a *Attempt) (int, string) {
	if a.StatusCode != 0 {
		if a.StatusCode >= 200 && a.StatusCode <= 299 {
			return 0, ""
		}
		return rpcCodeForHTTP(a.StatusCode), a.Error
	}
	if name, msg, ok := strings.Cut(a.Error, ": "); ok {
		if code, known := grpcCode[name]; known {
			return code, msg
		}
	}
	return grpcCode["UNKNOWN"], a.Error
}

// rpcCodeForHTTP maps a target's HTTP status to a google.rpc code.
func rpcCodeForHTTP(status int) int {
	switch status {
	case 400:
		return grpcCode["INVALID_ARGUMENT"]
	case 401:
		return grpcCode["UNAUTHENTICATED"]
	case 403:
		return grpcCode["PERMISSION_DENIED"]
	case 404:
		return grpcCode["NOT_FOUND"]
	case 409:
		return grpcCode["ABORTED"]
	case 412:
		return grpcCode["FAILED_PRECONDITION"]
	case 429:
		return grpcCode["RESOURCE_EXHAUSTED"]
	case 499:
		return grpcCode["CANCELLED"]
	case 500:
		return grpcCode["INTERNAL"]
	case 501:
		return grpcCode["UNIMPLEMENTED"]
	case 503:
		return grpcCode["UNAVAILABLE"]
	case 504:
		return grpcCode["DEADLINE_EXCEEDED"]
	}
	return grpcCode["UNKNOWN"]
}
