// Package gcpnamevalidator validates the names a configuration gives for
// Google Cloud resources: project IDs, locations, Cloud Run services and
// Cloud Functions. Each rule is Google's (see gcpnames); a URL or resource
// name where a name belongs gets the name as the fix, and a name with "/"
// is rejected before it can be sent as part of a request path.
package gcpnamevalidator

import (
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/stringcheck"
)

// Option changes what a name validator accepts.
type Option func(*options)

type options struct{ resourceName, shortIDs bool }

// AllowResourceName also accepts the full resource name
// (projects/{project}/locations/{location}/services/{name}), as the Google
// provider's IAM resources do; each part is checked.
func AllowResourceName() Option { return func(o *options) { o.resourceName = true } }

// AllowShortIDs also accepts the import-ID forms {project}/{location}/{name}
// and {location}/{name} (and the full resource name); each part is checked.
func AllowShortIDs() Option { return func(o *options) { o.resourceName, o.shortIDs = true, true } }

func apply(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// ProjectID returns a validator for a project ID: 6-30 lower-case letters,
// digits and hyphens, starting with a letter and not ending with a hyphen.
func ProjectID() validator.String {
	return stringcheck.Check{
		Summary: "Invalid project ID",
		Desc: "value must be a project ID: 6-30 lower-case letters, digits and hyphens, starting with a letter " +
			"and not ending with a hyphen",
		MarkdownDesc: "value must be a project ID: 6-30 lower-case letters, digits and hyphens, starting with a letter " +
			"and not ending with a hyphen (`^[a-z][-a-z0-9]{4,28}[a-z0-9]$`)",
		Fn: gcpnames.ProjectIDValid,
	}
}

// Location returns a validator for a location (region) such as us-central1.
func Location() validator.String {
	return stringcheck.Check{
		Summary:      "Invalid location",
		Desc:         "value must be a region such as us-central1 (lower-case letters, digits and hyphens)",
		MarkdownDesc: "value must be a region such as `us-central1` (lower-case letters, digits and hyphens)",
		Fn:           gcpnames.LocationValid,
	}
}

// RunServiceName returns a validator for a Cloud Run service name: 1-49
// lower-case letters, digits and hyphens, starting with a letter and not
// ending with a hyphen.
func RunServiceName(opts ...Option) validator.String {
	o := apply(opts)
	desc := "value must be a Cloud Run service name: 1-49 lower-case letters, digits and hyphens, starting with a " +
		"letter and not ending with a hyphen"
	md := desc + " (`^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$`)"
	fn := func(s string) error { return gcpnames.RunServiceNameValid(s, o.resourceName) }
	switch {
	case o.shortIDs:
		desc += ", or projects/{project}/locations/{location}/services/{name}, {project}/{location}/{name} or {location}/{name}"
		md += ", or `projects/{project}/locations/{location}/services/{name}`, `{project}/{location}/{name}` or `{location}/{name}`"
		fn = gcpnames.RunServiceIDValid
	case o.resourceName:
		desc += ", or projects/{project}/locations/{location}/services/{name}"
		md += ", or `projects/{project}/locations/{location}/services/{name}`"
	}
	return stringcheck.Check{
		Summary:      "Invalid Cloud Run service name",
		Desc:         desc,
		MarkdownDesc: md,
		Fn:           fn,
	}
}

// FunctionName returns a validator for a Cloud Functions function name:
// 1-63 letters, digits, hyphens and underscores, starting with a letter and
// ending with a letter or digit (1st gen; a 2nd gen name is the lower-case,
// hyphen-only subset, which Google checks when the function is deployed).
func FunctionName(opts ...Option) validator.String {
	o := apply(opts)
	desc := "value must be a function name: 1-63 letters, digits, hyphens and underscores, starting with a letter " +
		"and ending with a letter or digit (2nd gen functions: lower-case letters, digits and hyphens only)"
	md := desc
	fn := func(s string) error { return gcpnames.FunctionNameValid(s, o.resourceName) }
	switch {
	case o.shortIDs:
		desc += ", or projects/{project}/locations/{location}/functions/{name}, {project}/{location}/{name} or {location}/{name}"
		md += ", or `projects/{project}/locations/{location}/functions/{name}`, `{project}/{location}/{name}` or `{location}/{name}`"
		fn = gcpnames.FunctionIDValid
	case o.resourceName:
		desc += ", or projects/{project}/locations/{location}/functions/{name}"
		md += ", or `projects/{project}/locations/{location}/functions/{name}`"
	}
	return stringcheck.Check{
		Summary:      "Invalid function name",
		Desc:         desc,
		MarkdownDesc: md,
		Fn:           fn,
	}
}
