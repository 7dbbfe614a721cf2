package provider

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// The crash-safety and secrets tests run the provider the way users do: a
// real provider binary, started by the Terraform CLI through a CLI
// configuration with dev_overrides, talking to an in-process emulator.

// tfHarness is one Terraform working directory using a freshly built
// provider binary.
type tfHarness struct {
	t         *testing.T
	terraform string
	dir       string
	binary    string
	env       []string
}

// newTFHarness builds the provider into a temporary directory (the Go build
// cache makes this a link step after the first test) and prepares a working
// directory whose CLI configuration serves it through dev_overrides.
func newTFHarness(t *testing.T, extraEnv ...string) *tfHarness {
	t.Helper()
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatalf("no terraform binary: %v", err)
		}
		tf = p
	}
	binDir := t.TempDir()
	bin := filepath.Join(binDir, "terraform-provider-gcpinvoke")
	build := exec.Command("go", "build", "-o", bin, "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	dir := t.TempDir()
	cliConf := filepath.Join(dir, ".terraformrc")
	conf := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/gcpinvoke/gcpinvoke\" = %q\n  }\n  direct {}\n}\n", binDir)
	if err := os.WriteFile(cliConf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConf, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")
	return &tfHarness{t: t, terraform: tf, dir: dir, binary: bin, env: append(env, extraEnv...)}
}

// requiredProviders is the terraform block every out-of-process config
// starts with, so the dev_overrides source matches.
const requiredProviders = `terraform {
  required_providers {
    gcpinvoke = {
      source = "gcpinvoke/gcpinvoke"
    }
  }
}
`

// writeConfig replaces main.tf.
func (h *tfHarness) writeConfig(hcl string) {
	h.t.Helper()
	if err := os.WriteFile(filepath.Join(h.dir, "main.tf"), []byte(requiredProviders+hcl), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// run runs terraform and returns its combined output and exit code. It
// gives up after two minutes, so a hung provider cannot hang the suite.
func (h *tfHarness) run(args ...string) (string, int) {
	h.t.Helper()
	cmd := exec.Command(h.terraform, args...)
	cmd.Dir, cmd.Env = h.dir, h.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		h.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	timer := time.AfterFunc(2*time.Minute, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	err := cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	default:
		h.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out.String())
		return "", -1
	}
}

// mustRun runs terraform and fails the test unless it exits 0.
func (h *tfHarness) mustRun(args ...string) string {
	h.t.Helper()
	out, code := h.run(args...)
	if code != 0 {
		h.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// providerPIDs lists the running processes whose executable is the
// harness's provider binary.
func (h *tfHarness) providerPIDs() []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && strings.TrimSuffix(exe, " (deleted)") == h.binary {
			pids = append(pids, pid)
		}
	}
	return pids
}

// killProvider SIGKILLs every running instance of the provider binary and
// reports how many it killed.
func (h *tfHarness) killProvider() int {
	n := 0
	for _, pid := range h.providerPIDs() {
		if syscall.Kill(pid, syscall.SIGKILL) == nil {
			n++
		}
	}
	return n
}

// serveEmulator serves e on a loopback port through wrap (which may be
// nil) and returns the emulator host "HOST:PORT".
func serveEmulator(t *testing.T, e *emulator.Emulator, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	h := gcpinvoketesting.Conformance(t, e)
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	e.SetBaseURL(srv.URL)
	t.Cleanup(func() {
		srv.Close()
		e.Close()
	})
	return strings.TrimPrefix(srv.URL, "http://")
}
