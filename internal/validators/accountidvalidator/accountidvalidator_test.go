package accountidvalidator

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/validatortest"
)

func TestValid(t *testing.T) {
	validatortest.Describes(t, Valid())
	validatortest.Run(t, Valid(), []validatortest.Case{
		{Name: "valid", Value: types.StringValue("scheduler-invoker")},
		{Name: "null is skipped", Value: types.StringNull()},
		{Name: "unknown is skipped", Value: types.StringUnknown()},
		{Name: "too short", Value: types.StringValue("inv"),
			WantSummary: "Invalid service account ID", WantDetail: `account ID "inv" has 3 characters; it must be 6-30 characters`},
		{Name: "email", Value: types.StringValue("invoker@p.iam.gserviceaccount.com"),
			WantSummary: "Invalid service account ID", WantDetail: `use only the part before @ ("invoker")`},
		{Name: "upper case", Value: types.StringValue("Invoker"),
			WantSummary: "Invalid service account ID", WantDetail: "does not start with a lower-case letter"},
	})
}
