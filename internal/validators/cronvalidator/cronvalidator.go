// Package cronvalidator validates unix-cron schedules as Cloud Scheduler accepts them.
package cronvalidator

import (
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/cron"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/stringcheck"
)

// Valid returns a validator for a five-field unix-cron schedule
// ("minute hour day-of-month month day-of-week").
func Valid() validator.String {
	return stringcheck.Check{
		Summary:      "Invalid cron schedule",
		Desc:         "value must be a unix-cron schedule with five fields: minute hour day-of-month month day-of-week",
		MarkdownDesc: "value must be a unix-cron schedule with five fields: `minute hour day-of-month month day-of-week`, e.g. `0 9 * * MON-FRI`",
		Hint:         "Write five fields: minute hour day-of-month month day-of-week, e.g. \"0 9 * * MON-FRI\"",
		Fn: func(s string) error {
			_, err := cron.Parse(s)
			return err
		},
	}
}
