package gcpnames

import (
	"regexp"
	"strings"
)

// malformedScheme matches a value that starts with an http(s) scheme
// written wrongly: "https//x", "https:/x", "https:x", "http:///x".
var malformedScheme = regexp.MustCompile(`(?i)^(https?)(:/*|/+)`)

// SuggestAbsoluteURL returns the absolute URL a user most likely meant by
// s, which is not one, for use in "write it as …" hints. It never prefixes a
// scheme to a value that already has one ("https://" stays one scheme):
//
//	"example.com/x"     → "https://example.com/x"
//	"//example.com"     → "https://example.com"
//	"https:/example.com" → "https://example.com"
//	"https//example.com" → "https://example.com"
//	"/run/me"           → "https://HOST/run/me"
//	"https://"          → "https://HOST"
func SuggestAbsoluteURL(s string) string {
	s = strings.TrimSpace(s)
	if m := malformedScheme.FindStringSubmatch(s); m != nil {
		rest := strings.TrimLeft(s[len(m[0]):], "/")
		if rest == "" {
			rest = "HOST"
		}
		return strings.ToLower(m[1]) + "://" + rest
	}
	if i := strings.Index(s, "://"); i >= 0 {
		// Another scheme (ftp://…): keep the rest, with https.
		rest := strings.TrimLeft(s[i+3:], "/")
		if rest == "" {
			rest = "HOST"
		}
		return "https://" + rest
	}
	if strings.HasPrefix(s, "//") {
		return "https://" + strings.TrimLeft(s, "/")
	}
	if strings.HasPrefix(s, "/") || s == "" {
		return "https://HOST" + s
	}
	return "https://" + s
}

// WithHTTPS returns rawURL with its scheme, however it is written ("http",
// "HTTP"), replaced by https; a value without a scheme gets one.
func WithHTTPS(rawURL string) string {
	if i := strings.Index(rawURL, "://"); i >= 0 {
		return "https" + rawURL[i:]
	}
	return "https://" + rawURL
}
