package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// TestAccFunctions_inConfig calls the provider-defined functions from a
// configuration through Terraform, with no credentials and no API.
func TestAccFunctions_inConfig(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: testAccNoCredentialsProvider + `
output "agent" {
  value = provider::gcpinvoke::service_agent_email("123456789012", "cloudtasks")
}

output "audience" {
  value = provider::gcpinvoke::oidc_audience("https://hello-abc-uc.a.run.app/tasks?x=1")
}

output "member" {
  value = provider::gcpinvoke::member("serviceAccount", "Invoker@demo-project.iam.gserviceaccount.com")
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("agent", knownvalue.StringExact(testAccTasksAgent)),
					statecheck.ExpectKnownOutputValue("audience", knownvalue.StringExact("https://hello-abc-uc.a.run.app")),
					statecheck.ExpectKnownOutputValue("member", knownvalue.StringExact("serviceAccount:invoker@demo-project.iam.gserviceaccount.com")),
				},
			},
			{
				Config: testAccNoCredentialsProvider + `
output "agent" {
  value = provider::gcpinvoke::service_agent_email("demo-project", "cloudtasks")
}
`,
				ExpectError: regexp.MustCompile(`(?s)project_number.*must contain only digits`),
			},
		},
	})
}
