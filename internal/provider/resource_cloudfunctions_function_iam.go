package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/gcpnamevalidator"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/rolevalidator"
)

// Generations of Cloud Functions and the invoker role of functionGen1 functions.
const (
	functionGen1          = "GEN_1"
	functionGen2          = "GEN_2"
	functionsInvokerRole  = "roles/cloudfunctions.invoker"
	attrGeneration        = "generation"
	attrBindingTarget     = "binding_target"
	functionsV2GetAction  = "cloudfunctions.v2.functions.get"
	functionsV1IAMActions = "cloudfunctions.v1.functions"
)

// functionIAM is the Cloud Functions kind of the generic IAM resources:
// gcpinvoke_cloudfunctions_function_iam_member and _iam_members. A 1st gen
// function's binding is on the function (Cloud Functions v1 API); a 2nd gen
// function is served by a Cloud Run service, and invoking it needs
// roles/run.invoker on that service, so the binding is made there.
var functionIAM = &iamTargetKind{
	name: "cloudfunctions_function",
	noun: "Cloud Function",
	idAttrs: []iamIDAttr{iamProjectAttr, iamLocationAttr, {
		name: "function", desc: "The name of the function (1st or 2nd gen).",
		validators: []validator.String{gcpnamevalidator.FunctionName()},
	}},
	roleFromTarget: true,
	roleDesc: "The role to grant. Defaults to the invoker role for the function's generation: `roles/cloudfunctions.invoker` on a " +
		"1st gen function, `roles/run.invoker` on the Cloud Run service behind a 2nd gen function (see `binding_target`). " +
		"`roles/cloudfunctions.invoker` on a 2nd gen function is refused at plan time: it does not let anyone call it.",
	publicGuard:    true,
	resolvesAtPlan: true,
	computed: map[string]string{
		attrGeneration:    "The function's generation, `GEN_1` or `GEN_2`, read from the Cloud Functions v2 API.",
		attrBindingTarget: "The resource the binding is on: the function (`projects/P/locations/L/functions/F`) for 1st gen, its Cloud Run service (`projects/P/locations/L/services/S`) for 2nd gen.",
	},
	resolve:   resolveFunction,
	checkRole: checkFunctionRole,
	parseResource: func(s string, c *gcpclient.Client) (iamIDs, error) {
		p, l, n, err := gcpnames.ParseFunctionID(s, c.Project(), c.Region())
		return iamIDs{"project": p, "location": l, "function": n}, err
	},
	formatResource: func(ids iamIDs) string { return functionName(ids) },
	newModel:       iamModelOf[functionIAMMemberModel, functionIAMMembersModel](),
}

// functionIAMTarget are the attributes naming the function and what it
// resolves to.
type functionIAMTarget struct {
	Project       types.String `tfsdk:"project"`
	Location      types.String `tfsdk:"location"`
	Function      types.String `tfsdk:"function"`
	Generation    types.String `tfsdk:"generation"`
	BindingTarget types.String `tfsdk:"binding_target"`
	iamPublicGuardPart
}

func (t *functionIAMTarget) targetIDs() map[string]*types.String {
	return map[string]*types.String{"project": &t.Project, "location": &t.Location, "function": &t.Function}
}

func (t *functionIAMTarget) targetComputed() map[string]*types.String {
	return map[string]*types.String{attrGeneration: &t.Generation, attrBindingTarget: &t.BindingTarget}
}

// functionIAMMemberModel is gcpinvoke_cloudfunctions_function_iam_member.
type functionIAMMemberModel struct {
	iamBaseModel
	functionIAMTarget
	iamMemberPart
}

// functionIAMMembersModel is gcpinvoke_cloudfunctions_function_iam_members.
type functionIAMMembersModel struct {
	iamBaseModel
	functionIAMTarget
	iamMembersPart
}

func functionName(ids iamIDs) string {
	return gcpnames.LocationalName{Project: ids["project"], Location: ids["location"], Collection: "functions", Name: ids["function"]}.String()
}

