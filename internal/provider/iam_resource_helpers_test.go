package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/terraform"
	iam "google.golang.org/api/iam/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// Resource names of the default seed's IAM targets.
const (
	testAccHelloService = "projects/demo-project/locations/us-central1/services/hello"
	testAccGen2Service  = "projects/demo-project/locations/us-central1/services/hello-fn"
	testAccGen1Function = "projects/demo-project/locations/us-central1/functions/legacy-fn"
)

// testAccSAPolicyName is the policy key of a seeded service account.
func testAccSAPolicyName(accountID string) string {
	return "projects/demo-project/serviceAccounts/" + accountID + "@demo-project.iam.gserviceaccount.com"
}

// testAccSeedWithAccounts is the default seed plus service accounts.
func testAccSeedWithAccounts(accountIDs ...string) *emulator.Seed {
	s := emulator.DefaultSeed()
	for _, id := range accountIDs {
		s.ServiceAccounts = append(s.ServiceAccounts, emulator.SeedServiceAccount{Project: gcpinvoketesting.Project, AccountID: id})
	}
	return s
}

// testAccOutOfBand changes a policy the way another tool would: through the
// real API with its own client, outside Terraform.
func testAccOutOfBand(t *testing.T, f *gcpinvoketesting.Fixture, resource string, mut iampolicy.Mutation) {
	t.Helper()
	ctx := context.Background()
	c, err := gcpclient.New(gcpclient.Config{EmulatorHost: f.Host, Project: gcpinvoketesting.Project})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	var target iamengine.Target
	switch {
	case strings.Contains(resource, "/services/"):
		svc, err := c.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		target = iamengine.NewRunServiceTarget(svc, resource)
	case strings.Contains(resource, "/functions/"):
		svc, err := c.CloudFunctionsV1(ctx)
		if err != nil {
			t.Fatal(err)
		}
		target = iamengine.NewFunctionV1Target(svc, resource)
	default:
		svc, err := c.IAM(ctx)
		if err != nil {
			t.Fatal(err)
		}
		target = iamengine.NewServiceAccountTarget(svc, resource)
	}
	if _, err := iamengine.New(iamengine.Options{GroupWindow: -1, ReadTTL: -1}).Apply(ctx, target, mut); err != nil {
		t.Fatalf("out-of-band change of %s: %v", resource, err)
	}
}

// testAccPolicyMembers lists the members holding role on resource in the
// emulator, under the condition titled condTitle ("" : unconditional).
func testAccPolicyMembers(f *gcpinvoketesting.Fixture, resource, role, condTitle string) []string {
	var out []string
	pol := f.Snapshot().Policies[resource]
	if pol == nil {
		return nil
	}
	for _, b := range pol.Bindings {
		title := ""
		if b.Condition != nil {
			title = b.Condition.Title
		}
		if b.Role == role && title == condTitle {
			out = append(out, b.Members...)
		}
	}
	slices.Sort(out)
	return out
}

// testAccCheckPolicy checks that role on resource is held by every member of
// has and by none of lacks.
func testAccCheckPolicy(f *gcpinvoketesting.Fixture, resource, role string, has, lacks []string) func(*terraform.State) error {
	return func(*terraform.State) error {
		got := testAccPolicyMembers(f, resource, role, "")
		for _, m := range has {
			if !slices.Contains(got, m) {
				return fmt.Errorf("%s on %s: want %s among %v", role, resource, m, got)
			}
		}
		for _, m := range lacks {
			if slices.Contains(got, m) {
				return fmt.Errorf("%s on %s: %s should be gone, have %v", role, resource, m, got)
			}
		}
		return nil
	}
}

// testAccCheckCalls checks API call counts since the last ResetCalls.
func testAccCheckCalls(f *gcpinvoketesting.Fixture, want map[string]int) func(*terraform.State) error {
	return func(*terraform.State) error {
		calls := f.Calls()
		for k, n := range want {
			if calls[k] != n {
				return fmt.Errorf("%s called %d times, want %d (all calls: %v)", k, calls[k], n, calls)
			}
		}
		return nil
	}
}

// testAccCreateServiceAccount creates a service account through the IAM API
// (so the emulator's IAM propagation delay applies to it).
func testAccCreateServiceAccount(t *testing.T, f *gcpinvoketesting.Fixture, accountID string) {
	t.Helper()
	ctx := context.Background()
	c, err := gcpclient.New(gcpclient.Config{EmulatorHost: f.Host, Project: gcpinvoketesting.Project})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := c.IAM(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Projects.ServiceAccounts.Create("projects/"+gcpinvoketesting.Project,
		&iam.CreateServiceAccountRequest{AccountId: accountID}).Context(ctx).Do(); err != nil {
		t.Fatalf("creating service account %s: %v", accountID, err)
	}
}
