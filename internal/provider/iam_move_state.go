package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

var _ resource.ResourceWithMoveState = (*iamResource)(nil)

// iamMoveSource is a Google provider IAM resource whose state moves to one
// of ours: a `_member` to our `_iam_member`, a `_binding` (authoritative for
// its role) to our `_iam_members` with exclusive = true.
type iamMoveSource struct {
	typeName string
	binding  bool
	// ids are our identifying attributes from the source state.
	ids func(s googleState) iamIDs
}

// iamMoveSources are the sources of each kind (by iamTargetKind.name).
var iamMoveSources = map[string][]iamMoveSource{
	"run_service": {
		// The v2 resources name the service `name`, v1 ones `service`; both
		// hold the short name or projects/P/locations/L/services/S.
		{typeName: "google_cloud_run_v2_service_iam_member", ids: iamMoveRunIDs("name")},
		{typeName: "google_cloud_run_v2_service_iam_binding", binding: true, ids: iamMoveRunIDs("name")},
		{typeName: "google_cloud_run_service_iam_member", ids: iamMoveRunIDs("service")},
		{typeName: "google_cloud_run_service_iam_binding", binding: true, ids: iamMoveRunIDs("service")},
	},
	"cloudfunctions_function": {
		// 1st gen resources say `region`, 2nd gen ones `location`.
		{typeName: "google_cloudfunctions_function_iam_member", ids: iamMoveFunctionIDs("region")},
		{typeName: "google_cloudfunctions_function_iam_binding", binding: true, ids: iamMoveFunctionIDs("region")},
		{typeName: "google_cloudfunctions2_function_iam_member", ids: iamMoveFunctionIDs("location")},
		{typeName: "google_cloudfunctions2_function_iam_binding", binding: true, ids: iamMoveFunctionIDs("location")},
	},
	"service_account": {
		{typeName: "google_service_account_iam_member", ids: iamMoveServiceAccountIDs},
		{typeName: "google_service_account_iam_binding", binding: true, ids: iamMoveServiceAccountIDs},
	},
}

func iamMoveRunIDs(nameAttr string) func(googleState) iamIDs {
	return func(s googleState) iamIDs {
		p, l, n, err := gcpnames.ParseRunServiceID(s.str(nameAttr), s.str("project"), s.str("location"))
		if err != nil {
			return iamIDs{"project": s.str("project"), "location": s.str("location"), "service": lastSegment(s.str(nameAttr))}
		}
		return iamIDs{"project": p, "location": l, "service": n}
	}
}

func iamMoveFunctionIDs(locationAttr string) func(googleState) iamIDs {
	return func(s googleState) iamIDs {
		p, l, n, err := gcpnames.ParseFunctionID(s.str("cloud_function"), s.str("project"), s.str(locationAttr))
		if err != nil {
			return iamIDs{"project": s.str("project"), "location": s.str(locationAttr), "function": lastSegment(s.str("cloud_function"))}
		}
		return iamIDs{"project": p, "location": l, "function": n}
	}
}

func iamMoveServiceAccountIDs(s googleState) iamIDs {
	return iamIDs{"service_account": s.str("service_account_id")}
}

// MoveState implements resource.ResourceWithMoveState: the Google
// provider's IAM member (to `_iam_member`) and binding (to `_iam_members`,
// exclusive) resources of this kind's target.
func (r *iamResource) MoveState(context.Context) []resource.StateMover {
	var movers []resource.StateMover
	for _, src := range iamMoveSources[r.kind.name] {
		if src.binding != r.multi {
			continue
		}
		movers = append(movers, resource.StateMover{StateMover: func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
			s, ok := googleSource(req, resp, src.typeName)
			if !ok {
				return
			}
			r.moveFromGoogle(ctx, src, s, resp)
		}})
	}
	return movers
}

// moveFromGoogle writes the target state of one Google IAM resource. The
// computed attributes (id, generation, binding_target) are left to the
// refresh that follows the move, which also checks the grant exists.
func (r *iamResource) moveFromGoogle(ctx context.Context, src iamMoveSource, s googleState, resp *resource.MoveStateResponse) {
	set := newMoveSetter(ctx, resp)
	for name, v := range src.ids(s) {
		set.set(name, types.StringValue(v))
	}
	set.set("role", types.StringValue(s.str("role")))

	var members []string
	if src.binding {
		members = s.strings("members")
		elems := make([]attr.Value, 0, len(members))
		for _, m := range members {
			elems = append(elems, types.StringValue(iampolicy.CanonicalMember(m)))
		}
		set.set("members", types.SetValueMust(types.StringType, elems))
		// A Google binding is authoritative for its role.
		set.set("exclusive", types.BoolValue(true))
	} else {
		members = []string{s.str("member")}
		set.set("member", types.StringValue(s.str("member")))
	}

	condTypes := map[string]attr.Type{"title": types.StringType, "description": types.StringType, "expression": types.StringType}
	cond := types.ObjectNull(condTypes)
	if c := s.block("condition"); c != nil {
		cond = types.ObjectValueMust(condTypes, map[string]attr.Value{
			"title": types.StringValue(c.str("title")), "description": c.strOrNull("description"), "expression": types.StringValue(c.str("expression")),
		})
	}
	set.set("condition", cond)

	// The guard rails: the configuration must acknowledge what the grant
	// already does, so the state says it does.
	attrs := resp.TargetState.Schema.GetAttributes()
	if _, ok := attrs["allow_public"]; ok {
		set.set("allow_public", types.BoolValue(slices.ContainsFunc(members, iampolicy.IsPublic)))
	}
	if _, ok := attrs["allow_broad_principal"]; ok {
		set.set("allow_broad_principal", types.BoolValue(iamActAsRoles[s.str("role")] && slices.ContainsFunc(members, iampolicy.IsBroad)))
	}
}
