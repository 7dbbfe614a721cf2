package setup

import (
	"context"
	"fmt"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/chain"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// impersonationStep ensures the Cloud Scheduler service agent may mint
// tokens for the account. A project-level grant (Google makes one when the
// API is enabled) counts as in place; otherwise Apply binds the agent's own
// role on the account, as gcpinvoke_service_agent_impersonation does.
type impersonationStep struct {
	env         Env
	checker     *chain.Checker
	agent       gcpnames.Agent
	agentMember string
	project     string
	email       string
	saRef       string
}

func (s *impersonationStep) Describe() string {
	return fmt.Sprintf("%s service agent may mint tokens for %s", s.agent.Product, s.email)
}

func (s *impersonationStep) saName() string { return gcpnames.ServiceAccountName(s.project, s.email) }

func (s *impersonationStep) roles() []string {
	return chain.ImpersonationRoles(&s.agent, chain.TokenOIDC)
}

// accountRole returns the role the agent holds on the account's own policy
// ("" when none, also when the account does not exist).
func (s *impersonationStep) accountRole(ctx context.Context) (string, error) {
	svc, err := s.env.Client.IAM(ctx)
	if err != nil {
		return "", err
	}
	p, err := s.env.Engine.Read(ctx, iamengine.NewServiceAccountTarget(svc, s.saName()))
	if gcperr.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	for _, r := range []string{s.agent.Role, "roles/iam.serviceAccountTokenCreator"} {
		if p.HasMember(r, s.agentMember, nil) {
			return r, nil
		}
	}
	return "", nil
}

// projectRole returns the impersonating role the agent holds on the
// project ("" when none).
func (s *impersonationStep) projectRole(ctx context.Context) (string, error) {
	crm, err := s.env.Client.ResourceManager(ctx)
	if err != nil {
		return "", err
	}
	p, err := s.env.Engine.Read(ctx, iamengine.NewProjectTarget(crm, s.project))
	if err != nil {
		return "", err
	}
	for _, r := range s.roles() {
		if p.HasMember(r, s.agentMember, nil) {
			return r, nil
		}
	}
	return "", nil
}

func (s *impersonationStep) Check(ctx context.Context) (Status, error) {
	role, err := s.accountRole(ctx)
	if err != nil {
		return Status{}, err
	}
	if role != "" {
		return Status{State: InPlace, Detail: role + " on the account"}, nil
	}
	role, err = s.projectRole(ctx)
	if err != nil {
		return Status{}, err
	}
	if role != "" {
		return Status{State: InPlace, Detail: role + " on project " + s.project}, nil
	}
	return Status{State: Missing, Detail: "will grant " + s.agent.Role + " on the account"}, nil
}

func (s *impersonationStep) Apply(ctx context.Context) error {
	svc, err := s.env.Client.IAM(ctx)
	if err != nil {
		return err
	}
	_, err = s.env.Engine.Apply(ctx, iamengine.NewServiceAccountTarget(svc, s.saName()), iampolicy.AddMembers(s.agent.Role, nil, s.agentMember))
	return err
}

func (s *impersonationStep) Terraform(ctx context.Context) (string, error) {
	role, err := s.accountRole(ctx)
	if err != nil {
		return "", err
	}
	attrs := []attr{expr("service_account", s.saRef+".email"), lit("agent", s.agent.Name)}
	if role != "" {
		id := s.email + " " + s.agent.Name
		if role != s.agent.Role {
			attrs = append(attrs, lit("role", role))
			id += " " + role
		}
		return resourceBlock("gcpinvoke_service_agent_impersonation", s.agent.Name, attrs, id), nil
	}
	projectRole, err := s.projectRole(ctx)
	if err != nil {
		return "", err
	}
	if projectRole != "" {
		return comment(
			fmt.Sprintf("The %s service agent already holds %s on project %s,", s.agent.Product, projectRole, s.project),
			"so it may mint tokens for every account there. To declare the right on this account",
			"alone (it survives a change of the project policy), uncomment:",
			"",
			fmt.Sprintf("resource \"gcpinvoke_service_agent_impersonation\" %q {", s.agent.Name),
			fmt.Sprintf("  service_account = %s.email", s.saRef),
			fmt.Sprintf("  agent           = %q", s.agent.Name),
			"}",
		), nil
	}
	return resourceBlock("gcpinvoke_service_agent_impersonation", s.agent.Name, attrs, ""), nil
}
