// Package serviceaccountemailvalidator validates service account emails.
package serviceaccountemailvalidator

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/stringcheck"
)

// Valid returns a validator for a lower-case service account email such as
// "invoker@PROJECT_ID.iam.gserviceaccount.com".
func Valid() validator.String {
	return stringcheck.Check{
		Summary:      "Invalid service account email",
		Desc:         "value must be a service account email such as invoker@PROJECT_ID.iam.gserviceaccount.com",
		MarkdownDesc: "value must be a service account email such as `invoker@PROJECT_ID.iam.gserviceaccount.com`",
		Fn:           gcpnames.ValidateServiceAccountEmail,
	}
}

// EmailOrName returns a validator that also accepts the resource name
// projects/PROJECT_ID/serviceAccounts/EMAIL.
func EmailOrName() validator.String {
	return stringcheck.Check{
		Summary: "Invalid service account",
		Desc:    "value must be a service account email or projects/PROJECT_ID/serviceAccounts/EMAIL",
		MarkdownDesc: "value must be a service account email such as `invoker@PROJECT_ID.iam.gserviceaccount.com` " +
			"or `projects/PROJECT_ID/serviceAccounts/EMAIL`",
		Fn: func(s string) error {
			_, email, err := gcpnames.ParseServiceAccountID(s, "")
			if err != nil {
				return err
			}
			if !strings.HasSuffix(s, email) {
				return fmt.Errorf("service account %q must be lower-case; write %q", s, strings.TrimSuffix(s, s[len(s)-len(email):])+email)
			}
			return nil
		},
	}
}
