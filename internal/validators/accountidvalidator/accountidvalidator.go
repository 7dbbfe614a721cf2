// Package accountidvalidator validates service account IDs (the part of the email before @).
package accountidvalidator

import (
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/stringcheck"
)

// Valid returns a validator for a service account ID: 6-30 characters
// matching ^[a-z]([-a-z0-9]*[a-z0-9])$.
func Valid() validator.String {
	return stringcheck.Check{
		Summary:      "Invalid service account ID",
		Desc:         "value must be 6-30 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen",
		MarkdownDesc: "value must be 6-30 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen (`^[a-z]([-a-z0-9]*[a-z0-9])$`)",
		Fn:           gcpnames.AccountIDValid,
	}
}
