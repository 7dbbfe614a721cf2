package provider

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"golang.org/x/oauth2"
	iam "google.golang.org/api/iam/v1"
	"google.golang.org/api/option"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
)

// Names the service-account tests share.
const (
	testAccSchedulerAgent = "service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
	testAccTasksAgent     = "service-123456789012@gcp-sa-cloudtasks.iam.gserviceaccount.com"
	testAccForeignMember  = "user:alice@example.com"
	testAccForeignRole    = "roles/iam.serviceAccountUser"
)

// testAccNoCredentialsProvider is a provider block that cannot reach any API
// or resolve any credentials: steps using it prove that validate and plan
// need neither.
const testAccNoCredentialsProvider = `
provider "gcpinvoke" {
  project     = "demo-project"
  credentials = "/nonexistent/gcpinvoke-test-credentials.json"
}
`

// testAccIAM returns an IAM API client pointed at the emulator, for changes
// made outside Terraform.
func testAccIAM(t *testing.T, f *gcpinvoketesting.Fixture) *iam.Service {
	t.Helper()
	svc, err := iam.NewService(context.Background(), option.WithEndpoint(f.URL+"/"),
		option.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "test"})))
	if err != nil {
		t.Fatalf("iam client: %v", err)
	}
	return svc
}

// testAccSAName is the resource name of a demo-project account.
func testAccSAName(accountID string) string {
	return "projects/demo-project/serviceAccounts/" + testAccSAEmail(accountID)
}

// testAccSAEmail is the email of a demo-project account.
func testAccSAEmail(accountID string) string {
	return accountID + "@demo-project.iam.gserviceaccount.com"
}

// testAccCreateSA creates a demo-project account outside Terraform.
func testAccCreateSA(t *testing.T, f *gcpinvoketesting.Fixture, accountID string) {
	t.Helper()
	_, err := testAccIAM(t, f).Projects.ServiceAccounts.Create("projects/demo-project",
		&iam.CreateServiceAccountRequest{AccountId: accountID}).Do()
	if err != nil {
		t.Fatalf("creating %s: %v", accountID, err)
	}
}

// testAccEditSAPolicy changes an account's policy outside Terraform.
func testAccEditSAPolicy(t *testing.T, f *gcpinvoketesting.Fixture, name string, edit func(p *iam.Policy)) {
	t.Helper()
	svc := testAccIAM(t, f)
	p, err := svc.Projects.ServiceAccounts.GetIamPolicy(name).Do()
	if err != nil {
		t.Fatalf("reading policy of %s: %v", name, err)
	}
	edit(p)
	if _, err := svc.Projects.ServiceAccounts.SetIamPolicy(name, &iam.SetIamPolicyRequest{Policy: p}).Do(); err != nil {
		t.Fatalf("writing policy of %s: %v", name, err)
	}
}

// testAccSAMembers returns who holds role on the account, as the emulator
// stores it.
func testAccSAMembers(f *gcpinvoketesting.Fixture, name, role string) []string {
	p := f.Snapshot().Policies[name]
	if p == nil {
		return nil
	}
	var out []string
	for _, b := range p.Bindings {
		if b.Role == role && b.Condition == nil {
			out = append(out, b.Members...)
		}
	}
	return out
}

// testAccCheckSAMembers checks the exact holders of role on the account.
func testAccCheckSAMembers(f *gcpinvoketesting.Fixture, name, role string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := testAccSAMembers(f, name, role)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("holders of %s on %s = %q, want %q", role, name, got, want)
		}
		return nil
	}
}
