package iammodifier

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

var _ planmodifier.Set = keptMembersWarning{}

// KeptMembersWarning returns the plan modifier of `members` that explains a
// diff which removes nothing: members shown in state (held by someone else,
// listed there while `exclusive` was true) that leave `members` while the
// planned `exclusive` is false stay on the policy, because only the members
// this resource managed may be removed (iampolicy.MayRemove).
func KeptMembersWarning() planmodifier.Set { return keptMembersWarning{} }

type keptMembersWarning struct{}

func (keptMembersWarning) Description(context.Context) string {
	return "warns about members leaving state that stay on the policy because this resource never managed them"
}

func (m keptMembersWarning) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keptMembersWarning) PlanModifySet(ctx context.Context, req planmodifier.SetRequest, resp *planmodifier.SetResponse) {
	if req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return // create or destroy
	}
	var exclusive types.Bool
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("exclusive"), &exclusive)...)
	if resp.Diagnostics.HasError() || exclusive.IsUnknown() || exclusive.ValueBool() {
		return
	}
	prior, known := Strings(req.StateValue)
	want, wantKnown := Strings(req.PlanValue)
	if !known || !wantKnown {
		return
	}
	managed, ok, diags := Managed(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if !ok {
		managed = prior
	}
	kept := KeptMembers(prior, want, managed)
	if len(kept) == 0 {
		return
	}
	resp.Diagnostics.AddAttributeWarning(req.Path,
		fmt.Sprintf("%d member(s) leave the state but stay on the IAM policy", len(kept)),
		fmt.Sprintf("With exclusive = false this resource only ever removes members its configuration listed. %s "+
			"never did, so the apply keeps them on the policy and only stops showing them here. "+
			"To remove them, set exclusive = true (authoritative for the role), or remove them where they were granted.",
			strings.Join(kept, ", ")))
}

// KeptMembers returns the members of the prior state that leave `members`
// (not in want) but stay on the policy with exclusive = false, because the
// resource never managed them (iampolicy.MayRemove).
func KeptMembers(prior, want, managed []string) []string {
	removed := iampolicy.MayRemove(managed, want, false).Members
	return iampolicy.Subtract(iampolicy.Subtract(prior, want), removed)
}

// Strings returns the elements of a set of strings; known is false when the
// set or one element is unknown.
func Strings(s types.Set) (out []string, known bool) {
	if s.IsUnknown() {
		return nil, false
	}
	for _, e := range s.Elements() {
		v, ok := e.(types.String)
		if !ok || v.IsUnknown() {
			return nil, false
		}
		if !v.IsNull() {
			out = append(out, v.ValueString())
		}
	}
	return out, true
}
