package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The workflows agent is accepted, but the plan says it is not what makes a
// workflow's calls work: executions run as the workflow's own account.
func TestServiceAgentImpersonationWorkflowsWarns(t *testing.T) {
	ctx := context.Background()
	r := &serviceAgentImpersonationResource{}
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	for _, tc := range []struct {
		agent string
		warn  bool
	}{{"workflows", true}, {"cloudscheduler", false}, {"cloudtasks", false}} {
		cfg := tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
		plan := tfsdk.Plan{Schema: sr.Schema, Raw: cfg.Raw.Copy()}
		plan.SetAttribute(ctx, path.Root("service_account"), "caller@demo-project.iam.gserviceaccount.com")
		plan.SetAttribute(ctx, path.Root("agent"), tc.agent)
		cfg.Raw = plan.Raw.Copy()
		var resp resource.ValidateConfigResponse
		r.ValidateConfig(ctx, resource.ValidateConfigRequest{Config: cfg}, &resp)
		got := resp.Diagnostics.WarningsCount() > 0 && strings.Contains(resp.Diagnostics.Warnings()[0].Detail(), "roles/iam.serviceAccountUser")
		if got != tc.warn || resp.Diagnostics.HasError() {
			t.Errorf("agent %s: warning = %v, want %v (diags %v)", tc.agent, got, tc.warn, resp.Diagnostics)
		}
	}
}
