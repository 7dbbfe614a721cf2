package workflowsrc

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// Severity says whether a finding blocks a plan.
type Severity int

const (
	// Error: the call cannot work as written.
	Error Severity = iota
	// Warning: the call is likely to be refused or is against advice.
	Warning
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Finding is one problem with an HTTP call of a workflow.
type Finding struct {
	Severity Severity
	Rule     string // stable id: missing-auth, audience-path, oauth-non-google, oidc-google-api, unknown-auth-type
	Call     HTTPCall
	Summary  string
	Detail   string
}

// Rule ids of findings.
const (
	RuleMissingAuth     = "missing-auth"
	RuleAudiencePath    = "audience-path"
	RuleOAuthNonGoogle  = "oauth-non-google"
	RuleOIDCToGoogleAPI = "oidc-google-api"
	RuleUnknownAuthType = "unknown-auth-type"
)

// LintOptions tune Lint.
type LintOptions struct {
	// KnownServiceURLs are URLs of private services (e.g. Cloud Run uris read
	// from the API) besides the hosts gcpnames.IsPrivateServiceHost recognises.
	KnownServiceURLs []string
}

func hostOnly(host string) string {
	h := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(host), "."))
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	return strings.TrimSuffix(h, ".")
}

// Lint checks the HTTP calls of a workflow against the rules of calling a
// private service: an auth block is needed, the OIDC audience is the root
// URL, OAuth2 tokens are for Google APIs only.
func Lint(w *Workflow, opts LintOptions) []Finding {
	known := map[string]bool{}
	for _, k := range opts.KnownServiceURLs {
		if u, err := url.Parse(strings.TrimSpace(k)); err == nil && u.Host != "" {
			known[hostOnly(u.Host)] = true
		}
	}
	var out []Finding
	for _, c := range w.HTTPCalls() {
		out = append(out, lintCall(c, known)...)
	}
	return out
}

func lintCall(c HTTPCall, known map[string]bool) []Finding {
	var u *url.URL
	if !c.URLIsExpression() {
		if p, err := url.Parse(strings.TrimSpace(c.URL)); err == nil && p.Host != "" {
			u = p
		}
	}
	root := ""
	if u != nil {
		root, _ = gcpnames.OIDCAudience(c.URL)
	}
	private := u != nil && (gcpnames.IsPrivateServiceHost(u.Host) || known[hostOnly(u.Host)])
	googleAPI := u != nil && gcpnames.IsGoogleAPIHost(u.Host)
	where := fmt.Sprintf("Step %q (line %d) calls %s", c.Step, c.Line, c.URL)

	if c.Auth == nil {
		if !private {
			return nil
		}
		return []Finding{{
			Severity: Error, Rule: RuleMissingAuth, Call: c,
			Summary: "HTTP call to a private service without auth",
			Detail: fmt.Sprintf("%s without an auth block, so Workflows sends no token and the service answers 403 Forbidden. "+
				"Add to the step's args:\n\n  auth:\n    type: OIDC\n    audience: %s\n\n"+
				"and grant the workflow's service account roles/run.invoker (Cloud Functions gen1: roles/cloudfunctions.invoker) on the service.", where, root),
		}}
	}
	switch strings.ToUpper(c.Auth.Type) {
	case "OIDC":
		var out []Finding
		aud := c.Auth.Audience
		defaulted := aud == ""
		if defaulted {
			aud = c.URL
		}
		if !IsExpression(aud) && gcpnames.HasPathOrQuery(aud) {
			fix, _ := gcpnames.OIDCAudience(aud)
			why := fmt.Sprintf("its OIDC audience %q has a path or query", aud)
			if defaulted {
				why = fmt.Sprintf("it sets no audience, so the token's audience defaults to the URL %q, which has a path or query", aud)
			}
			out = append(out, Finding{
				Severity: Warning, Rule: RuleAudiencePath, Call: c,
				Summary: "OIDC audience is not the service's root URL",
				Detail: fmt.Sprintf("%s and %s. Cloud Run and Cloud Functions accept only the root URL as audience and answer 401 otherwise. "+
					"Set `audience: %s` in the step's auth block.", where, why, fix),
			})
		}
		if googleAPI {
			out = append(out, Finding{
				Severity: Warning, Rule: RuleOIDCToGoogleAPI, Call: c,
				Summary: "OIDC token sent to a Google API",
				Detail:  fmt.Sprintf("%s with an OIDC ID token; Google APIs (*.googleapis.com) expect an OAuth2 access token. Use `type: OAuth2`.", where),
			})
		}
		return out
	case "OAUTH2":
		if u == nil || googleAPI {
			return nil
		}
		fix := "  auth:\n    type: OIDC"
		if root != "" {
			fix += "\n    audience: " + root
		}
		return []Finding{{
			Severity: Error, Rule: RuleOAuthNonGoogle, Call: c,
			Summary: "OAuth2 token to a host that is not a Google API",
			Detail: fmt.Sprintf("%s with `type: OAuth2`. Google attaches OAuth2 access tokens only for Google APIs (*.googleapis.com); "+
				"Cloud Run, Cloud Functions and your own endpoints need an OIDC ID token. Use:\n\n%s", where, fix),
		}}
	default:
		return []Finding{{
			Severity: Error, Rule: RuleUnknownAuthType, Call: c,
			Summary: "Unknown auth type in an HTTP call",
			Detail:  fmt.Sprintf("%s with auth type %q; Workflows knows `OIDC` (Cloud Run, Cloud Functions, your endpoints) and `OAuth2` (Google APIs).", where, c.Auth.Type),
		}}
	}
}