// resolveFunction finds the function's generation (from the hint, else a
// Cloud Functions v2 GET) and the resource its invoker binding is on.
func resolveFunction(ctx context.Context, c *gcpclient.Client, ids iamIDs, hint map[string]string) (*iamResolved, error) {
	name := functionName(ids)
	gen, bindingTarget := hint[attrGeneration], hint[attrBindingTarget]
	if gen == "" || bindingTarget == "" {
		res := &iamResolved{api: "cloudfunctions.v2.functions", getAction: functionsV2GetAction, describe: fmt.Sprintf("Cloud Function %q", name)}
		svc, err := c.CloudFunctionsV2(ctx)
		if err != nil {
			return res, err
		}
		f, err := svc.Projects.Locations.Functions.Get(name).Context(ctx).Do()
		if err != nil {
			return res, err
		}
		gen, bindingTarget = f.Environment, name
		if gen != functionGen1 {
			if f.ServiceConfig == nil || f.ServiceConfig.Service == "" {
				return res, fmt.Errorf("2nd gen function %s has no Cloud Run service yet (serviceConfig.service is empty): "+
					"wait until its deployment finishes and apply again", name)
			}
			gen, bindingTarget = functionGen2, f.ServiceConfig.Service
		}
	}
	computed := map[string]string{attrGeneration: gen, attrBindingTarget: bindingTarget}
	if gen == functionGen2 {
		res, err := resolveRunService(ctx, c, bindingTarget)
		res.describe = fmt.Sprintf("Cloud Run service %q of 2nd gen function %q", bindingTarget, name)
		res.computed = computed
		return res, err
	}
	res := &iamResolved{api: functionsV1IAMActions, describe: fmt.Sprintf("Cloud Function %q", name),
		invokerRole: functionsInvokerRole, computed: computed}
	svc, err := c.CloudFunctionsV1(ctx)
	if err != nil {
		return res, err
	}
	res.target = iamengine.NewFunctionV1Target(svc, name)
	return res, nil
}

// checkFunctionRole tells why role cannot be granted on the function (r nil:
// generation not known yet).
func checkFunctionRole(role string, r *iamResolved) error {
	switch {
	case r == nil:
		return iamRoleFamilyCheck(role, "Cloud Function", append(slices.Clone(rolevalidator.FunctionRoles), rolevalidator.RunServiceRoles...), "roles/cloudfunctions.", "roles/run.")
	case r.computed[attrGeneration] == functionGen2 && isFunctionsRole(role):
		return fmt.Errorf("this is a 2nd gen function: it is served by the Cloud Run service %s, and calling it needs "+
			"%q on that service; %s on a 2nd gen function does not let anyone invoke it. Remove `role` (it defaults to the invoker "+
			"role for the function's generation) or set role = %q: the binding is then made on the service (see binding_target)",
			r.computed[attrBindingTarget], runInvokerRole, role, runInvokerRole)
	case r.computed[attrGeneration] == functionGen2:
		return iamRoleFamilyCheck(role, "2nd gen function's Cloud Run service", rolevalidator.RunServiceRoles, "roles/run.")
	case isRunRole(role):
		return fmt.Errorf("this is a 1st gen function: it is not served by Cloud Run, so %s does not apply; "+
			"use %q (or remove `role`: it defaults to the invoker role for the function's generation)", role, functionsInvokerRole)
	default:
		return iamRoleFamilyCheck(role, "1st gen Cloud Function", rolevalidator.FunctionRoles, "roles/cloudfunctions.")
	}
}

// NewCloudFunctionsFunctionIAMMemberResource is gcpinvoke_cloudfunctions_function_iam_member.
func NewCloudFunctionsFunctionIAMMemberResource() resource.Resource {
	return newIAMMemberResource(functionIAM)()
}

// NewCloudFunctionsFunctionIAMMembersResource is gcpinvoke_cloudfunctions_function_iam_members.
func NewCloudFunctionsFunctionIAMMembersResource() resource.Resource {
	return newIAMMembersResource(functionIAM)()
}
