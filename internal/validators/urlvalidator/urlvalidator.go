// Package urlvalidator validates absolute http and https URLs.
package urlvalidator

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/stringcheck"
)

// Option changes what HTTP accepts.
type Option func(*options)

type options struct{ requireHTTPS bool }

// RequireHTTPS rejects http:// URLs.
func RequireHTTPS() Option { return func(o *options) { o.requireHTTPS = true } }

// HTTP returns a validator for an absolute http or https URL with a host and
// no user info (credentials in URLs end up in logs).
func HTTP(opts ...Option) validator.String {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	desc, md := "value must be an absolute http or https URL", "value must be an absolute `http://` or `https://` URL"
	if o.requireHTTPS {
		desc, md = "value must be an absolute https URL", "value must be an absolute `https://` URL"
	}
	return stringcheck.Check{
		Summary:      "Invalid URL",
		Desc:         desc,
		MarkdownDesc: md,
		Fn:           func(s string) error { return check(s, o) },
	}
}

func check(s string, o options) error {
	if s == "" {
		return fmt.Errorf("URL is empty; write an absolute URL such as \"https://hello-abc-uc.a.run.app/path\"")
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("URL %q has leading or trailing spaces; remove them", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		if strings.Contains(s, "@") {
			return fmt.Errorf("value is not a valid URL")
		}
		return fmt.Errorf("%q is not a valid URL", s)
	}
	if u.User != nil {
		return fmt.Errorf("URL must not contain user info (NAME:PASSWORD@); authenticate with an OIDC or OAuth token or a header instead")
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme == "" || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL; write it with its scheme and host, e.g. %q", s, gcpnames.SuggestAbsoluteURL(s))
	}
	if scheme != "http" && scheme != "https" {
		return fmt.Errorf("%q has scheme %q; use https:// (or http://)", s, u.Scheme)
	}
	if o.requireHTTPS && scheme != "https" {
		return fmt.Errorf("%q uses http; write %q", s, gcpnames.WithHTTPS(s))
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%q has no host name", s)
	}
	return nil
}
