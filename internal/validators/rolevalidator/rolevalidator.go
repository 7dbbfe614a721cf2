// Package rolevalidator validates IAM role names.
package rolevalidator

import (
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/stringcheck"
)

// Valid returns a validator for an IAM role: roles/NAME,
// projects/PROJECT/roles/NAME or organizations/ORG/roles/NAME.
func Valid() validator.String {
	return stringcheck.Check{
		Summary:      "Invalid IAM role",
		Desc:         "value must be an IAM role: roles/NAME, projects/PROJECT/roles/NAME or organizations/ORG/roles/NAME",
		MarkdownDesc: "value must be an IAM role: `roles/NAME`, `projects/PROJECT/roles/NAME` or `organizations/ORG/roles/NAME`",
		Fn:           iampolicy.ValidateRole,
	}
}
