package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// The README's main example, applied as it is shipped (only emulator_host
// set through its variable), works: the job it creates runs and the service
// sees the example's service account as the caller. The project has no
// project-level grant to the Scheduler agent, so impersonation comes from
// the example alone. Not parallel: the example's required_providers names
// the gcpinvoke/gcpinvoke source, which the test harness serves only under
// the namespace set in the environment.
func TestAccExample_schedulerToCloudRun(t *testing.T) {
	seed := emulator.DefaultSeed()
	seed.Projects[0].WithoutServiceAgentGrants = true
	f := testAccEmulator(t, emulator.Options{Seed: seed})
	t.Setenv(resource.EnvTfAccProviderNamespace, "gcpinvoke")
	const email = "scheduler-invoker@demo-project.iam.gserviceaccount.com"
	managed := []string{
		"gcpinvoke_service_account.invoker",
		"gcpinvoke_run_service_iam_member.invoker",
		"gcpinvoke_service_agent_impersonation.scheduler",
		"gcpinvoke_scheduler_job.call",
	}
	var noChanges []plancheck.PlanCheck
	for _, addr := range managed {
		noChanges = append(noChanges, plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop))
	}
	resource.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			// The example's terraform block declares the provider, so the
			// harness takes the factories at step level.
			ProtoV6ProviderFactories: testAccProviders,
			ConfigDirectory:          config.StaticDirectory("../../examples/scheduler-to-cloud-run"),
			ConfigVariables:          config.Variables{"emulator_host": config.StringVariable(f.Host)},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("invoker_email", knownvalue.StringExact(email)),
				statecheck.ExpectKnownOutputValue("job_id", knownvalue.StringExact(testAccJobName("call-hello"))),
			},
			Check: resource.ComposeTestCheckFunc(
				testAccCheckPolicy(f, testAccHelloService, runInvokerRole, []string{"serviceAccount:" + email}, nil),
				testAccExpectRun(t, f, "call-hello", 200, email),
			),
			// The check block's data source is read on every plan, so the
			// plan is never empty; the managed resources must not change.
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks:   resource.ConfigPlanChecks{PostApplyPostRefresh: noChanges},
		}},
	})
}
