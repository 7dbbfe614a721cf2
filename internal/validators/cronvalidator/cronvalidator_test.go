package cronvalidator

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/validatortest"
)

func TestValid(t *testing.T) {
	validatortest.Describes(t, Valid())
	validatortest.Run(t, Valid(), []validatortest.Case{
		{Name: "weekdays", Value: types.StringValue("0 9 * * MON-FRI")},
		{Name: "every five minutes", Value: types.StringValue("*/5 * * * *")},
		{Name: "null is skipped", Value: types.StringNull()},
		{Name: "unknown is skipped", Value: types.StringUnknown()},
		{Name: "hour out of range", Value: types.StringValue("0 25 * * *"),
			WantSummary: "Invalid cron schedule", WantDetail: "field 2 (hour) value 25 is out of range 0-23. Write five fields"},
		{Name: "seconds field", Value: types.StringValue("0 0 9 * * *"),
			WantSummary: "Invalid cron schedule", WantDetail: "Cloud Scheduler has no seconds field"},
		{Name: "empty", Value: types.StringValue(""),
			WantSummary: "Invalid cron schedule", WantDetail: "has 0 fields, want 5"},
	})
}
