package iamengine

import (
	"context"

	run "google.golang.org/api/run/v2"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

type runServiceTarget struct {
	svc  *run.Service
	name string
}

// NewRunServiceTarget returns the IAM policy of a Cloud Run service, name
// "projects/P/locations/L/services/S" (Cloud Run Admin API v2).
func NewRunServiceTarget(svc *run.Service, name string) Target {
	return &runServiceTarget{svc: svc, name: name}
}

func (t *runServiceTarget) Key() string    { return "run.services/" + t.name }
func (t *runServiceTarget) String() string { return "Cloud Run service " + t.name }

func (t *runServiceTarget) GetPolicy(ctx context.Context) (*iampolicy.Policy, error) {
	got, err := t.svc.Projects.Locations.Services.GetIamPolicy(t.name).
		OptionsRequestedPolicyVersion(requestedPolicyVersion).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	return fromAPI(got)
}

func (t *runServiceTarget) SetPolicy(ctx context.Context, p *iampolicy.Policy) (*iampolicy.Policy, error) {
	ap, err := toAPI[run.GoogleIamV1Policy](p)
	if err != nil {
		return nil, err
	}
	ap.ForceSendFields = forceBindings(p, ap.ForceSendFields)
	req := &run.GoogleIamV1SetIamPolicyRequest{Policy: ap, UpdateMask: updateMask}
	got, err := t.svc.Projects.Locations.Services.SetIamPolicy(t.name, req).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	return fromAPI(got)
}
