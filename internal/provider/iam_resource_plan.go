package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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
// rails that need only the configuration (no API call) and more than one
// attribute (single-attribute checks are validators in the schema).
func (r *iamResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	m, diags := r.load(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	b := m.base()
	if c := b.Condition; c != nil && !c.Title.IsUnknown() && !c.Expression.IsUnknown() && strings.TrimSpace(c.Expression.ValueString()) != "" {
		// A blank expression is reported on condition.expression by its
		// validator (conditionvalidator.CEL).
		if err := iampolicy.ValidateCondition(b.condition()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("condition"), "Invalid IAM condition", err.Error())
		}
	}
	role := r.kind.defaultRole
	if b.Role.IsUnknown() {
		role = ""
	} else if !b.Role.IsNull() {
		role = b.Role.ValueString()
		if iampolicy.ValidateRole(role) == nil {
			if err := r.kind.checkRole(role, nil); err != nil {
				resp.Diagnostics.AddAttributeError(iamPathRole, "Role does not apply to this target", err.Error())
			}
		}
	}
	g := m.guards()
	members, _ := m.membership().list()
	for _, member := range members {
		at := iamPathMember
		if r.multi {
			at = iamPathMembers.AtSetValue(types.StringValue(member))
		}
		if g.allowPublic != nil && iampolicy.IsPublic(member) && !g.allowPublic.IsUnknown() && !g.allowPublic.ValueBool() {
			resp.Diagnostics.AddAttributeError(at, "Public access needs allow_public = true", r.publicMessage(member, role))
		}
		if g.allowBroad != nil && iampolicy.IsBroad(member) && iamActAsRoles[role] && !g.allowBroad.IsUnknown() && !g.allowBroad.ValueBool() {
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

// ModifyPlan implements resource.ResourceWithModifyPlan. It runs the plan
// steps that need the provider's configuration or the API (the ones that do
// not are named plan modifiers in the schema, see iammodifier), in order:
//
//   - planTargetDefaults: the target's attributes defaulted from the provider;
//   - planResolvedTarget: the target resolved (functions: generation and
//     binding target), the role defaulted from it and checked against it;
//   - planExclusiveRemovals: with exclusive = true, a warning naming every
//     member the apply will remove.
func (r *iamResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.pd == nil {
		return
	}
	p := iamPlan{replace: &resp.RequiresReplace}
	var diags diag.Diagnostics
	p.plan, diags = r.load(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	p.config, diags = r.load(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if !req.State.Raw.IsNull() {
		p.state, diags = r.load(ctx, req.State)
		resp.Diagnostics.Append(diags...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	defer func() { resp.Diagnostics.Append(resp.Plan.Set(ctx, p.plan)...) }()

	if !r.planTargetDefaults(&p, &resp.Diagnostics) {
		return
	}
	res, ok := r.planResolvedTarget(ctx, &p, &resp.Diagnostics)
	if !ok {
		return
	}
	r.planExclusiveRemovals(ctx, &p, res, &resp.Diagnostics)
	r.planMembersID(&p)
}

// planMembersID marks the id of an `_iam_members` unknown when its members
// change: the id lists them (formatID), and Update spells the new one.
func (r *iamResource) planMembersID(p *iamPlan) {
	if !r.multi || p.state == nil {
		return
	}
	want, wantKnown := p.plan.membership().list()
	have, haveKnown := p.state.membership().list()
	if wantKnown && haveKnown && slices.Equal(iampolicy.Canonical(want), iampolicy.Canonical(have)) {
		return
	}
	p.plan.base().ID = types.StringUnknown()
}

// iamPlan is what the ModifyPlan steps work on: the planned model (changed
// in place), the configuration and the prior state (nil on create).
type iamPlan struct {
	plan, config, state iamModel
	replace             *path.Paths
}

// replaceIfChanged asks for replacement when a value the plan sets differs
// from the prior state's.
func (p *iamPlan) replaceIfChanged(at path.Path, prior func(iamModel) *types.String, v string) {
	if p.state != nil && prior(p.state).ValueString() != v {
		*p.replace = append(*p.replace, at)
	}
}

// planTargetDefaults sets the target's unconfigured attributes from the
// provider's settings; false when one has no value (an error) or the target
// is not known yet.
func (r *iamResource) planTargetDefaults(p *iamPlan, diags *diag.Diagnostics) bool {
	planned, configured := p.plan.targetIDs(), p.config.targetIDs()
	for _, a := range r.kind.idAttrs {
		if a.defaultFrom == nil || !configured[a.name].IsNull() {
			continue
		}
		at := path.Root(a.name)
		def := a.defaultFrom(r.pd.Client)
		if def == "" {
			diags.AddAttributeError(at, "No "+a.what,
				fmt.Sprintf("Set `%s` in this resource, or `%s` in the provider block (or its environment variable).", a.name, a.providerAttr()))
			continue
		}
		*planned[a.name] = types.StringValue(def)
		name := a.name
		p.replaceIfChanged(at, func(m iamModel) *types.String { return m.targetIDs()[name] }, def)
	}
	_, known := iamModelIDs(p.plan)
	return known && !diags.HasError()
}

// planResolvedTarget resolves a target whose kind resolves at plan time,
// fills the computed attributes and the default role from it, and checks the
// role. res is nil (and ok true) when the kind does not resolve at plan time
// or the target is created in the same apply.
func (r *iamResource) planResolvedTarget(ctx context.Context, p *iamPlan, diags *diag.Diagnostics) (res *iamResolved, ok bool) {
	if !r.kind.resolvesAtPlan {
		return nil, true
	}
	ids, _ := iamModelIDs(p.plan)
	res, err := r.kind.resolve(ctx, r.pd.Client, ids, nil)
	if gcperr.IsNotFound(err) {
		return nil, true // created in this apply: resolved and checked at apply time
	}
	if err != nil {
		r.addError(diags, err, res, "reading")
		return nil, false
	}
	planned := p.plan.targetComputed()
	for name, v := range planned {
		*v = types.StringValue(res.computed[name])
		p.replaceIfChanged(path.Root(name), func(m iamModel) *types.String { return m.targetComputed()[name] }, res.computed[name])
	}
	b := p.plan.base()
	if p.config.base().Role.IsNull() && r.kind.roleFromTarget {
		b.Role = types.StringValue(res.invokerRole)
		p.replaceIfChanged(iamPathRole, func(m iamModel) *types.String { return &m.base().Role }, res.invokerRole)
	}
	if !b.Role.IsUnknown() {
		if err := r.kind.checkRole(b.Role.ValueString(), res); err != nil {
			diags.AddAttributeError(iamPathRole, "Role does not apply to this target", err.Error())
			return nil, false
		}
	}
	return res, true
}

// planExclusiveRemovals warns, for exclusive `_iam_members`, which members
// the apply will remove, read from the live policy through the engine's
// shared read.
func (r *iamResource) planExclusiveRemovals(ctx context.Context, p *iamPlan, res *iamResolved, diags *diag.Diagnostics) {
	if !r.multi || !p.plan.membership().exclusive() {
		return
	}
	b := p.plan.base()
	want, known := p.plan.membership().list()
	if !known || b.Role.IsUnknown() || (b.Condition != nil && b.Condition.Expression.IsUnknown()) {
		return
	}
	if res == nil {
		ids, _ := iamModelIDs(p.plan)
		var err error
		if res, err = r.kind.resolve(ctx, r.pd.Client, ids, nil); err != nil {
			return
		}
	}
	pol, err := r.pd.IAM.Read(ctx, res.target)
	if err != nil {
		if !gcperr.IsNotFound(err) {
			diags.AddAttributeWarning(path.Root("exclusive"), "Could not list the members exclusive = true would remove",
				fmt.Sprintf("Reading the IAM policy of %s failed, so this plan cannot say which members the apply will remove: %v", res.describe, err))
		}
		return
	}
	foreign := iampolicy.Subtract(pol.Members(b.Role.ValueString(), b.condition()), want)
	if len(foreign) == 0 {
		return
	}
	diags.AddAttributeWarning(iamPathMembers,
		fmt.Sprintf("exclusive = true will remove %d member(s) of %s not listed in members", len(foreign), b.Role.ValueString()),
		fmt.Sprintf("The apply makes `members` the only holders of %s on %s, removing: %s. Add them to `members` to keep them, "+
			"or set exclusive = false to leave other holders alone.", b.Role.ValueString(), res.describe, strings.Join(foreign, ", ")))
}

// providerAttr names the provider setting holding an attribute's default.
func (a iamIDAttr) providerAttr() string {
	if a.name == "location" {
		return "region"
	}
	return a.name
}
