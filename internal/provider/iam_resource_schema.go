package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/modifiers/iammodifier"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/conditionvalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/membervalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/rolevalidator"
)

// Schema implements resource.Resource.
func (r *iamResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	k := r.kind
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed: true,
			MarkdownDescription: "The import ID: `<resource> <role>` followed by the member (`_iam_member`) or the " +
				"comma-separated members (`_iam_members`, sorted), then the condition title when there is a condition. " +
				"Importing an `_iam_members` by its own `id` therefore claims exactly its members and plans no change.",
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"condition": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "An [IAM condition](https://cloud.google.com/iam/docs/conditions-overview) limiting the grant. " +
				"A binding is identified by role *and* condition: the same role with another condition is another binding. Changing it replaces the resource.",
			PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplace()},
			Attributes: map[string]schema.Attribute{
				"title": schema.StringAttribute{
					Required:            true,
					MarkdownDescription: "Title of the condition (Google requires one); also the last part of the import ID.",
					Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				},
				"description": schema.StringAttribute{
					Optional:            true,
					MarkdownDescription: "Description of the condition.",
				},
				"expression": schema.StringAttribute{
					Required: true,
					MarkdownDescription: "The [CEL](https://cloud.google.com/iam/docs/conditions-attribute-reference) expression, e.g. `request.time < timestamp(\"2030-01-01T00:00:00Z\")`. " +
						"It is parsed at plan time: an expression that is not valid CEL is a plan error.",
					Validators: []validator.String{conditionvalidator.CEL()},
				},
			},
		},
	}
	for _, a := range k.idAttrs {
		s := schema.StringAttribute{MarkdownDescription: a.desc + " Changing it replaces the resource."}
		if a.defaultFrom == nil {
			s.Required = true
			s.PlanModifiers = []planmodifier.String{stringplanmodifier.RequiresReplace()}
			if a.sameTarget != nil {
				s.MarkdownDescription = a.desc + " Changing it to another target replaces the resource; another spelling of the same target does not."
				s.PlanModifiers = []planmodifier.String{iamRequiresReplaceUnlessSameTarget(a.sameTarget)}
			}
			s.Validators = []validator.String{stringvalidator.LengthAtLeast(1)}
		} else {
			// The default comes from the provider, so it is set by ModifyPlan,
			// which also asks for replacement when it changes.
			s.Optional, s.Computed = true, true
			s.PlanModifiers = []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured()}
			s.Validators = []validator.String{stringvalidator.LengthAtLeast(1)}
		}
		s.Validators = append(s.Validators, a.validators...)
		attrs[a.name] = s
	}
	for name, desc := range k.computed {
		attrs[name] = schema.StringAttribute{
			Computed: true, MarkdownDescription: desc,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	}
	role := schema.StringAttribute{
		MarkdownDescription: k.roleDesc + " A predefined role of Cloud Run, Cloud Functions, IAM, Cloud Scheduler, Cloud Tasks or Workflows " +
			"that does not exist is a plan error naming the closest one; custom roles (`projects/P/roles/R`, `organizations/O/roles/R`) " +
			"are passed to Google as written. Changing it replaces the resource.",
		Validators:    []validator.String{rolevalidator.Valid()},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
	switch {
	case k.roleFromTarget:
		role.Optional, role.Computed = true, true
		role.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()}
	case k.defaultRole != "":
		role.Optional, role.Computed = true, true
		role.Default = stringdefault.StaticString(k.defaultRole)
	default:
		role.Required = true
	}
	attrs["role"] = role
	if r.multi {
		attrs["members"] = schema.SetAttribute{
			Required:    true,
			ElementType: types.StringType,
			MarkdownDescription: fmt.Sprintf("The members granted `role`, e.g. `serviceAccount:scheduler@my-project.iam.gserviceaccount.com`. "+
				"All of them are written in one read and one write of the %s's policy. Unless `exclusive` is true, members granted the role by "+
				"anyone else are left alone, and only the members listed here are removed when they leave the set or the resource is destroyed.", k.noun),
			Validators:    []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(membervalidator.Valid())},
			PlanModifiers: []planmodifier.Set{iammodifier.KeptMembersWarning()},
		}
		attrs["exclusive"] = schema.BoolAttribute{
			Optional: true, Computed: true, Default: booldefault.StaticBool(false),
			MarkdownDescription: "When true, `members` is the complete list of holders of `role` (under `condition`): members added by anyone " +
				"else are removed at the next apply, and the plan warns which ones. Other roles are never touched. Defaults to `false`.",
		}
	} else {
		attrs["member"] = schema.StringAttribute{
			Required: true,
			MarkdownDescription: "The member granted `role`: `user:EMAIL`, `serviceAccount:EMAIL`, `group:EMAIL`, `domain:DOMAIN`, " +
				"`allUsers`, `allAuthenticatedUsers`, `principal://...` or `principalSet://...`. Changing it replaces the resource.",
			Validators:    []validator.String{membervalidator.Valid()},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		}
	}
	if k.publicGuard {
		attrs["allow_public"] = schema.BoolAttribute{
			Optional: true, Computed: true, Default: booldefault.StaticBool(false),
			MarkdownDescription: fmt.Sprintf("Set to `true` to acknowledge that `allUsers` or `allAuthenticatedUsers` make the %s "+
				"callable by anyone on the internet (or anyone with a Google account). Without it such members are a plan-time error. Defaults to `false`.", k.noun),
		}
	}
	if k.broadGuard {
		attrs["allow_broad_principal"] = schema.BoolAttribute{
			Optional: true, Computed: true, Default: booldefault.StaticBool(false),
			MarkdownDescription: "Set to `true` to acknowledge granting a role that lets members act as the service account " +
				"(`roles/iam.serviceAccountTokenCreator`, `roles/iam.serviceAccountUser`, `roles/iam.serviceAccountOpenIdTokenCreator`, " +
				"`roles/iam.workloadIdentityUser`) to a broad principal (`allUsers`, `allAuthenticatedUsers`, `domain:...`). " +
				"Without it that is a plan-time error. Defaults to `false`.",
		}
	}
	resp.Schema = schema.Schema{
		Attributes: attrs,
		// The block form, as on every other resource of this provider and in
		// the Google provider: `timeouts { create = "10m" }`.
		Blocks:              map[string]schema.Block{"timeouts": timeouts.Block(ctx, iamTimeoutsOpts)},
		MarkdownDescription: r.description(),
	}
}

// description is the resource's Markdown description.
func (r *iamResource) description() string {
	k := r.kind
	if r.multi {
		return fmt.Sprintf("Grants one role on a %s to a set of members in one read and one write of its IAM policy. "+
			"Non-authoritative by default: members granted the role by anyone else are kept, and only the members this resource manages are "+
			"ever removed (when they leave `members`, or on destroy). With `exclusive = true` it is authoritative for the role (and condition) "+
			"and the plan warns which members it will remove. Import it with the members it manages listed in the ID, "+
			"`<resource> <role> <member>[,<member>...] [condition title]`: it then manages exactly those of them holding the role, so an import "+
			"of the configured members (as its own `id` lists them) gives an empty plan and never claims anyone else's. Imported as `<resource> <role> [condition title]` it claims no member, "+
			"and the plan after the import adds the configured members without removing anyone. "+
			"Concurrent writers are handled with etag retries that never drop their changes.", k.noun)
	}
	return fmt.Sprintf("Grants one role on a %s to one member, without touching any other member or role of its IAM policy. "+
		"Several resources on the same policy are written together in one read and one write; concurrent writers are handled with etag retries "+
		"that never drop their changes.", k.noun)
}
