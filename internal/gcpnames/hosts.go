package gcpnames

import (
	"net/url"
	"strings"
)

// Host names of private invocation targets. Google serves Cloud Run services
// on *.run.app and 1st gen functions on REGION-PROJECT.cloudfunctions.net;
// the local emulator (gcpinvoke emulator) serves the same names under the
// loopback TLD .localhost (RFC 6761): *.run.localhost and
// *.cloudfunctions.localhost. These helpers are the one place that knows both.
var (
	runHostSuffixes      = []string{".run.app", ".run.localhost"}
	functionHostSuffixes = []string{".cloudfunctions.net", ".cloudfunctions.localhost"}
)

// IsCloudRunHost reports whether host (optionally with a port) is a Cloud
// Run service host.
func IsCloudRunHost(host string) bool { return hasSuffix(bareHost(host), runHostSuffixes) }

// IsGen1FunctionHost reports whether host (optionally with a port) serves
// 1st gen Cloud Functions (https://REGION-PROJECT.cloudfunctions.net/FUNCTION).
func IsGen1FunctionHost(host string) bool {
	return hasSuffix(bareHost(host), functionHostSuffixes)
}

// IsGen1FunctionURL reports whether rawURL is an absolute URL on a 1st gen
// Cloud Functions host.
func IsGen1FunctionURL(rawURL string) bool {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	return err == nil && u.Host != "" && IsGen1FunctionHost(u.Host)
}

// IsPrivateServiceHost reports whether host is a Cloud Run or Cloud
// Functions host: one that wants an OIDC token unless the service is public.
func IsPrivateServiceHost(host string) bool {
	return IsCloudRunHost(host) || IsGen1FunctionHost(host)
}

// DefaultOIDCAudience is the audience a target at rawURL accepts: the root
// URL (see OIDCAudience), except for a 1st gen function, whose audience is
// its function URL (root URL + "/FUNCTION"), without query.
func DefaultOIDCAudience(rawURL string) (string, error) {
	root, err := OIDCAudience(rawURL)
	if err != nil {
		return "", err
	}
	if !IsGen1FunctionURL(rawURL) {
		return root, nil
	}
	u, _ := url.Parse(strings.TrimSpace(rawURL))
	if fn, _, _ := strings.Cut(strings.TrimPrefix(u.EscapedPath(), "/"), "/"); fn != "" {
		return root + "/" + fn, nil
	}
	return root, nil
}

// bareHost lower-cases host and drops a port and a trailing dot.
func bareHost(host string) string {
	h := strings.ToLower(strings.TrimSpace(host))
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	return strings.TrimSuffix(h, ".")
}

func hasSuffix(h string, suffixes []string) bool {
	for _, s := range suffixes {
		if strings.HasSuffix(h, s) {
			return true
		}
	}
	return false
}
