// Package rolevalidator validates IAM role names.
package rolevalidator

import (
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/stringcheck"
)

// Valid returns a validator for an IAM role: roles/NAME,
// projects/PROJECT/roles/NAME or organizations/ORG/roles/NAME, where a
// predefined role of a catalogued service must exist (CheckPredefined: the
// error names the closest role, e.g. roles/run.invokr → roles/run.invoker).
func Valid() validator.String {
	return stringcheck.Check{
		Summary:      "Invalid IAM role",
		Desc:         "value must be an IAM role: roles/NAME (a predefined role that exists), projects/PROJECT/roles/NAME or organizations/ORG/roles/NAME",
		MarkdownDesc: "value must be an IAM role: `roles/NAME` (a predefined role that exists), `projects/PROJECT/roles/NAME` or `organizations/ORG/roles/NAME`",
		Fn: func(role string) error {
			if err := iampolicy.ValidateRole(role); err != nil {
				return err
			}
			return CheckPredefined(role)
		},
	}
}
