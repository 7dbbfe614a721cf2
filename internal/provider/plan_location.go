package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/gcpnamevalidator"
)

// planLocationDefaults sets project and location from the provider's
// project and region when the configuration leaves them out, replacing
// the resource when that default changed. kind names the resource in
// messages.
func planLocationDefaults(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, data *providerData, kind string) map[string]types.String {
	defaults := map[string]string{"project": data.Client.Project(), "location": data.Client.Region()}
	setting := map[string]string{"project": "project", "location": "region"}
	values := map[string]types.String{}
	for _, a := range []string{"project", "location"} {
		var cfg, st types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(a), &cfg)...)
		if !req.State.Raw.IsNull() {
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(a), &st)...)
		}
		v := cfg
		if cfg.IsNull() {
			if defaults[a] == "" {
				resp.Diagnostics.AddAttributeError(path.Root(a), "No "+a+" for the "+kind,
					fmt.Sprintf("Set %s on the resource, or %s in the provider block (or its environment variable).", a, setting[a]))
				continue
			}
			v = types.StringValue(defaults[a])
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(a), v)...)
			if !st.IsNull() && !st.Equal(v) {
				resp.RequiresReplace = append(resp.RequiresReplace, path.Root(a))
			}
		}
		values[a] = v
	}
	return values
}

// locatedIDAttribute is the id of a resource named
// projects/{project}/locations/{location}/{collection}/{name}.
func locatedIDAttribute(collection string) schema.StringAttribute {
	return schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: "Full resource name: `projects/{project}/locations/{location}/" + collection + "/{name}`.",
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

// locatedProjectAttribute is the project of a located resource (noun:
// "job"), planned by planLocationDefaults when left out.
func locatedProjectAttribute(noun string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Project of the " + noun + ". Defaults to the provider's `project`. Changing it replaces the " + noun + ".",
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured()},
		Validators:          []validator.String{gcpnamevalidator.ProjectID()},
	}
}

// locatedLocationAttribute is the location of a located resource, planned
// by planLocationDefaults when left out.
func locatedLocationAttribute(noun string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Region of the " + noun + ", e.g. `us-central1`. Defaults to the provider's `region`. Changing it replaces the " + noun + ".",
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured()},
		Validators:          []validator.String{gcpnamevalidator.Location()},
	}
}

// importLocated sets project, location and name from an import ID that
// parse reads (full name, P/L/N, L/N or N), the missing parts from the
// provider's project and region. typeName names the resource in errors.
func importLocated(ctx context.Context, data *providerData, req resource.ImportStateRequest, resp *resource.ImportStateResponse,
	typeName string, parse func(id, defProject, defRegion string) (project, location, name string, err error)) {
	var defProject, defRegion string
	if data != nil {
		defProject, defRegion = data.Client.Project(), data.Client.Region()
	}
	project, location, name, err := parse(req.ID, defProject, defRegion)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID for "+typeName, err.Error())
		return
	}
	for a, v := range map[string]string{"project": project, "location": location, "name": name} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(a), v)...)
	}
}
