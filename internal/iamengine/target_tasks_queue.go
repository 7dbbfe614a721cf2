package iamengine

import (
	"context"

	cloudtasks "google.golang.org/api/cloudtasks/v2"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

type tasksQueueTarget struct {
	svc  *cloudtasks.Service
	name string
}

// NewTasksQueueTarget returns the IAM policy of a Cloud Tasks queue, name
// "projects/P/locations/L/queues/Q" (Cloud Tasks API v2).
func NewTasksQueueTarget(svc *cloudtasks.Service, name string) Target {
	return &tasksQueueTarget{svc: svc, name: name}
}

func (t *tasksQueueTarget) Key() string    { return "cloudtasks.queues/" + t.name }
func (t *tasksQueueTarget) String() string { return "Cloud Tasks queue " + t.name }

func (t *tasksQueueTarget) GetPolicy(ctx context.Context) (*iampolicy.Policy, error) {
	req := &cloudtasks.GetIamPolicyRequest{
		Options: &cloudtasks.GetPolicyOptions{RequestedPolicyVersion: requestedPolicyVersion},
	}
	got, err := t.svc.Projects.Locations.Queues.GetIamPolicy(t.name, req).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	return fromAPI(got)
}

// SetPolicy writes p. The Tasks API has no update mask; its policy has only
// bindings, etag and version, so nothing else is overwritten.
func (t *tasksQueueTarget) SetPolicy(ctx context.Context, p *iampolicy.Policy) (*iampolicy.Policy, error) {
	ap, err := toAPI[cloudtasks.Policy](p)
	if err != nil {
		return nil, err
	}
	ap.ForceSendFields = forceBindings(p, ap.ForceSendFields)
	req := &cloudtasks.SetIamPolicyRequest{Policy: ap}
	got, err := t.svc.Projects.Locations.Queues.SetIamPolicy(t.name, req).Context(ctx).Do()
	if err != nil {
		return nil, err
	}
	return fromAPI(got)
}
