package gcpclient

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// masked replaces every secret value in logs and messages.
const masked = "***"

// secretKeys are JSON field / form / query names whose values are masked
// (compared lower-cased).
var secretKeys = map[string]bool{
	"access_token":  true,
	"accesstoken":   true,
	"token":         true,
	"id_token":      true,
	"idtoken":       true,
	"refresh_token": true,
	"refreshtoken":  true,
	"private_key":   true,
	"privatekey":    true,
	"client_secret": true,
	"clientsecret":  true,
	"assertion":     true,
	"subject_token": true,
}

// secretHeaders are header names whose values are masked (canonical form).
var secretHeaders = map[string]bool{
	"Authorization":                  true,
	"Proxy-Authorization":            true,
	"Cookie":                         true,
	"Set-Cookie":                     true,
	"X-Goog-Api-Key":                 true,
	"X-Goog-Iam-Authorization-Token": true,
	"X-Serverless-Authorization":     true,
}

var (
	bearerRe     = regexp.MustCompile(`(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]+`)
	jwtRe        = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
	googleTokRe  = regexp.MustCompile(`\bya29\.[A-Za-z0-9._-]+`)
	privateKeyRe = regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)`)
)

// scrub removes token-looking material from free text: bearer/basic
// credentials, JWTs, Google access tokens and PEM private keys.
func scrub(s string) string {
	s = privateKeyRe.ReplaceAllString(s, masked)
	s = bearerRe.ReplaceAllString(s, "${1}${2}"+masked)
	s = jwtRe.ReplaceAllString(s, masked)
	s = googleTokRe.ReplaceAllString(s, masked)
	return s
}

// maskHeaders renders h for logs with secret header values masked (the
// authentication scheme is kept: "Bearer ***").
func maskHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, vals := range h {
		canon := http.CanonicalHeaderKey(name)
		v := strings.Join(vals, ", ")
		if secretHeaders[canon] {
			scheme, _, found := strings.Cut(v, " ")
			if found && (strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "basic")) {
				v = scheme + " " + masked
			} else {
				v = masked
			}
		}
		out[canon] = scrub(v)
	}
	return out
}

// maskURL renders u for logs with secret query parameters masked.
func maskURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		for k := range q {
			if lk := strings.ToLower(k); secretKeys[lk] || lk == "key" {
				q[k] = []string{masked}
			}
		}
		c.RawQuery = encodeQuerySorted(q)
	}
	return scrub(c.String())
}

func encodeQuerySorted(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			if v == masked {
				b.WriteString(v)
			} else {
				b.WriteString(url.QueryEscape(v))
			}
		}
	}
	return b.String()
}

// maskBody renders a request or response body for logs: JSON and form
// bodies with secret fields masked, other text scrubbed.
func maskBody(b []byte, contentType string) string {
	if len(b) == 0 {
		return ""
	}
	ct := strings.ToLower(contentType)
	trimmed := strings.TrimSpace(string(b))
	if strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[") {
		var v any
		if err := json.Unmarshal(b, &v); err == nil {
			out, err := json.Marshal(maskJSON(v))
			if err == nil {
				return scrub(string(out))
			}
		}
	}
	if strings.Contains(ct, "application/x-www-form-urlencoded") {
		if q, err := url.ParseQuery(trimmed); err == nil {
			for k := range q {
				if secretKeys[strings.ToLower(k)] {
					q[k] = []string{masked}
				}
			}
			return scrub(encodeQuerySorted(q))
		}
	}
	return scrub(trimmed)
}

// maskJSON returns v with the values of secret keys replaced, recursively.
func maskJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if secretKeys[strings.ToLower(k)] {
				t[k] = masked
				continue
			}
			t[k] = maskJSON(val)
		}
		return t
	case []any:
		for i := range t {
			t[i] = maskJSON(t[i])
		}
		return t
	default:
		return v
	}
}
