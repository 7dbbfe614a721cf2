package iamengine

import (
	"context"

	cloudresourcemanager "google.golang.org/api/cloudresourcemanager/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

type projectTarget struct {
	svc       *cloudresourcemanager.Service
	projectID string
}

// NewProjectTarget returns the IAM policy of a project, by project ID
// (Cloud Resource Manager API v1).
func NewProjectTarget(svc *cloudresourcemanager.Service, projectID string) Target {
	return &projectTarget{svc: svc, projectID: projectID}
}

func (t *projectTarget) Key() string    { return "cloudresourcemanager.projects/" + t.projectID }
func (t *projectTarget) String() string { return "project " + t.projectID }

func (t *projectTarget) GetPolicy(ctx context.Context) (*iampolicy.Policy, error) {
	req := &cloudresourcemanager.GetIamPolicyRequest{
		Options: &cloudresourcemanager.GetPolicyOptions{RequestedPolicyVersion: requestedPolicyVersion},
	}
	got, err := t.svc.Projects.GetIamPolicy(t.projectID, req).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	return fromAPI(got)
}

func (t *projectTarget) SetPolicy(ctx context.Context, p *iampolicy.Policy) (*iampolicy.Policy, error) {
	ap, err := toAPI[cloudresourcemanager.Policy](p)
	if err != nil {
		return nil, err
	}
	ap.ForceSendFields = forceBindings(p, ap.ForceSendFields)
	req := &cloudresourcemanager.SetIamPolicyRequest{Policy: ap, UpdateMask: updateMask}
	got, err := t.svc.Projects.SetIamPolicy(t.projectID, req).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	return fromAPI(got)
}
