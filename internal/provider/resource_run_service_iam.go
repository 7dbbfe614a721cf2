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
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/gcpnamevalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/rolevalidator"
)

// runInvokerRole lets a caller invoke a Cloud Run service.
const runInvokerRole = "roles/run.invoker"

// Attributes shared by the kinds whose targets live in a project and location.
var (
	iamProjectAttr = iamIDAttr{
		name: "project", what: "project",
		desc:        "The project ID. Defaults to the provider's `project`.",
		defaultFrom: func(c *gcpclient.Client) string { return c.Project() },
		validators:  []validator.String{gcpnamevalidator.ProjectID()},
	}
	iamLocationAttr = iamIDAttr{
		name: "location", what: "location",
		desc:        "The region, e.g. `us-central1`. Defaults to the provider's `region`.",
		defaultFrom: func(c *gcpclient.Client) string { return c.Region() },
		validators:  []validator.String{gcpnamevalidator.Location()},
	}
)

// runServiceIAM is the Cloud Run service kind of the generic IAM resources:
// gcpinvoke_run_service_iam_member and gcpinvoke_run_service_iam_members.
var runServiceIAM = &iamTargetKind{
	name: "run_service",
	noun: "Cloud Run service",
	idAttrs: []iamIDAttr{iamProjectAttr, iamLocationAttr, {
		name: "service", desc: "The name of the Cloud Run service (not its URL).",
		validators: []validator.String{gcpnamevalidator.RunServiceName()},
	}},
	defaultRole: runInvokerRole,
	roleDesc: "The role to grant. Defaults to `roles/run.invoker`, which lets the member call the service with an OIDC token. " +
		"Cloud Run accepts `roles/run.*`, the basic roles and custom roles.",
	publicGuard: true,
	resolve: func(ctx context.Context, c *gcpclient.Client, ids iamIDs, _ map[string]string) (*iamResolved, error) {
		return resolveRunService(ctx, c, runServiceName(ids["project"], ids["location"], ids["service"]))
	},
	checkRole: func(role string, _ *iamResolved) error {
		if isFunctionsRole(role) {
			return fmt.Errorf("%s is a Cloud Functions role and does not apply to a Cloud Run service: "+
				"use %q to let the member invoke the service", role, runInvokerRole)
		}
		return iamRoleFamilyCheck(role, "Cloud Run service", rolevalidator.RunServiceRoles, "roles/run.")
	},
	parseResource: func(s string, c *gcpclient.Client) (iamIDs, error) {
		p, l, n, err := gcpnames.ParseRunServiceID(s, c.Project(), c.Region())
		return iamIDs{"project": p, "location": l, "service": n}, err
	},
	formatResource: func(ids iamIDs) string {
		return runServiceName(ids["project"], ids["location"], ids["service"])
	},
	newModel: iamModelOf[runServiceIAMMemberModel, runServiceIAMMembersModel](),
}

// runServiceIAMTarget are the attributes naming the Cloud Run service.
type runServiceIAMTarget struct {
	Project  types.String `tfsdk:"project"`
	Location types.String `tfsdk:"location"`
	Service  types.String `tfsdk:"service"`
	iamPublicGuardPart
}

func (t *runServiceIAMTarget) targetIDs() map[string]*types.String {
	return map[string]*types.String{"project": &t.Project, "location": &t.Location, "service": &t.Service}
}

func (t *runServiceIAMTarget) targetComputed() map[string]*types.String { return nil }

// runServiceIAMMemberModel is gcpinvoke_run_service_iam_member.
type runServiceIAMMemberModel struct {
	iamBaseModel
	runServiceIAMTarget
	iamMemberPart
}

// runServiceIAMMembersModel is gcpinvoke_run_service_iam_members.
type runServiceIAMMembersModel struct {
	iamBaseModel
	runServiceIAMTarget
	iamMembersPart
}

// runServiceName is projects/P/locations/L/services/S.
func runServiceName(project, location, service string) string {
	return gcpnames.LocationalName{Project: project, Location: location, Collection: "services", Name: service}.String()
}

// resolveRunService is the IAM target of the Cloud Run service name.
func resolveRunService(ctx context.Context, c *gcpclient.Client, name string) (*iamResolved, error) {
	res := &iamResolved{api: "run.services", describe: fmt.Sprintf("Cloud Run service %q", name), invokerRole: runInvokerRole}
	svc, err := c.Run(ctx)
	if err != nil {
		return res, err
	}
	res.target = iamengine.NewRunServiceTarget(svc, name)
	return res, nil
}

// isFunctionsRole reports a predefined Cloud Functions role.
func isFunctionsRole(role string) bool { return strings.HasPrefix(role, "roles/cloudfunctions.") }

// isRunRole reports a predefined Cloud Run role.
func isRunRole(role string) bool { return strings.HasPrefix(role, "roles/run.") }

// NewRunServiceIAMMemberResource is gcpinvoke_run_service_iam_member.
func NewRunServiceIAMMemberResource() resource.Resource { return newIAMMemberResource(runServiceIAM)() }

// NewRunServiceIAMMembersResource is gcpinvoke_run_service_iam_members.
func NewRunServiceIAMMembersResource() resource.Resource {
	return newIAMMembersResource(runServiceIAM)()
}
