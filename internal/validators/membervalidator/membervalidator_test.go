package membervalidator

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/validatortest"
)

func TestValid(t *testing.T) {
	const summary = "Invalid IAM member"
	validatortest.Describes(t, Valid())
	validatortest.Run(t, Valid(), []validatortest.Case{
		{Name: "service account", Value: types.StringValue("serviceAccount:invoker@demo-project.iam.gserviceaccount.com")},
		{Name: "service agent", Value: types.StringValue("serviceAccount:service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com")},
		{Name: "user", Value: types.StringValue("user:jane@example.com")},
		{Name: "group", Value: types.StringValue("group:ops@example.com")},
		{Name: "domain", Value: types.StringValue("domain:example.com")},
		{Name: "allUsers", Value: types.StringValue("allUsers")},
		{Name: "principalSet", Value: types.StringValue("principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/*")},
		{Name: "null is skipped", Value: types.StringNull()},
		{Name: "unknown is skipped", Value: types.StringUnknown()},
		{Name: "no kind", Value: types.StringValue("invoker@demo-project.iam.gserviceaccount.com"),
			WantSummary: summary, WantDetail: `write "serviceAccount:invoker@demo-project.iam.gserviceaccount.com"`},
		{Name: "upper-case email", Value: types.StringValue("user:Jane@Example.com"),
			WantSummary: summary, WantDetail: `write "user:jane@example.com" so plans stay clean`},
		{Name: "wrong-case kind", Value: types.StringValue("serviceaccount:a-sa@p.iam.gserviceaccount.com"),
			WantSummary: summary, WantDetail: "case-sensitive"},
		{Name: "service account kind for a person", Value: types.StringValue("serviceAccount:jane@example.com"),
			WantSummary: summary, WantDetail: "is not a service account email"},
		{Name: "user kind for a service account", Value: types.StringValue("user:invoker@demo-project.iam.gserviceaccount.com"),
			WantSummary: summary, WantDetail: `write "serviceAccount:invoker@demo-project.iam.gserviceaccount.com"`},
		{Name: "deleted", Value: types.StringValue("deleted:serviceAccount:a-sa@p.iam.gserviceaccount.com?uid=123"),
			WantSummary: summary, WantDetail: "names a deleted identity"},
		{Name: "empty", Value: types.StringValue(""),
			WantSummary: summary, WantDetail: "member is empty"},
	})
}
