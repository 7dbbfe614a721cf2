package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

var (
	iamPathRole    = path.Root("role")
	iamPathMember  = path.Root("member")
	iamPathMembers = path.Root("members")
)

// ValidateConfig implements resource.ResourceWithValidateConfig: the guard
// rails that need only the configuration (no API call).
func (r *iamResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	m, diags := r.load(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if c := m.Condition; c != nil && !c.Title.IsUnknown() && !c.Expression.IsUnknown() {
		if err := iampolicy.ValidateCondition(m.condition()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("condition"), "Invalid IAM condition", err.Error())
		}
	}
	role := r.kind.defaultRole
	if m.Role.IsUnknown() {
		role = ""
	} else if !m.Role.IsNull() {
		role = m.Role.ValueString()
		if iampolicy.ValidateRole(role) == nil {
			if err := r.kind.checkRole(role, nil); err != nil {
				resp.Diagnostics.AddAttributeError(iamPathRole, "Role does not apply to this target", err.Error())
			}
		}
	}
	members, _ := m.memberList()
	for _, member := range members {
		at := iamPathMember
		if r.multi {
			at = iamPathMembers.AtSetValue(types.StringValue(member))
		}
		if r.kind.publicGuard && iampolicy.IsPublic(member) && !m.AllowPublic.IsUnknown() && !m.AllowPublic.ValueBool() {
			resp.Diagnostics.AddAttributeError(at, "Public access needs allow_public = true", r.publicMessage(member, role))
		}
		if r.kind.broadGuard && iampolicy.IsBroad(member) && iamActAsRoles[role] && !m.AllowBroad.IsUnknown() && !m.AllowBroad.ValueBool() {
			resp.Diagnostics.AddAttributeError(at, "Broad principal would be able to act as the service account",
				fmt.Sprintf("Granting %s to %s lets %s act as this service account and use every permission it holds. "+
					"Grant it to the one identity that needs it instead (e.g. serviceAccount:NAME@PROJECT.iam.gserviceaccount.com, or the "+
					"Cloud Scheduler/Tasks service agent). If this is really intended, set allow_broad_principal = true to acknowledge it.",
					role, member, iamWhoIs(member)))
		}
	}
}

// iamActAsRoles are the roles that let their holder act as a service account.
var iamActAsRoles = map[string]bool{
	"roles/iam.serviceAccountTokenCreator":       true,
	"roles/iam.serviceAccountUser":               true,
	"roles/iam.serviceAccountOpenIdTokenCreator": true,
	"roles/iam.workloadIdentityUser":             true,
}

// whoIs says who a broad member is.
func iamWhoIs(member string) string {
	switch {
	case member == iampolicy.TypeAllUsers:
		return "anyone on the internet"
	case member == iampolicy.TypeAllAuthenticatedUsers:
		return "anyone with a Google account"
	default:
		return "every account in " + strings.TrimPrefix(member, iampolicy.TypeDomain+":")
	}
}

// publicMessage explains the public-access guard rail.
func (r *iamResource) publicMessage(member, role string) string {
	effect := fmt.Sprintf("Granting %s to %s gives %s that role on the %s.", iamRoleOrDefault(role), member, iamWhoIs(member), r.kind.noun)
	if role == "" || strings.HasSuffix(role, ".invoker") || role == "roles/run.servicesInvoker" {
		effect = fmt.Sprintf("Granting the invoker role to %s makes the %s publicly invocable: %s can call it without any token.",
			member, r.kind.noun, iamWhoIs(member))
	}
	return effect + " If that is what you want, set allow_public = true in this resource to acknowledge it. Otherwise grant the role " +
		"to the caller's identity, e.g. serviceAccount:scheduler-invoker@PROJECT.iam.gserviceaccount.com."
}

func iamRoleOrDefault(role string) string {
	if role == "" {
		return "the invoker role"
	}
	return role
}

