package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

func TestAccServiceAgentDataSource(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	check := func(addr, project, email, role string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("project"), knownvalue.StringExact(project)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("project_number"), knownvalue.StringExact("123456789012")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact(email)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("member"), knownvalue.StringExact("serviceAccount:"+email)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("default_role"), knownvalue.StringExact(role)),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: f.Config(`
data "gcpinvoke_service_agent" "scheduler" {
  agent = "cloudscheduler"
}

data "gcpinvoke_service_agent" "workflows" {
  project = "demo-project"
  agent   = "workflows"
}
`),
			ConfigStateChecks: append(
				check("data.gcpinvoke_service_agent.scheduler", "demo-project", testAccSchedulerAgent, "roles/cloudscheduler.serviceAgent"),
				check("data.gcpinvoke_service_agent.workflows", "demo-project",
					"service-123456789012@gcp-sa-workflows.iam.gserviceaccount.com", "roles/workflows.serviceAgent")...),
		}},
	})
}

func TestAccServiceAgentDataSource_errors(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	cases := []struct {
		name, config, want string
	}{
		{"unknown project", f.Config(`
data "gcpinvoke_service_agent" "x" {
  project = "no-such-project"
  agent   = "cloudtasks"
}
`), `(?s)Project not found.*"no-such-project"`},
		{"unknown agent", testAccNoCredentialsProvider + `
data "gcpinvoke_service_agent" "x" {
  agent = "pubsub"
}
`, `(?s)value must be one of:.*"cloudscheduler".*got: "pubsub"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps:                    []resource.TestStep{{Config: tc.config, ExpectError: regexp.MustCompile(tc.want)}},
			})
		})
	}
}
