package gcpnames

import (
	"net/url"
	"strings"
)

// IsGoogleAPIHost reports whether host (optionally with a port) is a
// subdomain of googleapis.com ("*.googleapis.com", the form Cloud Scheduler's
// and Cloud Tasks' documentation gives for OAuth targets), ignoring case and a
// trailing dot. Google attaches OAuth access tokens only to such hosts. The
// bare "googleapis.com" serves no API, and labels must be DNS host names
// (letters, digits, hyphens: no "_").
// "googleapis.com.evil.io" and "evilgoogleapis.com" are not Google API hosts.
func IsGoogleAPIHost(host string) bool {
	h := strings.ToLower(strings.TrimSpace(host))
	if strings.HasPrefix(h, "[") {
		return false // IPv6 literal
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	h = strings.TrimSuffix(h, ".")
	sub, ok := strings.CutSuffix(h, ".googleapis.com")
	return ok && !strings.HasSuffix(sub, ".") && !strings.Contains(sub, "_") && validHostname(sub)
}

// IsGoogleAPIURL reports whether rawURL is an absolute URL whose host is a
// Google API host (see IsGoogleAPIHost).
func IsGoogleAPIURL(rawURL string) bool {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Host == "" {
		return false
	}
	return IsGoogleAPIHost(u.Host)
}
