package discovery

import (
	"net/http"
	"strings"
)

// Exemption is traffic to the emulator that no discovery document
// describes, on purpose. The list is explicit and short; anything else must
// be a method of a document.
type Exemption struct {
	Why   string
	Match func(r *http.Request) bool
}

// Exemptions are the emulator's non-API endpoints.
var Exemptions = []Exemption{
	{
		Why:   "emulator introspection (/_emulator/…): not a Google API",
		Match: func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/_emulator/") },
	},
	{
		Why: "OpenID Connect discovery and JWKS (Google serves them at accounts.google.com and " +
			"www.googleapis.com/oauth2/v3/certs; no discovery document describes them)",
		Match: func(r *http.Request) bool {
			return r.Method == http.MethodGet && (r.URL.Path == "/.well-known/openid-configuration" || r.URL.Path == "/oauth2/v3/certs")
		},
	},
	{
		Why: "emulated hosts addressed by the Host header: Cloud Run and function URLs (*.localhost) " +
			"and Google API hosts called by jobs (*.googleapis.com): user endpoints, not control-plane APIs",
		Match: func(r *http.Request) bool { return IsEmulatedHost(r.Host) },
	},
}

// IsEmulatedHost reports whether a Host header names an emulated host rather
// than the emulator's API endpoint.
func IsEmulatedHost(host string) bool {
	h := strings.ToLower(host)
	if i := strings.LastIndex(h, ":"); i >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	return strings.HasSuffix(h, ".localhost") || strings.HasSuffix(h, ".googleapis.com") || h == "googleapis.com"
}

// Exempt returns why a request is exempt, or "" when it must conform.
func Exempt(r *http.Request) string {
	for _, e := range Exemptions {
		if e.Match(r) {
			return e.Why
		}
	}
	return ""
}
