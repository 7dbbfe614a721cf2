// Package oauthscopevalidator validates the OAuth 2.0 scope of a Google
// access token.
package oauthscopevalidator

import (
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/stringcheck"
)

// Valid returns a validator for one Google OAuth scope URL such as
// https://www.googleapis.com/auth/cloud-platform.
func Valid() validator.String {
	return stringcheck.Check{
		Summary:      "Invalid OAuth scope",
		Desc:         "value must be one Google OAuth scope URL, e.g. https://www.googleapis.com/auth/cloud-platform",
		MarkdownDesc: "value must be one Google OAuth scope URL, e.g. `https://www.googleapis.com/auth/cloud-platform`",
		Fn:           gcpnames.OAuthScopeValid,
	}
}
