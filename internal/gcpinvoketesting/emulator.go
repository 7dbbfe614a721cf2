// Package gcpinvoketesting holds test fixtures shared by the provider's
// acceptance tests and the CLI tests: an in-process emulator per test and the
// provider block that points Terraform at it.
package gcpinvoketesting

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// Project, Location and the seeded names every default-seeded emulator has.
const (
	Project       = "demo-project"
	ProjectNumber = "123456789012"
	Location      = "us-central1"
	Service       = "hello"
	Gen2Function  = "hello-fn"
	Gen1Function  = "legacy-fn"
)

// Fixture is one emulator serving on a loopback port for one test.
type Fixture struct {
	*emulator.Emulator
	// URL is the base URL, e.g. http://127.0.0.1:41234.
	URL string
	// Host is HOST:PORT, the value of emulator_host / GCPINVOKE_EMULATOR_HOST.
	Host string
}

// StartEmulator starts a fresh emulator for t and stops it when t ends.
// Its traffic is held to Google's discovery documents (see Conformance).
func StartEmulator(t testing.TB, opts emulator.Options) *Fixture {
	t.Helper()
	e, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("starting emulator: %v", err)
	}
	srv := httptest.NewServer(Conformance(t, e))
	e.SetBaseURL(srv.URL)
	t.Cleanup(func() {
		srv.Close()
		e.Close()
	})
	u, _ := url.Parse(srv.URL)
	return &Fixture{Emulator: e, URL: srv.URL, Host: u.Host}
}

// ProviderBlock is a provider "gcpinvoke" block pointed at the emulator,
// with the default project and region. Extra lines go inside the block.
func (f *Fixture) ProviderBlock(extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"gcpinvoke\" {\n  emulator_host = %q\n  project       = %q\n  region        = %q\n", f.Host, Project, Location)
	for _, l := range extra {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	b.WriteString("}\n")
	return b.String()
}

// Config joins the provider block with the given HCL.
func (f *Fixture) Config(hcl ...string) string {
	return f.ProviderBlock() + "\n" + strings.Join(hcl, "\n")
}

// RequireTerraform fails the test (never skips) when no Terraform CLI is
// available: acceptance tests are part of the suite on every machine.
func RequireTerraform(t testing.TB) {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("TF_ACC_TERRAFORM_PATH=%s: %v", p, err)
		}
		return
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatalf("no terraform binary found: acceptance tests need the Terraform CLI on PATH (or TF_ACC_TERRAFORM_PATH). Install Terraform >= 1.8 and rerun.")
	}
	os.Setenv("CHECKPOINT_DISABLE", "1")
}
