package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/modifiers/iammodifier"
)

// The typed models of the IAM family. Every resource's model is three
// embedded parts: iamBaseModel (what every IAM resource has), the target's
// attributes (one struct per kind: runServiceIAMTarget, functionIAMTarget,
// serviceAccountIAMTarget) and the membership (iamMemberPart for
// `_iam_member`, iamMembersPart for `_iam_members`). The six concrete models
// are declared next to their kinds; iamModel is how the shared code sees
// them.

// iamBaseModel holds the attributes every IAM resource has.
type iamBaseModel struct {
	ID        types.String       `tfsdk:"id"`
	Role      types.String       `tfsdk:"role"`
	Condition *iamConditionModel `tfsdk:"condition"`
	Timeouts  timeouts.Value     `tfsdk:"timeouts"`
}

// iamConditionModel is the `condition` object.
type iamConditionModel struct {
	Title       types.String `tfsdk:"title"`
	Description types.String `tfsdk:"description"`
	Expression  types.String `tfsdk:"expression"`
}

// iamMemberPart is the membership of an `_iam_member` resource.
type iamMemberPart struct {
	Member types.String `tfsdk:"member"`
}

// iamMembersPart is the membership of an `_iam_members` resource.
type iamMembersPart struct {
	Members   types.Set  `tfsdk:"members"`
	Exclusive types.Bool `tfsdk:"exclusive"`
}

// iamPublicGuardPart is `allow_public` (kinds that can be made public).
type iamPublicGuardPart struct {
	AllowPublic types.Bool `tfsdk:"allow_public"`
}

// iamBroadGuardPart is `allow_broad_principal` (service accounts).
type iamBroadGuardPart struct {
	AllowBroad types.Bool `tfsdk:"allow_broad_principal"`
}

// iamModel is any of the six concrete models, through the methods their
// embedded parts promote.
type iamModel interface {
	base() *iamBaseModel
	// targetIDs are the attributes naming the target, by attribute name.
	targetIDs() map[string]*types.String
	// targetComputed are the kind's computed attributes, by name.
	targetComputed() map[string]*types.String
	// membership is *iamMemberPart or *iamMembersPart.
	membership() iamMembership
	// guards are the guard-rail flags the kind offers.
	guards() iamGuards
}

// iamMembership is the member(s) part of a model.
type iamMembership interface {
	// list returns the member(s); known is false when one is unknown.
	list() (members []string, known bool)
	// set stores members (canonical) after a read or write.
	set(members []string)
	// exclusive reports an authoritative `_iam_members`.
	exclusive() bool
}

// iamGuards are pointers to a model's guard-rail flags (nil when the kind
// does not offer one).
type iamGuards struct {
	allowPublic *types.Bool
	allowBroad  *types.Bool
}

func (b *iamBaseModel) base() *iamBaseModel { return b }

func (m *iamMemberPart) membership() iamMembership  { return m }
func (m *iamMembersPart) membership() iamMembership { return m }

func (g *iamPublicGuardPart) guards() iamGuards { return iamGuards{allowPublic: &g.AllowPublic} }
func (g *iamBroadGuardPart) guards() iamGuards  { return iamGuards{allowBroad: &g.AllowBroad} }

func (m *iamMemberPart) list() ([]string, bool) {
	switch {
	case m.Member.IsUnknown():
		return nil, false
	case m.Member.IsNull():
		return nil, true
	}
	return []string{m.Member.ValueString()}, true
}

func (m *iamMemberPart) set([]string)    {} // `member` is configuration only
func (m *iamMemberPart) exclusive() bool { return false }

func (m *iamMembersPart) list() ([]string, bool) { return iammodifier.Strings(m.Members) }
func (m *iamMembersPart) set(members []string)   { m.Members = iamMemberSet(members) }
func (m *iamMembersPart) exclusive() bool        { return m.Exclusive.ValueBool() }

// getter is tfsdk.Config, tfsdk.Plan or tfsdk.State.
type getter interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// load reads the whole typed model of r's kind from a config, plan or state.
func (r *iamResource) load(ctx context.Context, src getter) (iamModel, diag.Diagnostics) {
	m := r.kind.newModel(r.multi)
	diags := src.Get(ctx, m)
	return m, diags
}

// ids returns the target's attribute values; ok is false when one is unknown.
func iamModelIDs(m iamModel) (iamIDs, bool) {
	out := iamIDs{}
	for k, v := range m.targetIDs() {
		if v.IsUnknown() {
			return nil, false
		}
		out[k] = v.ValueString()
	}
	return out, true
}

// iamModelHint returns the computed attributes known in m.
func iamModelHint(m iamModel) map[string]string {
	out := map[string]string{}
	for k, v := range m.targetComputed() {
		if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
			out[k] = v.ValueString()
		}
	}
	return out
}

// iamSetComputed copies a resolved target's computed values into m.
func iamSetComputed(m iamModel, res *iamResolved) {
	for k, v := range m.targetComputed() {
		*v = types.StringValue(res.computed[k])
	}
}

// condition returns the IAM condition (nil: unconditional).
func (b *iamBaseModel) condition() *iampolicy.Condition {
	if b.Condition == nil {
		return nil
	}
	return &iampolicy.Condition{
		Title:       b.Condition.Title.ValueString(),
		Description: b.Condition.Description.ValueString(),
		Expression:  b.Condition.Expression.ValueString(),
	}
}

// iamMemberSet builds the `members` value (canonical, sorted).
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

// iamConditionFrom is the `condition` value of an IAM condition.
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

// iamTimeoutsOpts are the operations `timeouts` of an IAM resource sets.
var iamTimeoutsOpts = timeouts.Opts{Create: true, Update: true, Delete: true}

// iamNullTimeouts is an unset `timeouts` block.
func iamNullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "update": types.StringType, "delete": types.StringType,
	})}
}