// ModifyPlan implements resource.ResourceWithModifyPlan: provider defaults
// for the target's attributes, the role that applies to the target (which
// for functions needs the function's generation), and, for exclusive
// `_iam_members`, a warning naming every member the apply will remove.
func (r *iamResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.pd == nil {
		return
	}
	plan, diags := r.load(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	config, diags := r.load(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	var state *iamModel
	if !req.State.Raw.IsNull() {
		s, diags := r.load(ctx, req.State)
		resp.Diagnostics.Append(diags...)
		state = &s
	}
	if resp.Diagnostics.HasError() {
		return
	}
	replaceIfChanged := func(p path.Path, name string, stateValue func(iamModel) types.String, v string) {
		if state != nil && stateValue(*state).ValueString() != v {
			resp.RequiresReplace = append(resp.RequiresReplace, p)
		}
	}

	for _, a := range r.kind.idAttrs {
		if a.defaultFrom == nil || !config.IDs[a.name].IsNull() {
			continue
		}
		p := path.Root(a.name)
		def := a.defaultFrom(r.pd.Client)
		if def == "" {
			resp.Diagnostics.AddAttributeError(p, "No "+a.what,
				fmt.Sprintf("Set `%s` in this resource, or `%s` in the provider block (or its environment variable).", a.name, a.providerAttr()))
			continue
		}
		plan.IDs[a.name] = types.StringValue(def)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, p, def)...)
		name := a.name
		replaceIfChanged(p, name, func(m iamModel) types.String { return m.IDs[name] }, def)
	}
	ids, known := plan.ids()
	if !known || resp.Diagnostics.HasError() {
		return
	}

	var res *iamResolved
	if r.kind.resolvesAtPlan {
		var err error
		res, err = r.kind.resolve(ctx, r.pd.Client, ids, nil)
		if gcperr.IsNotFound(err) {
			return // created in this apply: resolved and checked at apply time
		}
		if err != nil {
			r.addError(&resp.Diagnostics, err, res, "reading")
			return
		}
		for name := range r.kind.computed {
			v := res.computed[name]
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), v)...)
			replaceIfChanged(path.Root(name), name, func(m iamModel) types.String { return m.Computed[name] }, v)
		}
		if config.Role.IsNull() && r.kind.roleFromTarget {
			plan.Role = types.StringValue(res.invokerRole)
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, iamPathRole, res.invokerRole)...)
			replaceIfChanged(iamPathRole, "role", func(m iamModel) types.String { return m.Role }, res.invokerRole)
		}
		if !plan.Role.IsUnknown() {
			if err := r.kind.checkRole(plan.Role.ValueString(), res); err != nil {
				resp.Diagnostics.AddAttributeError(iamPathRole, "Role does not apply to this target", err.Error())
				return
			}
		}
	}
	if r.multi && plan.Exclusive.ValueBool() {
		r.warnExclusive(ctx, plan, ids, res, resp)
	}
}

// warnExclusive adds a warning naming the members an exclusive apply will
// remove, read from the live policy through the engine's shared read.
func (r *iamResource) warnExclusive(ctx context.Context, plan iamModel, ids iamIDs, res *iamResolved, resp *resource.ModifyPlanResponse) {
	want, known := plan.memberList()
	if !known || plan.Role.IsUnknown() || (plan.Condition != nil && plan.Condition.Expression.IsUnknown()) {
		return
	}
	if res == nil {
		var err error
		if res, err = r.kind.resolve(ctx, r.pd.Client, ids, nil); err != nil {
			return
		}
	}
	pol, err := r.pd.IAM.Read(ctx, res.target)
	if err != nil {
		if !gcperr.IsNotFound(err) {
			resp.Diagnostics.AddAttributeWarning(path.Root("exclusive"), "Could not list the members exclusive = true would remove",
				fmt.Sprintf("Reading the IAM policy of %s failed, so this plan cannot say which members the apply will remove: %v", res.describe, err))
		}
		return
	}
	foreign := iamSubtract(pol.Members(plan.Role.ValueString(), plan.condition()), want)
	if len(foreign) == 0 {
		return
	}
	resp.Diagnostics.AddAttributeWarning(iamPathMembers,
		fmt.Sprintf("exclusive = true will remove %d member(s) of %s not listed in members", len(foreign), plan.Role.ValueString()),
		fmt.Sprintf("The apply makes `members` the only holders of %s on %s, removing: %s. Add them to `members` to keep them, "+
			"or set exclusive = false to leave other holders alone.", plan.Role.ValueString(), res.describe, strings.Join(foreign, ", ")))
}

// providerAttr names the provider setting holding an attribute's default.
func (a iamIDAttr) providerAttr() string {
	if a.name == "location" {
		return "region"
	}
	return a.name
}
