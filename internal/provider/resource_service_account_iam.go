package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/serviceaccountemailvalidator"
)

// serviceAccountIAM is the service account kind of the generic IAM
// resources: gcpinvoke_service_account_iam_member and _iam_members, which
// say who may act as the account (impersonate it, mint its tokens).
var serviceAccountIAM = &iamTargetKind{
	name: "service_account",
	noun: "service account",
	idAttrs: []iamIDAttr{{
		name:       "service_account",
		desc:       "The service account: its email (`NAME@PROJECT.iam.gserviceaccount.com`) or `projects/PROJECT/serviceAccounts/EMAIL`.",
		validators: []validator.String{serviceaccountemailvalidator.EmailOrName()},
	}},
	roleDesc: "The role to grant on the service account, e.g. `roles/iam.serviceAccountTokenCreator` (mint its tokens; for the " +
		"Cloud Scheduler and Cloud Tasks service agents, their own `roles/cloudscheduler.serviceAgent` / `roles/cloudtasks.serviceAgent` " +
		"works too and is what `gcpinvoke_service_agent_impersonation` grants by default) or `roles/iam.serviceAccountUser` (attach it to jobs).",
	broadGuard: true,
	resolve: func(ctx context.Context, c *gcpclient.Client, ids iamIDs, _ map[string]string) (*iamResolved, error) {
		project, email, err := gcpnames.ParseServiceAccountID(ids["service_account"], c.Project())
		if err != nil {
			return nil, err
		}
		name := gcpnames.ServiceAccountName(project, email)
		res := &iamResolved{api: "iam.serviceAccounts", describe: fmt.Sprintf("service account %q", name)}
		svc, err := c.IAM(ctx)
		if err != nil {
			return res, err
		}
		res.target = iamengine.NewServiceAccountTarget(svc, name)
		return res, nil
	},
	checkRole: func(role string, _ *iamResolved) error {
		if isRunRole(role) || isFunctionsRole(role) {
			return fmt.Errorf("%s applies to Cloud Run services and Cloud Functions, not to a service account: to let this "+
				"account invoke a service, grant the role on the service to serviceAccount:EMAIL with "+
				"gcpinvoke_run_service_iam_member or gcpinvoke_cloudfunctions_function_iam_member", role)
		}
		return nil
	},
	parseResource: func(s string, c *gcpclient.Client) (iamIDs, error) {
		if _, _, err := gcpnames.ParseServiceAccountID(s, c.Project()); err != nil {
			return nil, err
		}
		return iamIDs{"service_account": s}, nil
	},
	formatResource: func(ids iamIDs) string { return ids["service_account"] },
}

// NewServiceAccountIAMMemberResource is gcpinvoke_service_account_iam_member.
func NewServiceAccountIAMMemberResource() resource.Resource {
	return newIAMMemberResource(serviceAccountIAM)()
}

// NewServiceAccountIAMMembersResource is gcpinvoke_service_account_iam_members.
func NewServiceAccountIAMMembersResource() resource.Resource {
	return newIAMMembersResource(serviceAccountIAM)()
}
