package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithMoveState = (*serviceAccountResource)(nil)

// MoveState implements resource.ResourceWithMoveState: the state of a
// google_service_account becomes this account's (same attribute names).
func (r *serviceAccountResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: moveServiceAccountFromGoogle}}
}

func moveServiceAccountFromGoogle(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	const src = "google_service_account"
	s, ok := googleSource(req, resp, src)
	if !ok {
		return
	}
	if s.boolean("disabled") {
		moveRefuse(resp, src, "disabled", "the account is disabled, and gcpinvoke_service_account manages enabled accounts only.")
		return
	}
	set := newMoveSetter(ctx, resp)
	set.set("id", s.strOrNull("name"))
	for _, a := range []string{"account_id", "project", "email", "name", "unique_id", "member"} {
		set.set(a, s.strOrNull(a))
	}
	set.set("display_name", s.strOrNull("display_name"))
	set.set("description", s.strOrNull("description"))
	if s.str("member") == "" && s.str("email") != "" {
		set.set("member", types.StringValue("serviceAccount:"+s.str("email")))
	}
}
