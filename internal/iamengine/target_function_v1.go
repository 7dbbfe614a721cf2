package iamengine

import (
	"context"

	cloudfunctions "google.golang.org/api/cloudfunctions/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

type functionV1Target struct {
	svc  *cloudfunctions.Service
	name string
}

// NewFunctionV1Target returns the IAM policy of a 1st-gen Cloud Function,
// name "projects/P/locations/L/functions/F" (Cloud Functions API v1).
func NewFunctionV1Target(svc *cloudfunctions.Service, name string) Target {
	return &functionV1Target{svc: svc, name: name}
}

func (t *functionV1Target) Key() string    { return "cloudfunctions.v1.functions/" + t.name }
func (t *functionV1Target) String() string { return "Cloud Function " + t.name }

func (t *functionV1Target) GetPolicy(ctx context.Context) (*iampolicy.Policy, error) {
	got, err := t.svc.Projects.Locations.Functions.GetIamPolicy(t.name).
		OptionsRequestedPolicyVersion(requestedPolicyVersion).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	return fromAPI(got)
}

func (t *functionV1Target) SetPolicy(ctx context.Context, p *iampolicy.Policy) (*iampolicy.Policy, error) {
	ap, err := toAPI[cloudfunctions.Policy](p)
	if err != nil {
		return nil, err
	}
	ap.ForceSendFields = forceBindings(p, ap.ForceSendFields)
	req := &cloudfunctions.SetIamPolicyRequest{Policy: ap, UpdateMask: updateMask}
	got, err := t.svc.Projects.Locations.Functions.SetIamPolicy(t.name, req).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	return fromAPI(got)
}
