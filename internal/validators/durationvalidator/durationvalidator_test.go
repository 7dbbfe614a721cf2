package durationvalidator

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/validatortest"
)

func TestValid(t *testing.T) {
	validatortest.Describes(t, Valid())
	validatortest.Run(t, Valid(), []validatortest.Case{
		{Name: "seconds", Value: types.StringValue("180s")},
		{Name: "go style", Value: types.StringValue("1h30m")},
		{Name: "null is skipped", Value: types.StringNull()},
		{Name: "unknown is skipped", Value: types.StringUnknown()},
		{Name: "no unit", Value: types.StringValue("30"),
			WantSummary: "Invalid duration", WantDetail: `(add a unit: "30s")`},
	})
}

func TestBetween(t *testing.T) {
	v := Between(15*time.Second, 30*time.Minute) // Cloud Scheduler attempt_deadline
	validatortest.Describes(t, v)
	validatortest.Run(t, v, []validatortest.Case{
		{Name: "lower bound", Value: types.StringValue("15s")},
		{Name: "upper bound go style", Value: types.StringValue("30m")},
		{Name: "upper bound seconds", Value: types.StringValue("1800s")},
		{Name: "default 180s", Value: types.StringValue("180s")},
		{Name: "unknown is skipped", Value: types.StringUnknown()},
		{Name: "too short", Value: types.StringValue("10s"),
			WantSummary: "Invalid duration", WantDetail: `duration "10s" (10s) is outside the allowed range 15s to 30m; write a value from 15s to 1800s`},
		{Name: "too long", Value: types.StringValue("1h"),
			WantSummary: "Invalid duration", WantDetail: "(1h) is outside the allowed range 15s to 30m"},
		{Name: "just over", Value: types.StringValue("1800.5s"),
			WantSummary: "Invalid duration", WantDetail: "(1800.5s) is outside"},
		{Name: "garbage", Value: types.StringValue("soon"),
			WantSummary: "Invalid duration", WantDetail: `"soon" is not a duration`},
	})
}
