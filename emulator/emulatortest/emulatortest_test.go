package emulatortest_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"strings"
	"testing"

	run "google.golang.org/api/run/v2"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/emulator/emulatortest"
)

func ExampleServer_ProviderBlock() {
	srv, err := emulatortest.NewServer(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	// The port differs on every run.
	fmt.Print(strings.ReplaceAll(srv.ProviderBlock(`request_timeout = "30s"`), srv.Host, "127.0.0.1:PORT"))
	// Output:
	// provider "gcpinvoke" {
	//   emulator_host = "127.0.0.1:PORT"
	//   project       = "demo-project"
	//   region        = "us-central1"
	//   request_timeout = "30s"
	// }
}

// Start serves a working emulator for the test and stops it when the test
// ends.
func TestStartServesUntilTestEnds(t *testing.T) {
	var url string
	t.Run("inner", func(t *testing.T) {
		srv := emulatortest.Start(t, emulator.Options{})
		url = srv.URL
		if srv.Host == "" || !strings.HasSuffix(srv.URL, srv.Host) || srv.BaseURL() != srv.URL {
			t.Fatalf("URL %q, Host %q, BaseURL %q: want http://HOST", srv.URL, srv.Host, srv.BaseURL())
		}
		runSvc, err := run.NewService(context.Background(), srv.ClientOptions()...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := runSvc.Projects.Locations.Services.Get("projects/demo-project/locations/us-central1/services/hello").Do(); err != nil {
			t.Fatalf("get seeded service: %v", err)
		}
	})
	if resp, err := http.Get(url + "/_emulator/health"); err == nil {
		resp.Body.Close()
		t.Fatalf("emulator at %s still answers after its test ended (HTTP %d)", url, resp.StatusCode)
	}
}

// The provider block follows the seed: its first project and location.
func TestProviderBlockFollowsSeed(t *testing.T) {
	tests := []struct {
		name                 string
		seed                 *emulator.Seed
		wantProject, wantLoc string
	}{
		{"default seed", nil, "demo-project", "us-central1"},
		{"run service location", &emulator.Seed{
			Projects:    []emulator.SeedProject{{ProjectID: "other-project", ProjectNumber: "42"}},
			RunServices: []emulator.SeedRunService{{Project: "other-project", Location: "europe-west1", Name: "api"}},
		}, "other-project", "europe-west1"},
		{"function location", &emulator.Seed{
			Projects:  []emulator.SeedProject{{ProjectID: "fn-project", ProjectNumber: "43"}},
			Functions: []emulator.SeedFunction{{Project: "fn-project", Location: "asia-east1", Name: "f", Generation: "GEN_1"}},
		}, "fn-project", "asia-east1"},
		{"no located resource", &emulator.Seed{
			Projects: []emulator.SeedProject{{ProjectID: "bare-project", ProjectNumber: "44"}},
		}, "bare-project", "us-central1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := emulatortest.Start(t, emulator.Options{Seed: tt.seed})
			got := srv.Config(`data "gcpinvoke_run_service" "x" { name = "api" }`)
			for _, want := range []string{
				fmt.Sprintf("emulator_host = %q", srv.Host),
				fmt.Sprintf("project       = %q", tt.wantProject),
				fmt.Sprintf("region        = %q", tt.wantLoc),
				`data "gcpinvoke_run_service" "x"`,
			} {
				if !strings.Contains(got, want) {
					t.Errorf("config lacks %s:\n%s", want, got)
				}
			}
		})
	}
}

// An invalid seed fails Start with the reason instead of serving an empty
// emulator.
func TestNewServerRejectsInvalidSeed(t *testing.T) {
	_, err := emulatortest.NewServer(emulator.Options{Seed: &emulator.Seed{
		Projects: []emulator.SeedProject{{ProjectID: "Bad_Project", ProjectNumber: "1"}},
	}})
	if err == nil || !strings.Contains(err.Error(), `"Bad_Project" is not a valid project id`) {
		t.Fatalf("err = %v, want the invalid project id named", err)
	}
}
