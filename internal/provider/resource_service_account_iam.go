package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/rolevalidator"
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
		sameTarget: sameServiceAccount,
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
	checkRole: checkServiceAccountRole,
	parseResource: func(s string, c *gcpclient.Client) (iamIDs, error) {
		if _, _, err := gcpnames.ParseServiceAccountID(s, c.Project()); err != nil {
			return nil, err
		}
		return iamIDs{"service_account": s}, nil
	},
	formatResource: func(ids iamIDs) string { return ids["service_account"] },
	newModel:       iamModelOf[serviceAccountIAMMemberModel, serviceAccountIAMMembersModel](),
}

// serviceAccountIAMTarget is the attribute naming the service account.
type serviceAccountIAMTarget struct {
	ServiceAccount types.String `tfsdk:"service_account"`
	iamBroadGuardPart
}

func (t *serviceAccountIAMTarget) targetIDs() map[string]*types.String {
	return map[string]*types.String{"service_account": &t.ServiceAccount}
}

func (t *serviceAccountIAMTarget) targetComputed() map[string]*types.String { return nil }

// serviceAccountIAMMemberModel is gcpinvoke_service_account_iam_member.
type serviceAccountIAMMemberModel struct {
	iamBaseModel
	serviceAccountIAMTarget
	iamMemberPart
}

// serviceAccountIAMMembersModel is gcpinvoke_service_account_iam_members.
type serviceAccountIAMMembersModel struct {
	iamBaseModel
	serviceAccountIAMTarget
	iamMembersPart
}

// NewServiceAccountIAMMemberResource is gcpinvoke_service_account_iam_member.
func NewServiceAccountIAMMemberResource() resource.Resource {
	return newIAMMemberResource(serviceAccountIAM)()
}

// NewServiceAccountIAMMembersResource is gcpinvoke_service_account_iam_members.
func NewServiceAccountIAMMembersResource() resource.Resource {
	return newIAMMembersResource(serviceAccountIAM)()
}

// checkServiceAccountRole tells why role cannot be granted on a service
// account: the predefined roles of Cloud Run, Cloud Functions, Cloud
// Scheduler, Cloud Tasks and Workflows hold no permission on a service
// account (Google refuses them: "role is not supported for this resource").
func checkServiceAccountRole(role string, _ *iamResolved) error {
	switch {
	case isRunRole(role) || isFunctionsRole(role):
		return fmt.Errorf("%s applies to Cloud Run services and Cloud Functions, not to a service account: to let this "+
			"account invoke a service, grant the role on the service to serviceAccount:EMAIL with "+
			"gcpinvoke_run_service_iam_member or gcpinvoke_cloudfunctions_function_iam_member", role)
	case strings.HasPrefix(role, "roles/cloudscheduler."), strings.HasPrefix(role, "roles/cloudtasks."), strings.HasPrefix(role, "roles/workflows."):
		return fmt.Errorf("%s does not apply to a service account (it is granted on the project, or for Cloud Tasks on a queue). "+
			"Roles for a service account: %s", role, strings.Join(rolevalidator.ServiceAccountRoles, ", "))
	}
	return nil
}

// sameServiceAccount reports whether a and b name the same service account:
// its email and projects/PROJECT/serviceAccounts/EMAIL (or projects/-/...)
// are two spellings of one account. The import ID may use either, whatever
// the configuration uses.
func sameServiceAccount(a, b string) bool {
	pa, ea, errA := gcpnames.ParseServiceAccountID(a, "")
	pb, eb, errB := gcpnames.ParseServiceAccountID(b, "")
	if errA != nil || errB != nil {
		return a == b
	}
	// ParseServiceAccountID gives project "-" when neither the path nor
	// the email names one.
	return ea == eb && (pa == pb || pa == "-" || pb == "-")
}
