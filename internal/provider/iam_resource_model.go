package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// iamModel is the state of a generic IAM resource. Its attributes differ by
// kind (the target's attributes, the guard rails offered), so it is read and
// written attribute by attribute rather than through one tfsdk struct.
type iamModel struct {
	IDs      map[string]types.String // the kind's idAttrs
	Computed map[string]types.String // the kind's computed attributes

	ID          types.String
	Role        types.String
	Member      types.String // _iam_member
	Members     types.Set    // _iam_members
	Exclusive   types.Bool   // _iam_members
	Condition   *iamConditionModel
	AllowPublic types.Bool // kinds with publicGuard
	AllowBroad  types.Bool // kinds with broadGuard
	Timeouts    timeouts.Value

	multi bool // the model of an `_iam_members` resource
}

// iamConditionModel is the `condition` object.
type iamConditionModel struct {
	Title       types.String `tfsdk:"title"`
	Description types.String `tfsdk:"description"`
	Expression  types.String `tfsdk:"expression"`
}

// attrGetter is tfsdk.Config, tfsdk.Plan or tfsdk.State.
type attrGetter interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

// attrSetter is tfsdk.Plan or tfsdk.State.
type attrSetter interface {
	SetAttribute(ctx context.Context, p path.Path, val any) diag.Diagnostics
}

// load reads the model from a config, plan or state.
func (r *iamResource) load(ctx context.Context, src attrGetter) (iamModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := iamModel{IDs: map[string]types.String{}, Computed: map[string]types.String{}, multi: r.multi}
	get := func(name string, target any) {
		diags.Append(src.GetAttribute(ctx, path.Root(name), target)...)
	}
	for _, a := range r.kind.idAttrs {
		var v types.String
		get(a.name, &v)
		m.IDs[a.name] = v
	}
	for name := range r.kind.computed {
		var v types.String
		get(name, &v)
		m.Computed[name] = v
	}
	get("id", &m.ID)
	get("role", &m.Role)
	if r.multi {
		get("members", &m.Members)
		get("exclusive", &m.Exclusive)
	} else {
		get("member", &m.Member)
	}
	get("condition", &m.Condition)
	if r.kind.publicGuard {
		get("allow_public", &m.AllowPublic)
	}
	if r.kind.broadGuard {
		get("allow_broad_principal", &m.AllowBroad)
	}
	get("timeouts", &m.Timeouts)
	return m, diags
}

// store writes the attributes a provider computes or refreshes: id, the
// target's attributes, computed attributes, role, member(s), condition.
func (r *iamResource) store(ctx context.Context, dst attrSetter, m iamModel) diag.Diagnostics {
	var diags diag.Diagnostics
	set := func(name string, v any) {
		diags.Append(dst.SetAttribute(ctx, path.Root(name), v)...)
	}
	for name, v := range m.IDs {
		set(name, v)
	}
	for name, v := range m.Computed {
		set(name, v)
	}
	set("id", m.ID)
	set("role", m.Role)
	if r.multi {
		set("members", m.Members)
		set("exclusive", m.Exclusive)
	} else {
		set("member", m.Member)
	}
	set("condition", m.Condition)
	if r.kind.publicGuard {
		set("allow_public", m.AllowPublic)
	}
	if r.kind.broadGuard {
		set("allow_broad_principal", m.AllowBroad)
	}
	return diags
}

// ids returns the target's attribute values; ok is false when one is unknown.
func (m iamModel) ids() (iamIDs, bool) {
	out := iamIDs{}
	for k, v := range m.IDs {
		if v.IsUnknown() {
			return nil, false
		}
		out[k] = v.ValueString()
	}
	return out, true
}

// hint returns the computed attributes known in m.
func (m iamModel) hint() map[string]string {
	out := map[string]string{}
	for k, v := range m.Computed {
		if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
			out[k] = v.ValueString()
		}
	}
	return out
}

// setComputed copies a resolved target's computed values into m.
func (m *iamModel) setComputed(res *iamResolved) {
	for k := range m.Computed {
		m.Computed[k] = types.StringValue(res.computed[k])
	}
}

// condition returns the IAM condition (nil: unconditional).
func (m iamModel) condition() *iampolicy.Condition {
	if m.Condition == nil {
		return nil
	}
	return &iampolicy.Condition{
		Title:       m.Condition.Title.ValueString(),
		Description: m.Condition.Description.ValueString(),
		Expression:  m.Condition.Expression.ValueString(),
	}
}

// memberList returns the configured member(s); known is false when the
// list or one member is unknown.
func (m iamModel) memberList() (members []string, known bool) {
	if m.multi {
		if m.Members.IsUnknown() {
			return nil, false
		}
		for _, e := range m.Members.Elements() {
			s, ok := e.(types.String)
			if !ok || s.IsUnknown() {
				return nil, false
			}
			if !s.IsNull() {
				members = append(members, s.ValueString())
			}
		}
		return members, true
	}
	if m.Member.IsUnknown() {
		return nil, false
	}
	if m.Member.IsNull() {
		return nil, true
	}
	return []string{m.Member.ValueString()}, true
}

// memberSet builds the `members` value (canonical, sorted).
func iamMemberSet(members []string) types.Set {
	canon := make([]string, 0, len(members))
	for _, s := range members {
		canon = append(canon, iampolicy.CanonicalMember(s))
	}
	slices.Sort(canon)
	canon = slices.Compact(canon)
	elems := make([]attr.Value, len(canon))
	for i, s := range canon {
		elems[i] = types.StringValue(s)
	}
	return types.SetValueMust(types.StringType, elems)
}

// conditionFrom is the `condition` value of an IAM condition.
func iamConditionFrom(c *iampolicy.Condition) *iamConditionModel {
	if c == nil || (c.Title == "" && c.Expression == "" && c.Description == "") {
		return nil
	}
	desc := types.StringNull()
	if c.Description != "" {
		desc = types.StringValue(c.Description)
	}
	return &iamConditionModel{Title: types.StringValue(c.Title), Description: desc, Expression: types.StringValue(c.Expression)}
}
