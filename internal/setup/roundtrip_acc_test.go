package setup

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"google.golang.org/api/cloudscheduler/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/provider"
)

// expectOnlyImports fails unless every resource change of the plan is an
// import that changes nothing.
type expectOnlyImports struct{ want int }

func (e expectOnlyImports) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	n := 0
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Mode != "managed" {
			continue
		}
		n++
		if rc.Change.Importing == nil || !rc.Change.Actions.NoOp() {
			resp.Error = fmt.Errorf("%s: actions %v, importing %v; want an import that changes nothing (before %v, after %v)",
				rc.Address, rc.Change.Actions, rc.Change.Importing != nil, rc.Change.Before, rc.Change.After)
			return
		}
	}
	if n != e.want {
		resp.Error = fmt.Errorf("%d resource changes, want %d imports", n, e.want)
	}
}

// The Terraform `setup --emit-terraform` writes adopts a job with every
// setting set — headers, body, retry_config, time zone, attempt deadline,
// description, paused; strings with quotes, `${`, `%{` and newlines — as
// it is: `terraform plan` in the directory shows only imports and no change,
// and after `terraform apply` the next plan is empty. Runs the real
// Terraform CLI against the emulator.
func TestEmittedTerraformAdoptsEverySetting(t *testing.T) {
	f := start(t, true)
	f.run(t, runConfig(), true)

	ctx := context.Background()
	sched, err := f.env.Client.Scheduler(ctx)
	if err != nil {
		t.Fatal(err)
	}
	name := "projects/demo-project/locations/us-central1/jobs/invoke-hello"
	job, err := sched.Projects.Locations.Jobs.Get(name).Do()
	if err != nil {
		t.Fatal(err)
	}
	ht := job.HttpTarget
	ht.Headers = map[string]string{"Content-Type": "application/json", "X-Note": `say "hi" ${not_a_ref} %{not_a_directive}`}
	ht.Body = base64.StdEncoding.EncodeToString([]byte("{\"k\": \"${v}\",\n \"tab\": \"\t\"}"))
	patch := &cloudscheduler.Job{
		Name:            name,
		Description:     "Nightly \"export\" of ${bucket} — %{ if x }\nline two",
		TimeZone:        "Europe/Paris",
		AttemptDeadline: "320s",
		RetryConfig: &cloudscheduler.RetryConfig{RetryCount: 3, MaxRetryDuration: "600s", MinBackoffDuration: "10s",
			MaxBackoffDuration: "300s", MaxDoublings: 2},
		HttpTarget: ht,
	}
	if _, err := sched.Projects.Locations.Jobs.Patch(name, patch).
		UpdateMask("description,timeZone,attemptDeadline,retryConfig,httpTarget").Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := sched.Projects.Locations.Jobs.Pause(name, &cloudscheduler.PauseJobRequest{}).Do(); err != nil {
		t.Fatal(err)
	}

	cfg := runConfig()
	cfg.Schedule, cfg.TimeZone = "", "Europe/Paris" // keep the job's schedule and zone
	s, err := New(ctx, newEnv(t, f.fx.Host), cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "chain")
	if _, err := s.EmitTerraform(ctx, dir); err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(filepath.Join(dir, "main.tf"))
	t.Logf("emitted main.tf:\n%s", text)

	t.Setenv("TF_ACC", "1")
	t.Setenv("CHECKPOINT_DISABLE", "1")
	t.Setenv("GCPINVOKE_EMULATOR_HOST", f.fx.Host)
	t.Setenv(resource.EnvTfAccProviderNamespace, "gcpinvoke")
	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"gcpinvoke": providerserver.NewProtocol6WithError(provider.New("test")()),
	}
	resource.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			ProtoV6ProviderFactories: factories,
			ConfigDirectory:          config.StaticDirectory(dir),
			// Service account, invoker binding, impersonation, job.
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectOnlyImports{want: 4}}},
			// After the apply, the harness's own plan must be empty.
		}},
	})
}
