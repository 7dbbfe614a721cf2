package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/modifiers/iammodifier"
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
// exclusive) resource; kind says what the target is and gives its typed
// model (iam_resource_model.go).
//
// What a set-of-members resource may remove is decided in one place,
// iampolicy.MayRemove: with exclusive = false only the members it manages
// (listed by its configuration and written by it, recorded in private state
// by iammodifier.SetManaged), never a member someone else granted.
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
	if resp.Diagnostics.HasError() {
		return
	}
	b := m.base()
	ctx, cancel := withTimeout(ctx, b.Timeouts.Create, defaultIAMTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	ids, _ := iamModelIDs(m)
	res, ok := r.resolveTarget(ctx, ids, nil, &resp.Diagnostics)
	if !ok {
		return
	}
	if b.Role.IsUnknown() || b.Role.IsNull() {
		// The target was not resolvable at plan time (created in the same apply).
		b.Role = types.StringValue(res.invokerRole)
	}
	if err := r.kind.checkRole(b.Role.ValueString(), res); err != nil {
		resp.Diagnostics.AddAttributeError(iamPathRole, "Role does not apply to this target", err.Error())
		return
	}
	want, _ := m.membership().list()
	mut := iampolicy.AddMembers(b.Role.ValueString(), b.condition(), want...)
	if m.membership().exclusive() {
		mut = iampolicy.SetAuthoritative(b.Role.ValueString(), b.condition(), want...)
	}
	ctx = r.withCaller(ctx, r.formatID(ids, b, m), want)
	if _, err := r.pd.IAM.Apply(ctx, res.target, mut); err != nil {
		r.addApplyError(&resp.Diagnostics, err, res)
		return
	}
	iamSetComputed(m, res)
	m.membership().set(want)
	b.ID = types.StringValue(r.formatID(ids, b, m))
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	if r.multi {
		resp.Diagnostics.Append(iammodifier.SetManaged(ctx, resp.Private, iampolicy.Canonical(want))...)
	}
}

