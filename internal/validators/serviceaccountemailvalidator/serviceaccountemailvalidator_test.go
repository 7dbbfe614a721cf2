package serviceaccountemailvalidator

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/validatortest"
)

func TestValid(t *testing.T) {
	validatortest.Describes(t, Valid())
	validatortest.Run(t, Valid(), []validatortest.Case{
		{Name: "user managed", Value: types.StringValue("invoker@demo-project.iam.gserviceaccount.com")},
		{Name: "default compute", Value: types.StringValue("123456789012-compute@developer.gserviceaccount.com")},
		{Name: "null is skipped", Value: types.StringNull()},
		{Name: "unknown is skipped", Value: types.StringUnknown()},
		{Name: "account id only", Value: types.StringValue("invoker"),
			WantSummary: "Invalid service account email", WantDetail: `looks like an account ID; write the email, e.g. "invoker@PROJECT_ID.iam.gserviceaccount.com"`},
		{Name: "person", Value: types.StringValue("jane@example.com"),
			WantSummary: "Invalid service account email", WantDetail: "is not a service account email"},
		{Name: "upper case", Value: types.StringValue("Invoker@demo-project.iam.gserviceaccount.com"),
			WantSummary: "Invalid service account email", WantDetail: `write "invoker@demo-project.iam.gserviceaccount.com"`},
		{Name: "resource name", Value: types.StringValue("projects/p/serviceAccounts/invoker@p.iam.gserviceaccount.com"),
			WantSummary: "Invalid service account email", WantDetail: `is a resource name; write only the email "invoker@p.iam.gserviceaccount.com"`},
	})
}

func TestEmailOrName(t *testing.T) {
	v := EmailOrName()
	validatortest.Describes(t, v)
	validatortest.Run(t, v, []validatortest.Case{
		{Name: "email", Value: types.StringValue("invoker@demo-project.iam.gserviceaccount.com")},
		{Name: "resource name", Value: types.StringValue("projects/demo-project/serviceAccounts/invoker@demo-project.iam.gserviceaccount.com")},
		{Name: "wildcard project", Value: types.StringValue("projects/-/serviceAccounts/invoker@demo-project.iam.gserviceaccount.com")},
		{Name: "unknown is skipped", Value: types.StringUnknown()},
		{Name: "upper case in name", Value: types.StringValue("projects/p/serviceAccounts/Invoker@p.iam.gserviceaccount.com"),
			WantSummary: "Invalid service account", WantDetail: `write "projects/p/serviceAccounts/invoker@p.iam.gserviceaccount.com"`},
		{Name: "project mismatch", Value: types.StringValue("projects/other/serviceAccounts/invoker@p.iam.gserviceaccount.com"),
			WantSummary: "Invalid service account", WantDetail: `the email belongs to project "p", not "other"`},
		{Name: "wrong collection", Value: types.StringValue("projects/p/accounts/invoker@p.iam.gserviceaccount.com"),
			WantSummary: "Invalid service account", WantDetail: "does not match projects/{project}/serviceAccounts/{email}"},
	})
}
