package setup

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/chain"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
)

const (
	project = gcpinvoketesting.Project
	region  = gcpinvoketesting.Location
	saEmail = "invoker@demo-project.iam.gserviceaccount.com"
)

type fixture struct {
	fx  *gcpinvoketesting.Fixture
	env Env
}

func start(t *testing.T, noAgentGrants bool) *fixture {
	t.Helper()
	seed := emulator.DefaultSeed()
	seed.Projects[0].WithoutServiceAgentGrants = noAgentGrants
	fx := gcpinvoketesting.StartEmulator(t, emulator.Options{Seed: seed})
	return &fixture{fx: fx, env: newEnv(t, fx.Host)}
}

// newEnv builds a fresh client and engine (no cache shared with earlier runs,
// as a new CLI process would).
func newEnv(t *testing.T, host string) Env {
	t.Helper()
	c, err := gcpclient.New(gcpclient.Config{EmulatorHost: host})
	if err != nil {
		t.Fatal(err)
	}
	return Env{Client: c, Engine: iamengine.New(iamengine.Options{})}
}

func (f *fixture) run(t *testing.T, cfg Config, apply bool) (Report, string) {
	t.Helper()
	s, err := New(context.Background(), newEnv(t, f.fx.Host), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var out bytes.Buffer
	rep, err := s.Run(context.Background(), &out, apply)
	if err != nil {
		t.Fatalf("Run(apply=%v): %v\n%s", apply, err, out.String())
	}
	return rep, out.String()
}

// writes counts the mutating calls the emulator saw.
func writes(f *fixture) int {
	n := 0
	for k, v := range f.fx.Calls() {
		for _, m := range []string{".create", ".setIamPolicy", ".patch", ".delete"} {
			if strings.HasSuffix(k, m) {
				n += v
			}
		}
	}
	return n
}

func runConfig() Config {
	return Config{Walkthrough: SchedulerToRun, Project: project, Location: region, Service: "hello", ServiceAccount: "invoker", Schedule: "*/5 * * * *"}
}

func TestSetupDryRunApplyIdempotent(t *testing.T) {
	t.Parallel()
	f := start(t, false)

	rep, out := f.run(t, runConfig(), false)
	for _, want := range []string{
		"[missing] service account " + saEmail + " exists",
		"[ok]      Cloud Scheduler service agent may mint tokens for " + saEmail + " (roles/cloudscheduler.serviceAgent on project demo-project)",
		"[missing] " + saEmail + " holds roles/run.invoker on projects/demo-project/locations/us-central1/services/hello",
		"[missing] Cloud Scheduler job projects/demo-project/locations/us-central1/jobs/invoke-hello calls http://hello-",
		"3 of 4 steps to do. Run again with --apply",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if rep.Missing != 3 || rep.Applied != 0 {
		t.Errorf("dry run report = %+v", rep)
	}
	if n := writes(f); n != 0 {
		t.Fatalf("dry run made %d writes: %v", n, f.fx.Calls())
	}

	rep, out = f.run(t, runConfig(), true)
	if rep.Applied != 3 || strings.Count(out, "  done\n") != 3 {
		t.Fatalf("apply report = %+v:\n%s", rep, out)
	}
	if !strings.Contains(out, "Applied 3 of 4 steps") {
		t.Errorf("apply output:\n%s", out)
	}

	f.fx.ResetCalls()
	rep, out = f.run(t, runConfig(), true)
	if rep.Missing != 0 || rep.Applied != 0 || !strings.Contains(out, "Nothing to do: all 4 steps are in place.") {
		t.Fatalf("second apply = %+v:\n%s", rep, out)
	}
	if n := writes(f); n != 0 {
		t.Fatalf("second apply made %d writes: %v", n, f.fx.Calls())
	}

	// What setup built works end to end: the chain check finds nothing
	// and a token of the account gets through (200).
	assertChainWorks(t, f, chain.Input{Caller: "cloudscheduler", ServiceAccount: saEmail, RunService: "projects/demo-project/locations/us-central1/services/hello"})
}

func assertChainWorks(t *testing.T, f *fixture, in chain.Input) {
	t.Helper()
	env := newEnv(t, f.fx.Host)
	in.Probe = true
	res, err := (&chain.Checker{Client: env.Client, Engine: env.Engine}).Check(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK || len(res.Findings) != 0 || res.Probe.StatusCode != 200 {
		t.Fatalf("chain after setup: ok=%v probe=%+v findings=%+v", res.OK, res.Probe, res.Findings)
	}
}

func TestSetupWalkthroughs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		noAgentGrants bool
		cfg           Config
		steps         int
		chain         chain.Input
	}{
		{"gen1 function", false,
			Config{Walkthrough: SchedulerToFunction, Project: project, Location: region, Function: "legacy-fn", ServiceAccount: "invoker"}, 4,
			chain.Input{Caller: "cloudscheduler", ServiceAccount: saEmail, Function: "projects/demo-project/locations/us-central1/functions/legacy-fn"}},
		{"gen2 function without project-level agent grant", true,
			Config{Walkthrough: SchedulerToFunction, Project: project, Location: region, Function: "hello-fn", ServiceAccount: "invoker"}, 4,
			chain.Input{Caller: "cloudscheduler", ServiceAccount: saEmail, Function: "projects/demo-project/locations/us-central1/functions/hello-fn"}},
		{"oauth to a Google API", false,
			Config{Walkthrough: OAuthToGoogleAPI, Project: project, Location: region, URI: "https://cloudbuild.googleapis.com/v1/projects/demo-project/triggers/nightly:run", ServiceAccount: "invoker", Job: "nightly-build"}, 3,
			chain.Input{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := start(t, tc.noAgentGrants)
			rep, out := f.run(t, tc.cfg, true)
			if rep.InPlace+rep.Missing != tc.steps {
				t.Fatalf("steps = %+v, want %d:\n%s", rep, tc.steps, out)
			}
			wantApplied := tc.steps - 1 // impersonation is in place through the project grant
			if tc.noAgentGrants {
				wantApplied = tc.steps
			}
			if rep.Applied != wantApplied {
				t.Fatalf("applied %d, want %d:\n%s", rep.Applied, wantApplied, out)
			}
			rep, out = f.run(t, tc.cfg, false)
			if rep.Missing != 0 {
				t.Fatalf("dry run after apply still has missing steps:\n%s", out)
			}
			if tc.chain.Caller != "" {
				assertChainWorks(t, f, tc.chain)
			}
		})
	}
}

func TestSetupUpdatesDifferingJob(t *testing.T) {
	t.Parallel()
	f := start(t, false)
	f.run(t, runConfig(), true)
	cfg := runConfig()
	cfg.Schedule = "0 3 * * *"
	rep, out := f.run(t, cfg, false)
	if rep.Missing != 1 || !strings.Contains(out, `[differs] Cloud Scheduler job`) || !strings.Contains(out, `schedule "*/5 * * * *", want "0 3 * * *"`) {
		t.Fatalf("dry run with a new schedule:\n%s", out)
	}
	f.run(t, cfg, true)
	if rep, out := f.run(t, cfg, false); rep.Missing != 0 {
		t.Fatalf("after update:\n%s", out)
	}
	if f.fx.Calls()["cloudscheduler.jobs.patch"] != 1 {
		t.Errorf("patch calls = %d, want 1", f.fx.Calls()["cloudscheduler.jobs.patch"])
	}
}

func TestSetupTerraform(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		noAgentGrants bool
		apply         bool
		want, notWant []string
	}{
		{
			name: "after apply, impersonation through the project", apply: true,
			want: []string{
				"source = \"gcpinvoke/gcpinvoke\"",
				"import {\n  to = gcpinvoke_service_account.invoker\n  id = \"" + saEmail + "\"\n}",
				"# The Cloud Scheduler service agent already holds roles/cloudscheduler.serviceAgent on project demo-project,",
				"id = \"projects/demo-project/locations/us-central1/services/hello roles/run.invoker serviceAccount:" + saEmail + "\"",
				"member   = gcpinvoke_service_account.invoker.member",
				"id = \"projects/demo-project/locations/us-central1/jobs/invoke-hello\"",
				"service_account_email = gcpinvoke_service_account.invoker.email",
				"schedule         = \"*/5 * * * *\"",
			},
			notWant: []string{"emulator_host", "to = gcpinvoke_service_agent_impersonation"},
		},
		{
			name: "after apply, impersonation on the account", noAgentGrants: true, apply: true,
			want: []string{"import {\n  to = gcpinvoke_service_agent_impersonation.cloudscheduler\n  id = \"" + saEmail + " cloudscheduler\"\n}"},
		},
		{
			name: "before apply: nothing to import", apply: false,
			want:    []string{"resource \"gcpinvoke_service_account\" \"invoker\"", "resource \"gcpinvoke_scheduler_job\" \"invoke_hello\""},
			notWant: []string{"import {"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := start(t, tc.noAgentGrants)
			if tc.apply {
				f.run(t, runConfig(), true)
			}
			s, err := New(context.Background(), newEnv(t, f.fx.Host), runConfig())
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			path, err := s.EmitTerraform(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			text := string(data)
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("main.tf lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(text, w) {
					t.Errorf("main.tf has %q:\n%s", w, text)
				}
			}
			if _, err := s.EmitTerraform(context.Background(), dir); err != nil {
				t.Errorf("rewriting its own main.tf: %v", err)
			}
			other := t.TempDir()
			if err := os.WriteFile(filepath.Join(other, "main.tf"), []byte("# mine\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := s.EmitTerraform(context.Background(), other); err == nil {
				t.Error("overwrote a main.tf setup did not write")
			}
		})
	}
}

func TestSetupConfigErrors(t *testing.T) {
	t.Parallel()
	f := start(t, false)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"unknown walkthrough", Config{Walkthrough: "x"}, `unknown walkthrough "x"`},
		{"missing flags", Config{Walkthrough: SchedulerToRun}, "needs --project, --location, --service-account, --service"},
		{"oauth to non-Google", Config{Walkthrough: OAuthToGoogleAPI, Project: project, Location: region, ServiceAccount: "invoker", Job: "j1", URI: "https://example.com"}, "not a Google API URL"},
		{"bad account id", Config{Walkthrough: SchedulerToRun, Project: project, Location: region, Service: "hello", ServiceAccount: "X"}, "--service-account"},
		{"no such service", Config{Walkthrough: SchedulerToRun, Project: project, Location: region, Service: "nope", ServiceAccount: "invoker"}, "deploy it first"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(context.Background(), f.env, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
