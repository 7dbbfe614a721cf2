package setup

import (
	"context"
	"fmt"

	"google.golang.org/api/iam/v1"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// serviceAccountStep ensures the service account exists.
type serviceAccountStep struct {
	env         Env
	project     string
	accountID   string
	email       string
	displayName string
	label       string
}

func (s *serviceAccountStep) Describe() string {
	return "service account " + s.email + " exists"
}

// get returns the account, or nil when it does not exist.
func (s *serviceAccountStep) get(ctx context.Context) (*iam.ServiceAccount, error) {
	svc, err := s.env.Client.IAM(ctx)
	if err != nil {
		return nil, err
	}
	sa, err := svc.Projects.ServiceAccounts.Get(gcpnames.ServiceAccountName(s.project, s.email)).Context(ctx).Do()
	if gcperr.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading service account %s: %w", s.email, err)
	}
	return sa, nil
}

func (s *serviceAccountStep) Check(ctx context.Context) (Status, error) {
	sa, err := s.get(ctx)
	if err != nil || sa == nil {
		return Status{State: Missing}, err
	}
	return Status{State: InPlace}, nil
}

func (s *serviceAccountStep) Apply(ctx context.Context) error {
	svc, err := s.env.Client.IAM(ctx)
	if err != nil {
		return err
	}
	_, err = svc.Projects.ServiceAccounts.Create("projects/"+s.project, &iam.CreateServiceAccountRequest{
		AccountId:      s.accountID,
		ServiceAccount: &iam.ServiceAccount{DisplayName: s.displayName},
	}).Context(ctx).Do()
	if gcperr.IsAlreadyExists(err) {
		return nil // created meanwhile: in place
	}
	if err != nil {
		return fmt.Errorf("creating service account %s: %w", s.email, err)
	}
	return nil
}

func (s *serviceAccountStep) Terraform(ctx context.Context) (string, error) {
	sa, err := s.get(ctx)
	if err != nil {
		return "", err
	}
	attrs := []attr{lit("project", s.project), lit("account_id", s.accountID)}
	importID := ""
	if sa == nil {
		attrs = append(attrs, lit("display_name", s.displayName))
	} else {
		importID = s.email
		if sa.DisplayName != "" {
			attrs = append(attrs, lit("display_name", sa.DisplayName))
		}
		if sa.Description != "" {
			attrs = append(attrs, lit("description", sa.Description))
		}
	}
	return resourceBlock("gcpinvoke_service_account", s.label, attrs, importID), nil
}
