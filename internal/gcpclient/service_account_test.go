package gcpclient

import (
	"context"
	"testing"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

func TestServiceAccountExists(t *testing.T) {
	seed := emulator.DefaultSeed()
	seed.ServiceAccounts = append(seed.ServiceAccounts, emulator.SeedServiceAccount{Project: "demo-project", AccountID: "real-account"})
	f := gcpinvoketesting.StartEmulator(t, emulator.Options{Seed: seed})
	c, err := New(Config{EmulatorHost: f.Host, Project: "demo-project"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		email   string
		want    bool
		wantErr bool
	}{
		{"real-account@demo-project.iam.gserviceaccount.com", true, false},
		{"ghost-account@demo-project.iam.gserviceaccount.com", false, false},
		// Not ID@PROJECT.iam.gserviceaccount.com: no project to look it up
		// in (Google answers 403 through projects/-), so "cannot tell".
		{"service-123@gcp-sa-cloudscheduler.iam.gserviceaccount.com", false, true},
		{"123-compute@developer.gserviceaccount.com", false, true},
	}
	for _, tt := range tests {
		got, err := c.ServiceAccountExists(context.Background(), tt.email)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ServiceAccountExists(%s) = %v, %v; want %v, error %v", tt.email, got, err, tt.want, tt.wantErr)
		}
	}
	if n := f.Calls()["iam.serviceAccounts.get"]; n != 2 {
		t.Errorf("iam.serviceAccounts.get called %d times, want 2 (one per user-managed account)", n)
	}
}
