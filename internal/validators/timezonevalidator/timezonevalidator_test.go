package timezonevalidator

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/validatortest"
)

func TestValid(t *testing.T) {
	validatortest.Describes(t, Valid())
	validatortest.Run(t, Valid(), []validatortest.Case{
		{Name: "Berlin", Value: types.StringValue("Europe/Berlin")},
		{Name: "UTC", Value: types.StringValue("UTC")},
		{Name: "null is skipped", Value: types.StringNull()},
		{Name: "unknown is skipped", Value: types.StringUnknown()},
		{Name: "wrong case", Value: types.StringValue("europe/berlin"),
			WantSummary: "Invalid time zone", WantDetail: `did you mean "Europe/Berlin"?`},
		{Name: "Local", Value: types.StringValue("Local"),
			WantSummary: "Invalid time zone", WantDetail: "depends on the machine"},
		{Name: "empty", Value: types.StringValue(""),
			WantSummary: "Invalid time zone", WantDetail: "time zone is empty"},
	})
}
