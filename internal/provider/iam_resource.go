package provider

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

var (
	_ resource.ResourceWithConfigure      = (*iamResource)(nil)
	_ resource.ResourceWithImportState    = (*iamResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*iamResource)(nil)
	_ resource.ResourceWithValidateConfig = (*iamResource)(nil)
)

// defaultIAMTimeout bounds create, update and delete unless `timeouts` says
// otherwise: the IAM engine retries conflicts and not-yet-visible service
// accounts for as long as this allows.
const defaultIAMTimeout = 5 * time.Minute

// iamResource is the one implementation of every `*_iam_member` (multi
// false: one member) and `*_iam_members` (multi true: a set, optionally
// exclusive) resource; kind says what the target is.
type iamResource struct {
	kind  *iamTargetKind
	multi bool
	pd    *providerData
}

// newIAMMemberResource returns the `_iam_member` resource of kind.
func newIAMMemberResource(kind *iamTargetKind) func() resource.Resource {
	return func() resource.Resource { return &iamResource{kind: kind} }
}

// newIAMMembersResource returns the `_iam_members` resource of kind.
func newIAMMembersResource(kind *iamTargetKind) func() resource.Resource {
	return func() resource.Resource { return &iamResource{kind: kind, multi: true} }
}

// Metadata implements resource.Resource.
func (r *iamResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	if r.multi {
		resp.TypeName = r.kind.membersType()
	} else {
		resp.TypeName = r.kind.memberType()
	}
}

// Configure implements resource.ResourceWithConfigure.
func (r *iamResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.pd = pd
}

