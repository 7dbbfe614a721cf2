package gcpnames

import (
	"fmt"
	"net/url"
	"strings"
)

// scopePrefix is where Google's OAuth 2.0 scopes for its APIs live, e.g.
// https://www.googleapis.com/auth/cloud-platform.
const scopePrefix = "https://www.googleapis.com/auth/"

// OAuthScopeValid checks one OAuth 2.0 scope for a Google access token: an
// https URL on a Google host, normally https://www.googleapis.com/auth/NAME
// (a few Google APIs use their own, such as https://mail.google.com/). A
// bare name ("cloud-platform", "auth/pubsub") gets the full URL as the fix.
func OAuthScopeValid(scope string) error {
	const example = "e.g. \"" + scopePrefix + "cloud-platform\""
	if scope == "" {
		return fmt.Errorf("scope is empty; write a scope URL, %s", example)
	}
	if strings.ContainsAny(scope, " \t\r\n,") {
		return fmt.Errorf("scope %q holds more than one value or white space; write one scope URL, %s", scope, example)
	}
	if !strings.Contains(scope, "://") {
		name := strings.TrimPrefix(strings.TrimPrefix(scope, "/"), "auth/")
		return fmt.Errorf("scope %q is not a scope URL; write %q", scope, scopePrefix+name)
	}
	u, err := url.Parse(scope)
	if err != nil || u.Host == "" {
		return fmt.Errorf("scope %q is not a scope URL; %s", scope, example)
	}
	if !strings.EqualFold(u.Scheme, "https") {
		return fmt.Errorf("scope %q must use https; write %q", scope, WithHTTPS(scope))
	}
	host := bareHost(u.Host)
	if host != "googleapis.com" && !strings.HasSuffix(host, ".googleapis.com") &&
		host != "google.com" && !strings.HasSuffix(host, ".google.com") {
		return fmt.Errorf("scope %q is not a Google OAuth scope (its host is %q); Google scopes look like %q", scope, host, scopePrefix+"NAME")
	}
	if strings.HasSuffix(host, "googleapis.com") && host != "www.googleapis.com" {
		return fmt.Errorf("scope %q is an API URL, not a scope: Google API scopes are %sNAME, %s", scope, scopePrefix, example)
	}
	if host == "www.googleapis.com" && (!strings.HasPrefix(u.Path, "/auth/") || u.Path == "/auth/") {
		return fmt.Errorf("scope %q is not a scope URL: Google API scopes are %sNAME, %s", scope, scopePrefix, example)
	}
	return nil
}
