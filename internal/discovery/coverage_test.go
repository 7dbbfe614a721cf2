package discovery_test

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/discovery"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

var update = flag.Bool("update", false, "rewrite EMULATOR_COVERAGE.md")

const coverageFile = "EMULATOR_COVERAGE.md"

// Directories that are not the provider or the CLI: the emulator, the
// conformance checker, the test fixtures and the benchmark harness.
var notClientCode = []string{"internal/emulator", "internal/discovery", "internal/gcpinvoketesting", "cmd/gcpbench", "tools"}

func coverageInput(t *testing.T, reg *discovery.Registry) discovery.CoverageInput {
	t.Helper()
	client, err := reg.ClientCalls(filepath.Join("..", ".."), notClientCode)
	if err != nil {
		t.Fatal(err)
	}
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	served := map[string]string{}
	for _, r := range e.Routes() {
		if r.Public {
			continue
		}
		ms, _ := reg.MatchRoute(r.HTTPMethod, r.Path, nil)
		for _, m := range ms {
			served[m.Key()] = r.Name
		}
	}
	return discovery.CoverageInput{Client: client, Emulator: served}
}

// TestCoverage: EMULATOR_COVERAGE.md is what the code generates today.
// Regenerate with: go test ./internal/discovery -run TestCoverage -update
func TestCoverage(t *testing.T) {
	reg, err := discovery.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := reg.CoverageMarkdown(coverageInput(t, reg))
	path := filepath.Join("..", "..", coverageFile)
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; generate it with: go test ./internal/discovery -run TestCoverage -update", err)
	}
	if string(got) != want {
		t.Errorf("%s is stale (the provider's calls or the emulator's routes changed); regenerate it with:\n"+
			"  go test ./internal/discovery -run TestCoverage -update\nand commit it", coverageFile)
	}
}

// TestProviderCallsAreEmulated: every method the provider or the CLI calls
// is served by the emulator, so the acceptance tests can reach it.
func TestProviderCallsAreEmulated(t *testing.T) {
	reg, err := discovery.Default()
	if err != nil {
		t.Fatal(err)
	}
	in := coverageInput(t, reg)
	if len(in.Client) < 20 {
		t.Fatalf("static analysis found %d called methods; the provider calls more than 20: the scanner is broken", len(in.Client))
	}
	var missing []string
	for key, files := range in.Client {
		if in.Emulator[key] == "" {
			missing = append(missing, key+" (called in "+strings.Join(files, ", ")+")")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("the provider calls %s, which the emulator does not serve", m)
	}
}

// TestClientCallsScanner: the static analysis attributes a call to the
// document of the client package the file imports.
func TestClientCallsScanner(t *testing.T) {
	reg, err := discovery.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a/run.go", `package a
import run "google.golang.org/api/run/v2"
type target struct{ svc *run.Service }
func (t *target) get(name string) { t.svc.Projects.Locations.Services.GetIamPolicy(name).Do() }
`)
	write("b/sched.go", `package b
import "google.golang.org/api/cloudscheduler/v1"
func f(s *cloudscheduler.Service) { s.Projects.Locations.Jobs.Resume("n", nil).Do() }
`)
	write("b/sched_test.go", `package b
import "google.golang.org/api/cloudscheduler/v1"
func g(s *cloudscheduler.Service) { s.Projects.Locations.Jobs.Pause("n", nil).Do() }
`)
	write("c/inferred.go", `package c
func h(c interface{ Run() any }) { svc := c.Run(); svc.Projects.Locations.Services.List("p").Do() }
`)
	write("skipped/x.go", `package skipped
import "google.golang.org/api/cloudscheduler/v1"
func g(s *cloudscheduler.Service) { s.Projects.Locations.Jobs.Delete("n").Do() }
`)
	got, err := reg.ClientCalls(dir, []string{"skipped"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"run.projects.locations.services.getIamPolicy@v2":  "a/run.go",
		"cloudscheduler.projects.locations.jobs.resume@v1": "b/sched.go",
		"run.projects.locations.services.list@v2":          "c/inferred.go",
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, f := range want {
		if len(got[k]) != 1 || got[k][0] != f {
			t.Errorf("%s: got %v, want [%s]", k, got[k], f)
		}
	}
}
