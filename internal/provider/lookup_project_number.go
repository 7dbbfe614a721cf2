package provider

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
)

// lookupProjectNumber returns the number of project through Resource
// Manager v1. A project that does not exist (or that the credentials cannot
// see, which Google answers the same way) is reported on attr, the
// attribute that named it.
func lookupProjectNumber(ctx context.Context, c *gcpclient.Client, project string, attr path.Path) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	svc, err := c.ResourceManager(ctx)
	if err != nil {
		diags.AddError(gcpclient.Describe(err, "cloudresourcemanager.projects.get", fmt.Sprintf("project %q", project)))
		return "", diags
	}
	p, err := svc.Projects.Get(project).Context(ctx).Do()
	if err != nil {
		switch gcperr.Code(err) {
		case http.StatusForbidden, http.StatusNotFound:
			diags.AddAttributeError(attr, "Project not found",
				fmt.Sprintf("Looking up the number of project %q failed: %s\n\n"+
					"The project does not exist, or the credentials Terraform runs as cannot read it (Google answers both the same way; "+
					"reading it needs resourcemanager.projects.get, e.g. roles/browser). Check `%s`: it takes the project ID "+
					"(such as \"my-project\"), not its number or display name.",
					project, gcperr.Message(err), attr))
		default:
			diags.AddError(gcpclient.Describe(err, "cloudresourcemanager.projects.get", fmt.Sprintf("project %q", project)))
		}
		return "", diags
	}
	if p.ProjectNumber == 0 {
		diags.AddAttributeError(attr, "Project has no number",
			fmt.Sprintf("Resource Manager returned project %q without a project number; cannot name its service agents.", project))
		return "", diags
	}
	return fmt.Sprint(p.ProjectNumber), diags
}
