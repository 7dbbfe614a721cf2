// Package embed shows a project outside this repository using the gcpinvoke
// emulator in its own tests: one emulator per test, seeded from JSON, driven
// with the official Google API clients and plain net/http.
package embed

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"
	"testing"

	"google.golang.org/api/googleapi"
	run "google.golang.org/api/run/v2"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/emulator/emulatortest"
)

const seedJSON = `{
  "projects": [{"projectId": "shop-staging", "projectNumber": "555000111222"}],
  "serviceAccounts": [{"project": "shop-staging", "accountId": "orders-cron"}],
  "runServices": [
    {"project": "shop-staging", "location": "europe-west1", "name": "orders"},
    {"project": "shop-staging", "location": "europe-west1", "name": "billing", "ingress": "INGRESS_TRAFFIC_INTERNAL_ONLY"}
  ]
}`

func TestOwnSeedThroughCloudRunClient(t *testing.T) {
	seed, err := emulator.ParseSeed([]byte(seedJSON))
	if err != nil {
		t.Fatal(err)
	}
	srv := emulatortest.Start(t, emulator.Options{Seed: seed})

	runSvc, err := run.NewService(context.Background(), srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	list, err := runSvc.Projects.Locations.Services.List("projects/shop-staging/locations/europe-west1").Do()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range list.Services {
		names = append(names, s.Name[strings.LastIndex(s.Name, "/")+1:])
		if !strings.HasSuffix(s.Uri, ".run.localhost:"+srv.Host[strings.LastIndex(srv.Host, ":")+1:]) {
			t.Errorf("%s uri %s does not point at the emulator's port", s.Name, s.Uri)
		}
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "billing,orders" {
		t.Fatalf("services = %v, want billing and orders from the seed", names)
	}
	if got := srv.Calls()["run.services.list"]; got != 1 {
		t.Fatalf("run.services.list calls = %d, want 1", got)
	}

	block := srv.ProviderBlock()
	for _, want := range []string{`emulator_host = "` + srv.Host + `"`, `project       = "shop-staging"`, `region        = "europe-west1"`} {
		if !strings.Contains(block, want) {
			t.Errorf("provider block lacks %s:\n%s", want, block)
		}
	}
}

func TestHealthAndAttemptsOverPlainHTTP(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{})
	resp, err := http.Get(srv.URL + "/_emulator/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var health struct {
		Status  string `json:"status"`
		BaseURL string `json:"baseUrl"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&health); err != nil || resp.StatusCode != 200 || health.Status != "ok" || health.BaseURL != srv.URL {
		t.Fatalf("health: HTTP %d %+v %v", resp.StatusCode, health, err)
	}
	if n := len(srv.Attempts()); n != 0 {
		t.Fatalf("a fresh emulator has %d job attempts", n)
	}
}

func TestMisspelledSeedKeyIsNamed(t *testing.T) {
	_, err := emulator.ParseSeed([]byte(`{"projects": [{"projectId": "shop-staging", "projectNumber": "1", "projectNumbr": "2"}]}`))
	if err == nil || !strings.Contains(err.Error(), `"projects[0].projectNumbr"`) {
		t.Fatalf("err = %v, want the misspelled key named", err)
	}
}

// The seed and fault types are usable as Go values from outside the module.
func TestGoSeedAndFaults(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{Seed: &emulator.Seed{
		Projects:    []emulator.SeedProject{{ProjectID: "shop-dev", ProjectNumber: "555000111333"}},
		RunServices: []emulator.SeedRunService{{Project: "shop-dev", Location: "us-east1", Name: "cart"}},
	}})
	runSvc, err := run.NewService(context.Background(), srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(emulator.Faults{FailNext: map[string]*emulator.FailSpec{"run.services.get": {Code: 503, Count: 1}}})
	const name = "projects/shop-dev/locations/us-east1/services/cart"
	_, err = runSvc.Projects.Locations.Services.Get(name).Do()
	var gerr *googleapi.Error
	if !errors.As(err, &gerr) || gerr.Code != 503 {
		t.Fatalf("first get: %v, want the injected 503", err)
	}
	svc, err := runSvc.Projects.Locations.Services.Get(name).Do()
	if err != nil || svc.Name != name {
		t.Fatalf("second get: %v %v", svc, err)
	}
}
