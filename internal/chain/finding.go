package chain

// Severity of a Finding.
type Severity string

// Severities: an error breaks the chain (calls fail); a warning is a risk or
// an unverified part, but calls succeed.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info" // how the link works; nothing to fix
)

// Links of the chain a Finding is about.
const (
	LinkServiceAccount = "service_account" // the account itself
	LinkImpersonation  = "impersonation"   // caller → service account
	LinkToken          = "token"           // kind of token for the target
	LinkAudience       = "audience"        // OIDC audience → target
	LinkInvoker        = "invoker"         // service account → target (invoker binding)
	LinkTarget         = "target"          // the target itself
	LinkProbe          = "probe"           // the test call
)

// Finding codes: stable identifiers tests and users can match on.
const (
	CodeServiceAccountMissing = "service_account_missing"
	CodeMissingImpersonation  = "missing_impersonation"
	CodeOAuthNonGoogleHost    = "oauth_non_google_host"
	CodeOIDCToGoogleAPI       = "oidc_to_google_api"
	CodeAudienceNotAccepted   = "audience_not_accepted"
	CodeMissingInvoker        = "missing_invoker"
	CodeConditionalGrant      = "conditional_grant"
	CodeTargetNotFound        = "target_not_found"
	CodeTargetUnresolved      = "target_unresolved"
	CodeTargetPublic          = "target_public"
	CodeInvokerIAMDisabled    = "invoker_iam_disabled"
	CodeProbeFailed           = "probe_failed"
	CodeProbeNotRun           = "probe_not_run"
	CodeRunsAsAccount         = "runs_as_account"
)

// Finding is one problem of the chain.
type Finding struct {
	// Code identifies the kind of problem (Code* constants).
	Code string
	// Severity says whether calls fail (error) or not (warning).
	Severity Severity
	// Link is the part of the chain concerned (Link* constants).
	Link string
	// Problem says what is wrong, naming the resources.
	Problem string
	// Fix says what to change, as Terraform where it helps.
	Fix string
}

// Result is the answer of Check.
type Result struct {
	// OK is true when no finding is an error.
	OK bool
	// Findings lists the problems found, in chain order.
	Findings []Finding
	// Target is what the target resolved to (nil when it did not).
	Target *Target
	// CallerMember is the member that mints tokens for the account, e.g.
	// "serviceAccount:service-123@gcp-sa-cloudscheduler.iam.gserviceaccount.com".
	CallerMember string
	// ServiceAccount is the account's email, lower-cased.
	ServiceAccount string
	// Audience is the audience the caller puts in its OIDC tokens ("" for OAuth).
	Audience string
	// Probe is the outcome of the test call (nil unless Input.Probe).
	Probe *ProbeResult
}

// ProbeResult is the outcome of the test call made with a freshly minted
// token. The token itself is never kept.
type ProbeResult struct {
	// URL is the URL called.
	URL string
	// StatusCode is the HTTP status answered (0 when nothing was sent).
	StatusCode int
	// Status is the HTTP status line, or why nothing was sent.
	Status string
}

func (r *Result) add(f Finding) { r.Findings = append(r.Findings, f) }

// finish sets OK from the findings.
func (r *Result) finish() {
	r.OK = true
	for _, f := range r.Findings {
		if f.Severity == SeverityError {
			r.OK = false
		}
	}
}

// hasError reports an error finding with code.
func (r *Result) hasError(code string) bool {
	for _, f := range r.Findings {
		if f.Code == code && f.Severity == SeverityError {
			return true
		}
	}
	return false
}
