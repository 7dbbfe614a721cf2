package gcpclient

import (
	"context"
	"fmt"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// ServiceAccountExists looks a user-managed service account up by email with
// iam serviceAccounts.get on projects/PROJECT/serviceAccounts/EMAIL (PROJECT
// from the email: Google answers 403 instead of 404 for a missing account
// addressed through "projects/-"). It answers true when found, false on 404,
// and an error when it cannot tell (403, an email of another form, ...).
// It is iamengine.Options.ServiceAccountExists.
func (c *Client) ServiceAccountExists(ctx context.Context, email string) (bool, error) {
	project := gcpnames.ProjectFromServiceAccountEmail(email)
	if project == "" {
		return false, fmt.Errorf("%q is not a user-managed service account email (ID@PROJECT.iam.gserviceaccount.com); service agents and default accounts cannot be looked up by project", email)
	}
	svc, err := c.IAM(ctx)
	if err != nil {
		return false, err
	}
	_, err = svc.Projects.ServiceAccounts.Get(gcpnames.ServiceAccountName(project, email)).Fields("name").Context(ctx).Do()
	switch {
	case err == nil:
		return true, nil
	case gcperr.IsNotFound(err):
		return false, nil
	default:
		return false, err
	}
}
