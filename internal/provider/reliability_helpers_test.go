package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// reliabilitySeed is the default project with n Cloud Run services
// svc-000 … svc-(n-1) in the default location.
func reliabilitySeed(n int) *emulator.Seed {
	s := &emulator.Seed{Projects: []emulator.SeedProject{{ProjectID: gcpinvoketesting.Project, ProjectNumber: gcpinvoketesting.ProjectNumber}}}
	for i := 0; i < n; i++ {
		s.RunServices = append(s.RunServices, emulator.SeedRunService{Project: gcpinvoketesting.Project, Location: gcpinvoketesting.Location, Name: reliabilityService(i)})
	}
	return s
}

func reliabilityService(i int) string { return fmt.Sprintf("svc-%03d", i) }

// reliabilityServiceResource is the IAM resource name of service i.
func reliabilityServiceResource(i int) string {
	return fmt.Sprintf("projects/%s/locations/%s/services/%s", gcpinvoketesting.Project, gcpinvoketesting.Location, reliabilityService(i))
}

// reliabilityServiceURI reads a service's uri from the emulator the way a
// client does (it depends on the emulator's port).
func reliabilityServiceURI(t *testing.T, f *gcpinvoketesting.Fixture, name string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/v2/projects/%s/locations/%s/services/%s", f.URL, gcpinvoketesting.Project, gcpinvoketesting.Location, name), nil)
	req.Header.Set("Authorization", "Bearer test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("reading service %s: %v", name, err)
	}
	defer resp.Body.Close()
	var svc struct {
		URI string `json:"uri"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&svc); err != nil || svc.URI == "" {
		t.Fatalf("reading service %s: HTTP %d, uri %q, %v", name, resp.StatusCode, svc.URI, err)
	}
	return svc.URI
}

// policyMembers returns how many times each member appears in the
// unconditional bindings of role on resource, as the emulator stores it.
func policyMembers(st *emulator.State, resource, role string) map[string]int {
	out := map[string]int{}
	pol := st.Policies[resource]
	if pol == nil {
		return out
	}
	for _, b := range pol.Bindings {
		if b.Role != role || b.Condition != nil {
			continue
		}
		for _, m := range b.Members {
			out[m]++
		}
	}
	return out
}

// lostConcurrentWrites lists the members the emulator's simulated concurrent
// writer added that are no longer in their policy. A policy whose service
// account was deleted (by destroy) went with it and is not counted.
func lostConcurrentWrites(f *gcpinvoketesting.Fixture) (lost []emulator.ConcurrentWrite, total int) {
	st := f.Snapshot()
	writes := f.ConcurrentWrites()
	for _, w := range writes {
		if _, email, ok := strings.Cut(w.Resource, "/serviceAccounts/"); ok && st.ServiceAccounts[email] == nil {
			continue
		}
		total++
		if policyMembers(st, w.Resource, w.Role)[w.Member] == 0 {
			lost = append(lost, w)
		}
	}
	return lost, total
}
