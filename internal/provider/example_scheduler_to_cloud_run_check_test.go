package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// An apply that breaks the example's chain is reported by its check block
// in that same apply: the scoped gcpinvoke_invocation_chain depends on every
// link, so Terraform reads it during apply after their changes, and the
// state the apply writes holds ok = false with the broken link named. Step
// 2 is the example with one edit a user could make by mistake: the invoker
// binding's member becomes another principal (a replacement).
func TestAccExample_schedulerToCloudRunCheckAfterBreakingApply(t *testing.T) {
	seed := emulator.DefaultSeed()
	seed.Projects[0].WithoutServiceAgentGrants = true
	f := testAccEmulator(t, emulator.Options{Seed: seed})
	t.Setenv(resource.EnvTfAccProviderNamespace, "gcpinvoke")

	shipped := filepath.Join("..", "..", "examples", "scheduler-to-cloud-run")
	broken := copyExample(t, shipped, map[string]string{
		"member  = gcpinvoke_service_account.invoker.member": `member  = "user:someone-else@example.com"`,
	})
	chain := "data.gcpinvoke_invocation_chain.job"
	vars := config.Variables{"emulator_host": config.StringVariable(f.Host)}
	resource.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: testAccProviders,
				ConfigDirectory:          config.StaticDirectory(shipped),
				ConfigVariables:          vars,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(chain, tfjsonpath.New("ok"), knownvalue.Bool(true)),
				},
				ExpectNonEmptyPlan: true,
			},
			{
				ProtoV6ProviderFactories: testAccProviders,
				ConfigDirectory:          config.StaticDirectory(broken),
				ConfigVariables:          vars,
				ConfigStateChecks: []statecheck.StateCheck{
					// Read in this apply, after the binding was replaced.
					statecheck.ExpectKnownValue(chain, tfjsonpath.New("ok"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(chain, tfjsonpath.New("summary"),
						knownvalue.StringRegexp(regexp.MustCompile(`(?s)invoker.*scheduler-invoker@demo-project\.iam\.gserviceaccount\.com.*403`))),
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// A link destroyed while its block stays (count = 0 here; for_each keys
// work the same) is a pending change of a dependency too: the check reads
// the chain after the destroy and reports the missing impersonation in the
// same apply. (A block deleted from the configuration is no dependency any
// more; the next plan reports it, and `gcpinvoke review` on the plan.)
func TestAccExample_schedulerToCloudRunCheckAfterDestroyingALink(t *testing.T) {
	seed := emulator.DefaultSeed()
	seed.Projects[0].WithoutServiceAgentGrants = true
	f := testAccEmulator(t, emulator.Options{Seed: seed})
	t.Setenv(resource.EnvTfAccProviderNamespace, "gcpinvoke")

	shipped := filepath.Join("..", "..", "examples", "scheduler-to-cloud-run")
	broken := copyExample(t, shipped, map[string]string{
		`resource "gcpinvoke_service_agent_impersonation" "scheduler" {`: "resource \"gcpinvoke_service_agent_impersonation\" \"scheduler\" {\n  count = 0",
	})
	chain := "data.gcpinvoke_invocation_chain.job"
	vars := config.Variables{"emulator_host": config.StringVariable(f.Host)}
	resource.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: testAccProviders,
				ConfigDirectory:          config.StaticDirectory(shipped),
				ConfigVariables:          vars,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(chain, tfjsonpath.New("ok"), knownvalue.Bool(true)),
				},
				ExpectNonEmptyPlan: true,
			},
			{
				ProtoV6ProviderFactories: testAccProviders,
				ConfigDirectory:          config.StaticDirectory(broken),
				ConfigVariables:          vars,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(chain, tfjsonpath.New("ok"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(chain, tfjsonpath.New("summary"),
						knownvalue.StringRegexp(regexp.MustCompile(`(?is)impersonation.*scheduler-invoker@demo-project\.iam\.gserviceaccount\.com`))),
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// copyExample copies an example directory's .tf files into a temporary
// directory, applying edits (old → new, each of which must match once).
func copyExample(t *testing.T, dir string, edits map[string]string) string {
	t.Helper()
	out := t.TempDir()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .tf files in %s (err %v)", dir, err)
	}
	applied := map[string]bool{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for old, repl := range edits {
			if n := strings.Count(text, old); n == 1 {
				text = strings.Replace(text, old, repl, 1)
				applied[old] = true
			}
		}
		if err := os.WriteFile(filepath.Join(out, filepath.Base(file)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for old := range edits {
		if !applied[old] {
			t.Fatalf("edit %q matches no single place in %s", old, dir)
		}
	}
	return out
}
