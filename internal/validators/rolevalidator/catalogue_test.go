package rolevalidator

import (
	"strings"
	"testing"
)

func TestCheckPredefined(t *testing.T) {
	tests := []struct {
		role string
		want string // substring of the error; "" : valid
	}{
		{"roles/run.invoker", ""},
		{"roles/run.servicesInvoker", ""},
		{"roles/cloudfunctions.invoker", ""},
		{"roles/iam.serviceAccountTokenCreator", ""},
		{"roles/iam.serviceAccountOpenIdTokenCreator", ""},
		{"roles/cloudscheduler.jobRunner", ""},
		{"roles/cloudtasks.enqueuer", ""},
		{"roles/workflows.invoker", ""},
		{"roles/viewer", ""},
		{"roles/browser", ""},
		{"projects/demo-project/roles/myInvoker", ""},
		{"organizations/123/roles/run.invokr", ""}, // custom roles are any name
		{"roles/pubsub.publisher", ""},             // service not catalogued: not judged
		{"roles/storage.objectViewer", ""},
		{"roles/run.invokr", `did you mean "roles/run.invoker"`},
		{"roles/run.Invoker", `did you mean "roles/run.invoker"`},
		{"roles/cloudfunctions.invokers", `did you mean "roles/cloudfunctions.invoker"`},
		{"roles/iam.serviceAccountTokenCreater", `did you mean "roles/iam.serviceAccountTokenCreator"`},
		{"roles/iam.serviceAccountOidcTokenCreator", `did you mean "roles/iam.serviceAccountOpenIdTokenCreator"`},
		{"roles/cloudscheduler.jobrunner", `did you mean "roles/cloudscheduler.jobRunner"`},
		{"roles/workflow.invoker", `did you mean "roles/workflows.invoker"`}, // near miss of an uncatalogued prefix
		{"roles/cloudfunction.invoker", `did you mean "roles/cloudfunctions.invoker"`},
		{"roles/viewr", `did you mean "roles/viewer"`},
		{"roles/run.superuser", `not a predefined role of roles/run.*`},
		{"roles/superuser", "not a predefined role of the basic roles"},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			err := CheckPredefined(tt.role)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("want valid, got %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("want error containing %q, got %v", tt.want, err)
			}
		})
	}
}

// Every role a kind offers is in the catalogue.
func TestKindRolesAreCatalogued(t *testing.T) {
	for _, list := range [][]string{RunServiceRoles, FunctionRoles, ServiceAccountRoles} {
		for _, r := range list {
			if err := CheckPredefined(r); err != nil {
				t.Errorf("%s: %v", r, err)
			}
		}
	}
}
