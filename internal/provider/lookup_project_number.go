package provider

import (
	"context"
	"errors"
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
	number, err := c.ProjectNumber(ctx, project)
	if err != nil {
		switch code := gcperr.Code(err); {
		case errors.Is(err, gcpclient.ErrNoProjectNumber):
			diags.AddAttributeError(attr, "Project has no number",
				fmt.Sprintf("Resource Manager returned project %q without a project number; cannot name its service agents.", project))
		case code == http.StatusForbidden, code == http.StatusNotFound:
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
	return number, diags
}
