package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpinvoketesting"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// testIAMPlan runs ModifyPlan of a freshly configured resource on a new
// resource's configuration (attrs: attribute → value) against f.
func testIAMPlan(t *testing.T, f *gcpinvoketesting.Fixture, r *iamResource, attrs map[string]any) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	c, err := gcpclient.New(gcpclient.Config{EmulatorHost: f.Host, Project: gcpinvoketesting.Project, Region: gcpinvoketesting.Location})
	if err != nil {
		t.Fatal(err)
	}
	r.pd = &providerData{Client: c, IAM: iamengine.New(iamengine.Options{})}
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	null := tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)
	plan := tfsdk.Plan{Schema: sr.Schema, Raw: null.Copy()}
	for k, v := range attrs {
		if d := plan.SetAttribute(ctx, path.Root(k), v); d.HasError() {
			t.Fatalf("setting %s: %v", k, d)
		}
	}
	config := tfsdk.Config{Schema: sr.Schema, Raw: plan.Raw.Copy()}
	req := resource.ModifyPlanRequest{Plan: plan, Config: config, State: tfsdk.State{Schema: sr.Schema, Raw: null.Copy()}}
	resp := resource.ModifyPlanResponse{Plan: plan}
	r.ModifyPlan(ctx, req, &resp)
	return resp.Diagnostics
}

func TestIAMMembersExclusivePlanWarnsAboutForeignMembers(t *testing.T) {
	f := testAccEmulator(t, emulator.Options{})
	testAccOutOfBand(t, f, testAccHelloService, iampolicy.AddMembers(runInvokerRole, nil, "user:foreign@example.com", "user:a@example.com"))
	testAccOutOfBand(t, f, testAccHelloService, iampolicy.AddMembers("roles/run.viewer", nil, "user:viewer@example.com"))
	base := map[string]any{"service": "hello", "role": runInvokerRole, "members": []string{"user:a@example.com"}}
	tests := []struct {
		name      string
		exclusive bool
		want      []string // substrings of the one warning; nil: no warning
	}{
		{"exclusive names the members it removes", true,
			[]string{"exclusive = true will remove 1 member(s) of roles/run.invoker", "removing: user:foreign@example.com."}},
		{"non-exclusive warns about nothing", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			attrs := map[string]any{"exclusive": tt.exclusive}
			for k, v := range base {
				attrs[k] = v
			}
			diags := testIAMPlan(t, f, &iamResource{kind: runServiceIAM, multi: true}, attrs)
			if diags.HasError() {
				t.Fatalf("unexpected errors: %v", diags)
			}
			warnings := diags.Warnings()
			if tt.want == nil {
				if len(warnings) != 0 {
					t.Fatalf("want no warning, got %v", warnings)
				}
				return
			}
			if len(warnings) != 1 {
				t.Fatalf("want one warning, got %v", warnings)
			}
			text := warnings[0].Summary() + "\n" + warnings[0].Detail()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("warning %q lacks %q", text, w)
				}
			}
			if strings.Contains(text, "viewer@example.com") || strings.Contains(text, "user:a@example.com") {
				t.Errorf("warning names a member that stays: %q", text)
			}
		})
	}
}

func TestFunctionRoleChecks(t *testing.T) {
	gen := func(g, target string) *iamResolved {
		return &iamResolved{computed: map[string]string{attrGeneration: g, attrBindingTarget: target}}
	}
	tests := []struct {
		name string
		role string
		res  *iamResolved
		want string // "" : allowed
	}{
		{"gen2 run.invoker", runInvokerRole, gen(functionGen2, testAccGen2Service), ""},
		{"gen2 cloudfunctions.invoker", functionsInvokerRole, gen(functionGen2, testAccGen2Service), "2nd gen function"},
		{"gen2 cloudfunctions.developer", "roles/cloudfunctions.developer", gen(functionGen2, testAccGen2Service), "2nd gen function"},
		{"gen1 cloudfunctions.invoker", functionsInvokerRole, gen(functionGen1, testAccGen1Function), ""},
		{"gen1 run.invoker", runInvokerRole, gen(functionGen1, testAccGen1Function), "1st gen function"},
		{"gen1 custom role", "projects/p/roles/myInvoker", gen(functionGen1, testAccGen1Function), ""},
		{"unknown generation, other product", "roles/pubsub.publisher", nil, "cannot be granted on a Cloud Function"},
		{"gen1, other product: the roles that apply are named", "roles/pubsub.publisher", gen(functionGen1, testAccGen1Function), "roles/cloudfunctions.invoker"},
		{"unknown generation, basic role", "roles/viewer", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkFunctionRole(tt.role, tt.res)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("want allowed, got %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("want error containing %q, got %v", tt.want, err)
			}
		})
	}
}

func TestServiceAccountRoleChecks(t *testing.T) {
	tests := []struct {
		role string
		want string // "" : allowed
	}{
		{"roles/iam.serviceAccountTokenCreator", ""},
		{"roles/iam.serviceAccountUser", ""},
		{"projects/p/roles/actAs", ""},
		{"roles/run.invoker", "grant the role on the service"},
		{"roles/cloudfunctions.invoker", "grant the role on the service"},
		{"roles/cloudscheduler.jobRunner", "does not apply to a service account"},
		{"roles/cloudtasks.enqueuer", "roles/iam.serviceAccountTokenCreator"},
		{"roles/workflows.invoker", "does not apply to a service account"},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			err := checkServiceAccountRole(tt.role, nil)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("want allowed, got %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("want error containing %q, got %v", tt.want, err)
			}
		})
	}
}
