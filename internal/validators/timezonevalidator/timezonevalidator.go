// Package timezonevalidator validates IANA time zone names.
package timezonevalidator

import (
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/cron"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/stringcheck"
)

// Valid returns a validator for an IANA time zone name such as "Europe/Berlin".
func Valid() validator.String {
	return stringcheck.Check{
		Summary:      "Invalid time zone",
		Desc:         "value must be an IANA time zone name such as Europe/Berlin or Etc/UTC",
		MarkdownDesc: "value must be an IANA time zone name such as `Europe/Berlin` or `Etc/UTC`",
		Fn: func(s string) error {
			_, err := cron.LoadTimeZone(s)
			return err
		},
	}
}
