package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// ImportState implements resource.ResourceWithImportState with the Google
// provider's ID formats: `_iam_member` "<resource> <role> <member> [condition
// title]", `_iam_members` "<resource> <role> [condition title]". Read then
// fills in the rest from the live policy (for `_iam_members`: every current
// holder of the role).
func (r *iamResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.pd == nil {
		resp.Diagnostics.AddError("Provider not configured", "The provider must be configured before importing.")
		return
	}
	format := "<resource> <role> <member> [condition title]"
	resourceID, role, member, title := gcpnames.SplitIAMImportID(req.ID)
	if r.multi {
		format = "<resource> <role> [condition title]"
		title = strings.TrimSpace(strings.TrimSpace(member + " " + title))
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
	var members []string
	set := func(name string, v any) {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
	for name, v := range ids {
		set(name, v)
	}
	set("role", role)
	if r.multi {
		set("exclusive", false)
	} else {
		canonical, err := iampolicy.NormalizeMember(member)
		if err != nil {
			resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Import ID %q: %v", req.ID, err))
			return
		}
		set("member", canonical)
		members = []string{canonical}
	}
	if title != "" {
		// Read looks the condition up by title in the live policy.
		set("condition", &iamConditionModel{Title: types.StringValue(title), Description: types.StringNull(), Expression: types.StringValue("")})
	}
	if r.kind.publicGuard {
		public := false
		for _, m := range members {
			public = public || iampolicy.IsPublic(m)
		}
		set("allow_public", public)
	}
	if r.kind.broadGuard {
		broad := false
		for _, m := range members {
			broad = broad || iampolicy.IsBroad(m)
		}
		set("allow_broad_principal", broad)
	}
	set("id", req.ID)
}

// resourceFormats lists the accepted forms of <resource> in import IDs.
func (k *iamTargetKind) resourceFormats() string {
	if len(k.idAttrs) == 1 {
		return "the " + k.noun + "'s email or projects/{project}/serviceAccounts/{email}"
	}
	coll := k.idAttrs[len(k.idAttrs)-1].name + "s"
	return fmt.Sprintf("projects/{project}/locations/{location}/%s/{name}, {project}/{location}/{name}, {location}/{name} or {name}", coll)
}
