package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

func startSetupEmulator(t *testing.T, noAgentGrants bool) *gcpinvoketesting.Fixture {
	t.Helper()
	seed := emulator.DefaultSeed()
	seed.Projects[0].WithoutServiceAgentGrants = noAgentGrants
	return gcpinvoketesting.StartEmulator(t, emulator.Options{Seed: seed})
}

func TestSetupCommand(t *testing.T) {
	t.Parallel()
	fx := startSetupEmulator(t, false)
	base := []string{"setup", "scheduler-to-run", "--emulator-host", fx.Host, "--project", "demo-project", "--location", "us-central1", "--service", "hello", "--service-account", "invoker"}
	steps := []struct {
		name    string
		extra   []string
		want    []string
		notWant []string
	}{
		{"dry run", nil,
			[]string{"dry run, nothing is changed", "[missing] service account invoker@demo-project.iam.gserviceaccount.com exists", "3 of 4 steps to do"},
			[]string{"applying step"}},
		{"apply", []string{"--apply"},
			[]string{"applying step 1/4", "applying step 3/4", "applying step 4/4", "Applied 3 of 4 steps"}, nil},
		{"apply again", []string{"--apply"},
			[]string{"Nothing to do: all 4 steps are in place."}, []string{"applying step"}},
	}
	for _, s := range steps {
		code, out, errOut := runCLI(t, append(append([]string{}, base...), s.extra...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", s.name, code, out, errOut)
		}
		for _, w := range s.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", s.name, w, out)
			}
		}
		for _, w := range s.notWant {
			if strings.Contains(out, w) {
				t.Errorf("%s: output has %q:\n%s", s.name, w, out)
			}
		}
	}
}

func TestSetupCommandErrors(t *testing.T) {
	t.Parallel()
	fx := startSetupEmulator(t, false)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no walkthrough", []string{"setup"}, 2, "want one walkthrough"},
		{"unknown walkthrough", []string{"setup", "nope", "--emulator-host", fx.Host}, 2, `unknown walkthrough "nope"`},
		{"missing flags", []string{"setup", "scheduler-to-run", "--emulator-host", fx.Host}, 2, "needs --project"},
		{"bad emulator host", []string{"setup", "scheduler-to-run", "--emulator-host", "nohost"}, 2, "emulator host"},
		{"service does not exist", []string{"setup", "scheduler-to-run", "--emulator-host", fx.Host, "--project", "demo-project",
			"--location", "us-central1", "--service", "ghost", "--service-account", "invoker"}, 1, "deploy it first"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d (want %d), stderr:\n%s\nwant it to contain %q", code, tc.code, errOut, tc.want)
			}
		})
	}
}

// Errors that are not Google's answer are headlined with what failed, not
// "Request failed"; a job of another chain is not repointed without --force.
func TestSetupCommandLocalErrors(t *testing.T) {
	t.Parallel()
	fx := startSetupEmulator(t, false)
	base := []string{"setup", "scheduler-to-run", "--emulator-host", fx.Host, "--project", "demo-project",
		"--location", "us-central1", "--service", "hello"}
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := runCLI(t, append(base, "--service-account", "someone-else", "--apply")...); code != 0 {
		t.Fatal("setting up the other chain failed")
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"emit into a file", append(append([]string{}, base...), "--service-account", "someone-else", "--emit-terraform", filepath.Join(file, "tf")),
			"gcpinvoke setup: cannot write Terraform to " + filepath.Join(file, "tf") + ": not a directory\n"},
		{"someone else's job", append(append([]string{}, base...), "--service-account", "invoker", "--apply"),
			"gcpinvoke setup: Cloud Scheduler job projects/demo-project/locations/us-central1/jobs/invoke-hello already exists and acts as someone-else@demo-project.iam.gserviceaccount.com; setup would change: OIDC token settings differ. Pass --force"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != 1 || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "Request failed") {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit 1 and %q\nstdout:\n%s", code, errOut, tc.want, out)
			}
		})
	}
}

var (
	providerOnce sync.Once
	providerDir  string
	providerErr  error
)

// buildProvider builds the provider binary once for the test run.
func buildProvider(t *testing.T) string {
	t.Helper()
	providerOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gcpinvoke-provider-")
		if err != nil {
			providerErr = err
			return
		}
		goTool := filepath.Join(runtime.GOROOT(), "bin", "go") //nolint:staticcheck // SA1019: the toolchain running this test is the one wanted here; PATH is the fallback
		if _, err := os.Stat(goTool); err != nil {
			goTool = "go"
		}
		cmd := exec.Command(goTool, "build", "-o", filepath.Join(dir, "terraform-provider-gcpinvoke"), "github.com/gcpinvoke/terraform-provider-gcpinvoke")
		if out, err := cmd.CombinedOutput(); err != nil {
			providerErr = fmt.Errorf("go build of the provider: %v\n%s", err, out)
			return
		}
		providerDir = dir
	})
	if providerErr != nil {
		t.Fatal(providerErr)
	}
	return providerDir
}

