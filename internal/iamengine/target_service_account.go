package iamengine

import (
	"context"

	iam "google.golang.org/api/iam/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

type serviceAccountTarget struct {
	svc  *iam.Service
	name string
}

// NewServiceAccountTarget returns the IAM policy of a service account (who
// may act as it), name "projects/P/serviceAccounts/EMAIL" (IAM API v1).
func NewServiceAccountTarget(svc *iam.Service, name string) Target {
	return &serviceAccountTarget{svc: svc, name: name}
}

func (t *serviceAccountTarget) Key() string    { return "iam.serviceAccounts/" + t.name }
func (t *serviceAccountTarget) String() string { return "service account " + t.name }

func (t *serviceAccountTarget) GetPolicy(ctx context.Context) (*iampolicy.Policy, error) {
	got, err := t.svc.Projects.ServiceAccounts.GetIamPolicy(t.name).
		OptionsRequestedPolicyVersion(requestedPolicyVersion).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	return fromAPI(got)
}

func (t *serviceAccountTarget) SetPolicy(ctx context.Context, p *iampolicy.Policy) (*iampolicy.Policy, error) {
	ap, err := toAPI[iam.Policy](p)
	if err != nil {
		return nil, err
	}
	ap.ForceSendFields = forceBindings(p, ap.ForceSendFields)
	req := &iam.SetIamPolicyRequest{Policy: ap, UpdateMask: updateMask}
	got, err := t.svc.Projects.ServiceAccounts.SetIamPolicy(t.name, req).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	return fromAPI(got)
}
