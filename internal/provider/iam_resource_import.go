package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/modifiers/iammodifier"
)

// ImportState implements resource.ResourceWithImportState with the Google
// provider's ID formats: `_iam_member` "<resource> <role> <member> [condition
// title]", `_iam_members` "<resource> <role> [<member>[,<member>...]]
// [condition title]". Read then fills in the rest from the live policy.
//
// An imported `_iam_members` starts with exclusive = false and manages the
// members its ID lists (those of them that hold the role, once Read has
// looked), never anyone else: claiming every holder is what made the first
// apply after an import remove everyone else's members. Listing exactly the
// configured members gives an empty plan after the import. Without a list
// it manages no member yet, and the plan after the import adds the
// configured members to the resource (a write only for those not already
// holding the role) without removing anyone.
func (r *iamResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.pd == nil {
		resp.Diagnostics.AddError("Provider not configured", "The provider must be configured before importing.")
		return
	}
	format := "<resource> <role> <member> [condition title]"
	resourceID, role, member, title := gcpnames.SplitIAMImportID(req.ID)
	var listed []string
	if r.multi {
		format = "<resource> <role> [<member>[,<member>...]] [condition title]"
		var ok bool
		if listed, ok = iamImportMemberList(member); !ok {
			// No member list: the third part starts the condition title.
			title = strings.TrimSpace(strings.TrimSpace(member + " " + title))
		}
		member = ""
	}
	if resourceID == "" || role == "" || (!r.multi && member == "") {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Import ID %q must be %q, where <resource> is %s.", req.ID, format, r.kind.resourceFormats()))
		return
	}
	if err := iampolicy.ValidateRole(role); err != nil {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Import ID %q: %v", req.ID, err))
		return
	}
	ids, err := r.kind.parseResource(resourceID, r.pd.Client)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Import ID %q: %v", req.ID, err))
		return
	}
	m := r.kind.newModel(r.multi)
	for name, v := range m.targetIDs() {
		*v = types.StringValue(ids[name])
	}
	for _, v := range m.targetComputed() {
		*v = types.StringNull()
	}
	b := m.base()
	b.ID = types.StringValue(req.ID)
	b.Role = types.StringValue(role)
	b.Timeouts = iamNullTimeouts()
	if title != "" {
		// Read looks the condition up by title in the live policy.
		b.Condition = &iamConditionModel{Title: types.StringValue(title), Description: types.StringNull(), Expression: types.StringValue("")}
	}
	var members []string
	switch ms := m.membership().(type) {
	case *iamMembersPart:
		ms.Members = iamMemberSet(listed)
		ms.Exclusive = types.BoolValue(false)
		members = listed
	case *iamMemberPart:
		canonical, err := iampolicy.NormalizeMember(member)
		if err != nil {
			resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Import ID %q: %v", req.ID, err))
			return
		}
		ms.Member = types.StringValue(canonical)
		members = []string{canonical}
	}
	if g := m.guards(); g.allowPublic != nil {
		*g.allowPublic = types.BoolValue(slices.ContainsFunc(members, iampolicy.IsPublic))
	} else if g.allowBroad != nil {
		*g.allowBroad = types.BoolValue(slices.ContainsFunc(members, iampolicy.IsBroad))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	if r.multi {
		resp.Diagnostics.Append(iammodifier.SetManaged(ctx, resp.Private, listed)...)
	}
}

// iamImportMemberList parses the third part of an `_iam_members` import ID
// as a comma-separated member list: ok only when every token is a valid IAM
// member (user:, group:, serviceAccount:, domain:, principal..., allUsers,
// allAuthenticatedUsers); otherwise the part is a condition title. The
// members come back canonical, sorted and without duplicates.
func iamImportMemberList(part string) (members []string, ok bool) {
	if part == "" {
		return nil, false
	}
	for _, tok := range strings.Split(part, ",") {
		m, err := iampolicy.NormalizeMember(strings.TrimSpace(tok))
		if err != nil {
			return nil, false
		}
		members = append(members, m)
	}
	return iampolicy.Canonical(members), true
}

// resourceFormats lists the accepted forms of <resource> in import IDs.
func (k *iamTargetKind) resourceFormats() string {
	if len(k.idAttrs) == 1 {
		return "the " + k.noun + "'s email or projects/{project}/serviceAccounts/{email}"
	}
	coll := k.idAttrs[len(k.idAttrs)-1].name + "s"
	return fmt.Sprintf("projects/{project}/locations/{location}/%s/{name}, {project}/{location}/{name}, {location}/{name} or {name}", coll)
}