// Create implements resource.Resource: one Engine.Apply adding the member(s)
// (or, exclusive, setting them as the role's only holders).
func (r *iamResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	m, diags := r.load(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := withTimeout(ctx, m.Timeouts.Create, defaultIAMTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	ids, _ := m.ids()
	res, ok := r.resolveTarget(ctx, ids, nil, &resp.Diagnostics)
	if !ok {
		return
	}
	if m.Role.IsUnknown() || m.Role.IsNull() {
		// The target was not resolvable at plan time (created in the same apply).
		m.Role = types.StringValue(res.invokerRole)
	}
	if err := r.kind.checkRole(m.Role.ValueString(), res); err != nil {
		resp.Diagnostics.AddAttributeError(iamPathRole, "Role does not apply to this target", err.Error())
		return
	}
	members, _ := m.memberList()
	mut := iampolicy.AddMembers(m.Role.ValueString(), m.condition(), members...)
	if r.multi && m.Exclusive.ValueBool() {
		mut = iampolicy.SetAuthoritative(m.Role.ValueString(), m.condition(), members...)
	}
	if _, err := r.pd.IAM.Apply(ctx, res.target, mut); err != nil {
		r.addError(&resp.Diagnostics, err, res, "setIamPolicy")
		return
	}
	m.setComputed(res)
	if r.multi {
		m.Members = iamMemberSet(members)
	}
	m.ID = types.StringValue(r.formatID(ids, m))
	resp.State.Raw = req.Plan.Raw
	resp.Diagnostics.Append(r.store(ctx, &resp.State, m)...)
}

// Read implements resource.Resource: the policy comes from Engine.Read
// (shared by every resource on the same policy during one refresh).
func (r *iamResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	m, diags := r.load(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ids, _ := m.ids()
	res, err := r.kind.resolve(ctx, r.pd.Client, ids, m.hint())
	if gcperr.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		r.addError(&resp.Diagnostics, err, res, "reading")
		return
	}
	pol, err := r.pd.IAM.Read(ctx, res.target)
	if gcperr.IsNotFound(err) {
		resp.State.RemoveResource(ctx) // the target is gone, and its bindings with it
		return
	}
	if err != nil {
		r.addError(&resp.Diagnostics, err, res, "getIamPolicy")
		return
	}
	m.setComputed(res)
	role := m.Role.ValueString()
	cond := m.condition()
	if cond != nil && cond.Expression == "" {
		// Imported by condition title: take the rest from the policy.
		cond = iamFindCondition(pol, role, cond.Title)
		if cond == nil {
			resp.State.RemoveResource(ctx)
			return
		}
		m.Condition = iamConditionFrom(cond)
	}
	live := pol.Members(role, cond)
	if r.multi {
		switch {
		case m.Members.IsNull():
			// Imported: adopt every current holder.
			m.Members = iamMemberSet(live)
			if r.kind.publicGuard {
				m.AllowPublic = types.BoolValue(slices.ContainsFunc(live, iampolicy.IsPublic))
			}
		case m.Exclusive.ValueBool():
			// Authoritative: every holder is shown, so members added by
			// anyone else appear as a diff.
			m.Members = iamMemberSet(live)
		default:
			managed, _ := m.memberList()
			m.Members = iamMemberSet(iamIntersect(managed, live))
		}
	} else if !pol.HasMember(role, m.Member.ValueString(), cond) {
		resp.State.RemoveResource(ctx) // removed out of band: the next plan re-creates it
		return
	}
	m.ID = types.StringValue(r.formatID(ids, m))
	resp.Diagnostics.Append(r.store(ctx, &resp.State, m)...)
}

// Update implements resource.Resource. Only `members` and `exclusive` of
// `_iam_members` change the policy (everything else naming the binding
// requires replacement): one Engine.Apply with the adds and removes.
func (r *iamResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := r.load(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	prior, diags := r.load(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultIAMTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	ids, _ := plan.ids()
	if r.multi {
		res, ok := r.resolveTarget(ctx, ids, prior.hint(), &resp.Diagnostics)
		if !ok {
			return
		}
		want, _ := plan.memberList()
		had, _ := prior.memberList()
		role, cond := plan.Role.ValueString(), plan.condition()
		mut := iampolicy.Mutation{
			{Kind: iampolicy.OpRemove, Role: role, Condition: cond, Members: iamSubtract(had, want)},
			{Kind: iampolicy.OpAdd, Role: role, Condition: cond, Members: want},
		}
		if plan.Exclusive.ValueBool() {
			mut = iampolicy.SetAuthoritative(role, cond, want...)
		}
		if _, err := r.pd.IAM.Apply(ctx, res.target, mut); err != nil {
			// The prior state stays: Apply writes all or nothing.
			r.addError(&resp.Diagnostics, err, res, "setIamPolicy")
			return
		}
		plan.setComputed(res)
		plan.Members = iamMemberSet(want)
	}
	plan.ID = types.StringValue(r.formatID(ids, plan))
	resp.State.Raw = req.Plan.Raw
	resp.Diagnostics.Append(r.store(ctx, &resp.State, plan)...)
}

// Delete implements resource.Resource: removes only the member(s) this
// resource manages, never anyone else's and never another role.
func (r *iamResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	m, diags := r.load(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := withTimeout(ctx, m.Timeouts.Delete, defaultIAMTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	ids, _ := m.ids()
	res, err := r.kind.resolve(ctx, r.pd.Client, ids, m.hint())
	if gcperr.IsNotFound(err) {
		return
	}
	if err != nil {
		r.addError(&resp.Diagnostics, err, res, "reading")
		return
	}
	members, _ := m.memberList()
	if len(members) == 0 {
		return
	}
	_, err = r.pd.IAM.Apply(ctx, res.target, iampolicy.RemoveMembers(m.Role.ValueString(), m.condition(), members...))
	if err != nil && !gcperr.IsNotFound(err) {
		r.addError(&resp.Diagnostics, err, res, "setIamPolicy")
	}
}

// resolveTarget resolves ids, adding an error diagnostic on failure.
func (r *iamResource) resolveTarget(ctx context.Context, ids iamIDs, hint map[string]string, diags *diag.Diagnostics) (*iamResolved, bool) {
	res, err := r.kind.resolve(ctx, r.pd.Client, ids, hint)
	if err != nil {
		r.addError(diags, err, res, "reading")
		return nil, false
	}
	return res, true
}

// addError explains err met on res ("setIamPolicy", "getIamPolicy" or a
// free-text action such as "reading") via gcpclient.Describe.
func (r *iamResource) addError(diags *diag.Diagnostics, err error, res *iamResolved, method string) {
	action, what := method, "the "+r.kind.noun
	if res != nil {
		what = res.describe
		switch {
		case method == "reading" && res.getAction != "":
			action = res.getAction
		case method != "reading":
			action = res.api + "." + method
		}
	}
	summary, detail := gcpclient.Describe(err, action, what)
	diags.AddError(summary, detail)
}

// formatID is the import ID of m: "<resource> <role> [<member>] [<title>]".
func (r *iamResource) formatID(ids iamIDs, m iamModel) string {
	parts := []string{r.kind.formatResource(ids), m.Role.ValueString()}
	if !r.multi {
		parts = append(parts, m.Member.ValueString())
	}
	if m.Condition != nil && m.Condition.Title.ValueString() != "" {
		parts = append(parts, m.Condition.Title.ValueString())
	}
	return strings.Join(parts, " ")
}

// findCondition returns the condition titled title on a binding of role.
func iamFindCondition(p *iampolicy.Policy, role, title string) *iampolicy.Condition {
	for _, b := range p.Bindings {
		if b.Role == role && b.Condition != nil && b.Condition.Title == title {
			c := *b.Condition
			return &c
		}
	}
	return nil
}

// intersect returns the members of a that are in b (canonical compare).
func iamIntersect(a, b []string) []string {
	in := map[string]bool{}
	for _, s := range b {
		in[iampolicy.CanonicalMember(s)] = true
	}
	var out []string
	for _, s := range a {
		if in[iampolicy.CanonicalMember(s)] {
			out = append(out, s)
		}
	}
	return out
}

// subtract returns the members of a that are not in b (canonical compare).
func iamSubtract(a, b []string) []string {
	in := map[string]bool{}
	for _, s := range b {
		in[iampolicy.CanonicalMember(s)] = true
	}
	var out []string
	for _, s := range a {
		if !in[iampolicy.CanonicalMember(s)] {
			out = append(out, s)
		}
	}
	return out
}