// Read implements resource.Resource: the policy comes from Engine.Read
// (shared by every resource on the same policy during one refresh).
//
// `members` in state: with exclusive = false, the managed members that still
// hold the role (a managed member removed out of band drops out, so the plan
// re-adds it; a member someone else added never enters); with exclusive =
// true, every holder, so someone else's member shows as a diff to remove.
func (r *iamResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	m, diags := r.load(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	b := m.base()
	ids, _ := iamModelIDs(m)
	res, err := r.kind.resolve(ctx, r.pd.Client, ids, iamModelHint(m))
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
	iamSetComputed(m, res)
	role := b.Role.ValueString()
	cond := b.condition()
	if cond != nil && cond.Expression == "" {
		// Imported by condition title: take the rest from the policy.
		cond = iamFindCondition(pol, role, cond.Title)
		if cond == nil {
			resp.State.RemoveResource(ctx)
			return
		}
		b.Condition = iamConditionFrom(cond)
	}
	live := pol.Members(role, cond)
	if r.multi {
		managed, diags := r.managed(ctx, req.Private, m)
		resp.Diagnostics.Append(diags...)
		managed = iampolicy.Intersect(managed, live)
		if m.membership().exclusive() {
			m.membership().set(live)
		} else {
			m.membership().set(managed)
		}
		resp.Diagnostics.Append(iammodifier.SetManaged(ctx, resp.Private, managed)...)
	} else if members, _ := m.membership().list(); len(members) != 1 || !pol.HasMember(role, members[0], cond) {
		resp.State.RemoveResource(ctx) // removed out of band: the next plan re-creates it
		return
	}
	b.ID = types.StringValue(r.formatID(ids, b, m))
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// Update implements resource.Resource. Only `members` and `exclusive` of
// `_iam_members` change the policy (everything else naming the binding
// requires replacement): one Engine.Apply adding the wanted members and
// removing what iampolicy.MayRemove allows.
func (r *iamResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := r.load(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	prior, diags := r.load(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	b := plan.base()
	ctx, cancel := withTimeout(ctx, b.Timeouts.Update, defaultIAMTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	ids, _ := iamModelIDs(plan)
	if r.multi {
		res, ok := r.resolveTarget(ctx, ids, iamModelHint(prior), &resp.Diagnostics)
		if !ok {
			return
		}
		managed, diags := r.managed(ctx, req.Private, prior)
		resp.Diagnostics.Append(diags...)
		want, _ := plan.membership().list()
		role, cond := b.Role.ValueString(), b.condition()
		mut := iampolicy.AddMembers(role, cond, want...)
		switch rm := iampolicy.MayRemove(managed, want, plan.membership().exclusive()); {
		case rm.AllOthers:
			mut = iampolicy.SetAuthoritative(role, cond, want...)
		case len(rm.Members) > 0:
			mut = append(iampolicy.RemoveMembers(role, cond, rm.Members...), mut...)
		}
		ctx = r.withCaller(ctx, r.formatID(ids, b, plan), want)
		if _, err := r.pd.IAM.Apply(ctx, res.target, mut); err != nil {
			// The prior state stays: Apply writes all or nothing.
			r.addApplyError(&resp.Diagnostics, err, res)
			return
		}
		iamSetComputed(plan, res)
		plan.membership().set(want)
		resp.Diagnostics.Append(iammodifier.SetManaged(ctx, resp.Private, iampolicy.Canonical(want))...)
	}
	if b.ID.IsUnknown() || b.ID.IsNull() {
		// The plan keeps the prior id (UseStateForUnknown), also when the
		// target is only spelled another way (service account email vs
		// resource name); the next refresh spells it as configured.
		b.ID = types.StringValue(r.formatID(ids, b, plan))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Delete implements resource.Resource: removes only the member(s) this
// resource manages, never anyone else's and never another role.
func (r *iamResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	m, diags := r.load(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	b := m.base()
	ctx, cancel := withTimeout(ctx, b.Timeouts.Delete, defaultIAMTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	managed, diags := r.managed(ctx, req.Private, m)
	resp.Diagnostics.Append(diags...)
	remove := iampolicy.MayRemove(managed, nil, false).Members
	if len(remove) == 0 {
		return
	}
	ids, _ := iamModelIDs(m)
	res, err := r.kind.resolve(ctx, r.pd.Client, ids, iamModelHint(m))
	if gcperr.IsNotFound(err) {
		return
	}
	if err != nil {
		r.addError(&resp.Diagnostics, err, res, "reading")
		return
	}
	ctx = r.withCaller(ctx, r.formatID(ids, b, m), remove)
	_, err = r.pd.IAM.Apply(ctx, res.target, iampolicy.RemoveMembers(b.Role.ValueString(), b.condition(), remove...))
	if err != nil && !gcperr.IsNotFound(err) {
		r.addApplyError(&resp.Diagnostics, err, res)
	}
}

// managed returns the members m's resource manages: for `_iam_member` its
// member; for `_iam_members` the private-state record, or, for a state
// without one (written by an older version, or moved), the `members` in
// state, which held exactly the managed members unless exclusive was true.
func (r *iamResource) managed(ctx context.Context, private iammodifier.PrivateGetter, m iamModel) ([]string, diag.Diagnostics) {
	members, _ := m.membership().list()
	if !r.multi {
		return members, nil
	}
	recorded, ok, diags := iammodifier.Managed(ctx, private)
	if ok {
		return recorded, diags
	}
	return members, diags
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

// formatID is the import ID: "<resource> <role> [<member> | <member>,<member>...] [<title>]".
func (r *iamResource) formatID(ids iamIDs, b *iamBaseModel, m iamModel) string {
	parts := []string{r.kind.formatResource(ids), b.Role.ValueString()}
	members, known := m.membership().list()
	switch {
	case !r.multi:
		parts = append(parts, members...)
	case known && len(members) > 0:
		// An `_iam_members` id lists its members, so importing a resource by
		// its own id claims exactly them (ImportState's member-list form) and
		// plans no change.
		parts = append(parts, strings.Join(iampolicy.Canonical(members), ","))
	}
	if b.Condition != nil && b.Condition.Title.ValueString() != "" {
		parts = append(parts, b.Condition.Title.ValueString())
	}
	return strings.Join(parts, " ")
}

// iamFindCondition returns the condition titled title on a binding of role.
func iamFindCondition(p *iampolicy.Policy, role, title string) *iampolicy.Condition {
	for _, b := range p.Bindings {
		if b.Role == role && b.Condition != nil && b.Condition.Title == title {
			c := *b.Condition
			return &c
		}
	}
	return nil
}