// TestSetupEmitTerraformPlanIsEmpty runs setup --apply against an emulator,
// writes the Terraform for it, and runs the real terraform CLI with the
// provider built from this module (dev_overrides): the plan must import
// every resource and change nothing.
func TestSetupEmitTerraformPlanIsEmpty(t *testing.T) {
	gcpinvoketesting.RequireTerraform(t)
	tests := []struct {
		name          string
		noAgentGrants bool
		args          []string
		imports       int
		dryRun        bool // emit without --apply: everything is planned for creation
	}{
		{"scheduler-to-run, impersonation on the account", true,
			[]string{"scheduler-to-run", "--service", "hello", "--schedule", "*/10 * * * *"}, 4, false},
		{"scheduler-to-function gen2, impersonation through the project", false,
			[]string{"scheduler-to-function", "--function", "hello-fn"}, 3, false},
		{"scheduler-to-function gen1", true,
			[]string{"scheduler-to-function", "--function", "legacy-fn"}, 4, false},
		{"oauth-to-google-api", true,
			[]string{"oauth-to-google-api", "--uri", "https://cloudbuild.googleapis.com/v1/projects/demo-project/triggers/t:run", "--job", "nightly"}, 3, false},
		{"dry run: nothing exists, nothing imported", true,
			[]string{"scheduler-to-run", "--service", "hello"}, 4, true},
	}
	bin := buildProvider(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fx := startSetupEmulator(t, tc.noAgentGrants)
			dir := t.TempDir()
			args := append([]string{"setup"}, tc.args...)
			args = append(args, "--emulator-host", fx.Host, "--project", "demo-project", "--location", "us-central1",
				"--service-account", "invoker", "--emit-terraform", dir)
			if !tc.dryRun {
				args = append(args, "--apply")
			}
			if code, out, errOut := runCLI(t, args...); code != 0 {
				t.Fatalf("setup: exit %d\n%s%s", code, out, errOut)
			}
			main, _ := os.ReadFile(filepath.Join(dir, "main.tf"))
			if strings.Contains(string(main), "emulator") && strings.Contains(string(main), "emulator_host") {
				t.Fatalf("main.tf names an emulator_host:\n%s", main)
			}
			changes := terraformPlan(t, dir, bin, fx.Host)
			if len(changes) != tc.imports {
				t.Fatalf("plan has %d resource changes, want %d imports:\n%s", len(changes), tc.imports, main)
			}
			for _, c := range changes {
				if tc.dryRun {
					if len(c.Change.Actions) != 1 || c.Change.Actions[0] != "create" || c.Change.Importing != nil {
						t.Errorf("%s: actions %v, importing %s; want a create", c.Address, c.Change.Actions, c.Change.Importing)
					}
					continue
				}
				if len(c.Change.Actions) != 1 || c.Change.Actions[0] != "no-op" || c.Change.Importing == nil {
					t.Errorf("%s: actions %v, importing %v; want a no-op import\n%s", c.Address, c.Change.Actions, c.Change.Importing, main)
				}
			}
		})
	}
}

type planChange struct {
	Address string `json:"address"`
	Change  struct {
		Actions   []string        `json:"actions"`
		Importing json.RawMessage `json:"importing"`
	} `json:"change"`
}

// terraformPlan runs terraform plan in dir with the provider binary in
// bin and returns the plan's resource changes.
func terraformPlan(t *testing.T, dir, bin, emulatorHost string) []planChange {
	t.Helper()
	tfBin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tfBin == "" {
		tfBin = "terraform"
	}
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", "gcpinvoke/gcpinvoke", bin)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"GCPINVOKE_EMULATOR_HOST="+emulatorHost, "TF_DATA_DIR="+filepath.Join(t.TempDir(), "tfdata"))
	tf := func(args ...string) []byte {
		cmd := exec.Command(tfBin, args...)
		cmd.Dir, cmd.Env = dir, env
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
		}
		return out
	}
	tf("fmt", "-check", "-diff", "main.tf") // the emitted HCL is as terraform fmt writes it
	tf("plan", "-input=false", "-no-color", "-out=tfplan")
	var plan struct {
		ResourceChanges []planChange `json:"resource_changes"`
	}
	if err := json.Unmarshal(tf("show", "-json", "tfplan"), &plan); err != nil {
		t.Fatal(err)
	}
	return plan.ResourceChanges
}
