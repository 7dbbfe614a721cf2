package conditionvalidator

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/validatortest"
)

func TestCEL(t *testing.T) {
	validatortest.Describes(t, CEL())
	validatortest.Run(t, CEL(), []validatortest.Case{
		{Name: "time bound", Value: types.StringValue(`request.time < timestamp("2030-01-01T00:00:00Z")`)},
		{Name: "resource name prefix", Value: types.StringValue(`resource.name.startsWith("projects/demo-project/locations/us-central1/services/")`)},
		{Name: "combined", Value: types.StringValue(`request.time.getHours("Europe/Berlin") >= 9 && request.time.getHours("Europe/Berlin") < 17`)},
		{Name: "null is skipped", Value: types.StringNull()},
		{Name: "unknown is skipped", Value: types.StringUnknown()},
		{Name: "truncated", Value: types.StringValue(`request.time < `),
			WantSummary: "Invalid IAM condition expression", WantDetail: "is not a valid CEL expression"},
		{Name: "unbalanced parenthesis", Value: types.StringValue(`request.time < timestamp("2030-01-01T00:00:00Z"`),
			WantSummary: "Invalid IAM condition expression", WantDetail: "is not a valid CEL expression"},
		{Name: "single equals", Value: types.StringValue(`resource.type = "run.googleapis.com/Service"`),
			WantSummary: "Invalid IAM condition expression", WantDetail: "is not a valid CEL expression"},
		{Name: "blank", Value: types.StringValue("  "),
			WantSummary: "Invalid IAM condition expression", WantDetail: "no expression"},
	})
}
