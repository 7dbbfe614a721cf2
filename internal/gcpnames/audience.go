package gcpnames

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// OIDCAudience returns the root URL of a service URL, which is the audience
// Cloud Run and Cloud Functions accept in OIDC tokens: scheme and host, plus
// the port only if it is not the scheme's default. Path, query, fragment and
// user info are dropped; scheme and host are lower-cased.
//
//	OIDCAudience("https://hello-abc-uc.a.run.app/tasks?x=1") == "https://hello-abc-uc.a.run.app"
func OIDCAudience(rawURL string) (string, error) {
	if strings.TrimSpace(rawURL) == "" {
		return "", fmt.Errorf("URL is empty; pass the service URL, e.g. \"https://hello-abc-uc.a.run.app\"")
	}
	shown := redactURL(rawURL)
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return "", fmt.Errorf("%q is not a valid URL", shown)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme == "" || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute URL; write it with its scheme, e.g. %q",
			shown, SuggestAbsoluteURL(shown))
	}
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("%q has scheme %q; the audience of a service URL needs http or https", shown, u.Scheme)
	}
	host, port, err := splitHostPort(u.Host)
	if err != nil {
		return "", fmt.Errorf("%q: %v", shown, err)
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host, nil
}

// splitHostPort validates the host[:port] part of a URL and returns the
// lower-cased host (IPv6 in brackets) and the port without leading zeros.
func splitHostPort(hostport string) (host, port string, err error) {
	host = hostport
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.HasSuffix(hostport, "]") {
		host, port = hostport[:i], hostport[i+1:]
	}
	if port != "" {
		n, perr := strconv.ParseUint(port, 10, 16)
		if perr != nil || n == 0 {
			return "", "", fmt.Errorf("port %q is not a number from 1 to 65535", port)
		}
		port = strconv.FormatUint(n, 10)
	}
	host = strings.ToLower(host)
	if strings.HasPrefix(host, "[") {
		addr, perr := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
		if perr != nil || !strings.HasSuffix(host, "]") || !addr.Is6() || addr.Zone() != "" {
			return "", "", fmt.Errorf("host %q is not a valid IPv6 address", host)
		}
		return "[" + addr.String() + "]", port, nil
	}
	if !validHostname(host) {
		return "", "", fmt.Errorf("host %q is not a valid host name", host)
	}
	return host, port, nil
}

// validHostname reports whether h is made of dot-separated labels of
// letters, digits, hyphens and underscores (an IPv4 address qualifies too).
func validHostname(h string) bool {
	h = strings.TrimSuffix(h, ".")
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// redactURL hides a password in the user info of a URL so that it never
// reaches an error message.
func redactURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndexByte(rest[:end], '@')
	if at < 0 {
		return raw
	}
	user, _, hasPassword := strings.Cut(rest[:at], ":")
	if !hasPassword {
		return raw
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}

// HasPathOrQuery reports whether aud, read as a URL, carries a path other
// than "/", a query or a fragment. Such an audience makes Cloud Run reject
// the token with 401; use OIDCAudience to get the root URL.
func HasPathOrQuery(aud string) bool {
	u, err := url.Parse(strings.TrimSpace(aud))
	if err != nil || u.Host == "" {
		return false
	}
	return (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != ""
}
