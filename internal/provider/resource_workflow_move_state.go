package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithMoveState = (*workflowResource)(nil)

// MoveState implements resource.ResourceWithMoveState: the state of a
// google_workflows_workflow becomes this workflow's (region → location,
// source_contents → source).
func (r *workflowResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: moveWorkflowFromGoogle}}
}

func moveWorkflowFromGoogle(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	const src = "google_workflows_workflow"
	s, ok := googleSource(req, resp, src)
	if !ok {
		return
	}
	for _, f := range []struct{ field, why string }{
		{"crypto_key_name", "gcpinvoke_workflow does not manage customer-managed encryption keys."},
		{"user_env_vars", "gcpinvoke_workflow does not manage user environment variables."},
		{"name_prefix", "gcpinvoke_workflow takes a fixed name."},
	} {
		if s.set(f.field) {
			moveRefuse(resp, src, f.field, f.why)
			return
		}
	}
	for _, f := range []string{"call_log_level", "execution_history_level"} {
		if v := s.str(f); v != "" && v != "CALL_LOG_LEVEL_UNSPECIFIED" && v != "EXECUTION_HISTORY_LEVEL_UNSPECIFIED" {
			moveRefuse(resp, src, f, "gcpinvoke_workflow does not manage logging levels.")
			return
		}
	}
	set := newMoveSetter(ctx, resp)
	project, location, name := s.str("project"), s.str("region"), lastSegment(s.str("name"))
	set.set("id", types.StringValue("projects/"+project+"/locations/"+location+"/workflows/"+name))
	set.set("project", types.StringValue(project))
	set.set("location", types.StringValue(location))
	set.set("name", types.StringValue(name))
	set.set("description", s.strOrNull("description"))
	set.set("service_account", s.strOrNull("service_account"))
	set.set("source", types.StringValue(s.str("source_contents")))
	set.set("revision_id", s.strOrNull("revision_id"))
}
