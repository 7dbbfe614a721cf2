package rolevalidator

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/validatortest"
)

func TestValid(t *testing.T) {
	validatortest.Describes(t, Valid())
	validatortest.Run(t, Valid(), []validatortest.Case{
		{Name: "predefined", Value: types.StringValue("roles/run.invoker")},
		{Name: "project custom", Value: types.StringValue("projects/demo-project/roles/myInvoker")},
		{Name: "organization custom", Value: types.StringValue("organizations/1234/roles/my_invoker")},
		{Name: "null is skipped", Value: types.StringNull()},
		{Name: "unknown is skipped", Value: types.StringUnknown()},
		{Name: "missing prefix", Value: types.StringValue("run.invoker"),
			WantSummary: "Invalid IAM role", WantDetail: "roles/run.invoker"},
		{Name: "wrong collection", Value: types.StringValue("folders/1/roles/x"),
			WantSummary: "Invalid IAM role", WantDetail: "organizations/ORG/roles/NAME"},
		{Name: "empty", Value: types.StringValue(""),
			WantSummary: "Invalid IAM role", WantDetail: "role is empty"},
		{Name: "typo in a catalogued role", Value: types.StringValue("roles/run.invokr"),
			WantSummary: "Invalid IAM role", WantDetail: `did you mean "roles/run.invoker"`},
		{Name: "uncatalogued service passes", Value: types.StringValue("roles/pubsub.publisher")},
	})
}
