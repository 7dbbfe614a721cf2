package chain

import (
	"context"
	"fmt"
	"slices"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// Grant is where a member's role was found.
type Grant struct {
	// Found is true when one of the members holds one of the roles
	// without a condition.
	Found bool
	// Role and Resource say where ("" when not found).
	Role, Resource string
	// Conditional names the condition of a grant found only under one.
	Conditional string
}

// holds looks for any of members holding any of roles in p.
func holds(p *iampolicy.Policy, roles, members []string) (found bool, role, conditional string) {
	if p == nil {
		return false, "", ""
	}
	canon := make([]string, len(members))
	for i, m := range members {
		canon[i] = iampolicy.CanonicalMember(m)
	}
	for _, b := range p.Bindings {
		if !slices.Contains(roles, b.Role) {
			continue
		}
		for _, m := range b.Members {
			if !slices.Contains(canon, iampolicy.CanonicalMember(m)) {
				continue
			}
			if b.Condition == nil {
				return true, b.Role, ""
			}
			if conditional == "" {
				conditional = b.Condition.String()
			}
		}
	}
	return false, "", conditional
}

// policySource is one policy to search, and what it is called in messages.
type policySource struct {
	target   iamengine.Target
	resource string
	optional bool // a project policy: unreadable means "not considered"
}

// findGrant searches the policies in order. An optional policy that cannot
// be read for lack of permission is reported in skipped, not as an error.
func (c *Checker) findGrant(ctx context.Context, sources []policySource, roles, members []string) (g Grant, skipped []string, err error) {
	for _, s := range sources {
		p, err := c.Engine.Read(ctx, s.target)
		if err != nil {
			if s.optional && (gcperr.IsPermissionDenied(err) || gcperr.IsNotFound(err)) {
				skipped = append(skipped, s.resource)
				continue
			}
			return Grant{}, skipped, err
		}
		found, role, cond := holds(p, roles, members)
		if found {
			return Grant{Found: true, Role: role, Resource: s.resource}, skipped, nil
		}
		if cond != "" && g.Conditional == "" {
			g.Conditional, g.Resource = cond, s.resource
		}
	}
	return g, skipped, nil
}

// ImpersonationRoles are the roles that let callerMember mint tokens of
// tokenType for a service account, on the account or its project. agent is
// the caller's service agent, or nil for another member.
func ImpersonationRoles(agent *gcpnames.Agent, tokenType string) []string {
	roles := []string{"roles/iam.serviceAccountTokenCreator"}
	if agent != nil {
		return append(roles, agent.Role)
	}
	if tokenType == TokenOIDC {
		roles = append(roles, "roles/iam.serviceAccountOpenIdTokenCreator")
	}
	return roles
}

// Impersonation reports whether callerMember holds one of roles on the
// service account saName (projects/P/serviceAccounts/EMAIL) or on its
// project saProject. skipped names policies it could not read.
func (c *Checker) Impersonation(ctx context.Context, callerMember, saName, saProject string, roles []string) (Grant, []string, error) {
	iamSvc, err := c.Client.IAM(ctx)
	if err != nil {
		return Grant{}, nil, err
	}
	sources := []policySource{{target: iamengine.NewServiceAccountTarget(iamSvc, saName), resource: saName}}
	if saProject != "" && saProject != "-" {
		crm, err := c.Client.ResourceManager(ctx)
		if err != nil {
			return Grant{}, nil, err
		}
		sources = append(sources, policySource{target: iamengine.NewProjectTarget(crm, saProject), resource: "projects/" + saProject, optional: true})
	}
	return c.findGrant(ctx, sources, roles, []string{callerMember})
}

// Invoker reports whether any of members holds an invoker role on t or on
// its project.
func (c *Checker) Invoker(ctx context.Context, t *Target, members []string) (Grant, []string, error) {
	pt, err := c.policyTarget(ctx, t)
	if err != nil {
		return Grant{}, nil, err
	}
	crm, err := c.Client.ResourceManager(ctx)
	if err != nil {
		return Grant{}, nil, err
	}
	sources := []policySource{
		{target: pt, resource: t.Name},
		{target: iamengine.NewProjectTarget(crm, t.Project), resource: "projects/" + t.Project, optional: true},
	}
	return c.findGrant(ctx, sources, invokerRoles[t.InvokerRole], members)
}

// IsPublic reports whether allUsers holds an invoker role on t itself.
func (c *Checker) IsPublic(ctx context.Context, t *Target) (bool, error) {
	pt, err := c.policyTarget(ctx, t)
	if err != nil {
		return false, err
	}
	p, err := c.Engine.Read(ctx, pt)
	if err != nil {
		return false, err
	}
	found, _, _ := holds(p, invokerRoles[t.InvokerRole], []string{iampolicy.TypeAllUsers})
	return found, nil
}

// policyTarget is the engine target holding t's invoker policy.
func (c *Checker) policyTarget(ctx context.Context, t *Target) (iamengine.Target, error) {
	switch t.Kind {
	case KindRunService, KindFunctionGen2:
		svc, err := c.Client.Run(ctx)
		if err != nil {
			return nil, err
		}
		return iamengine.NewRunServiceTarget(svc, t.Name), nil
	case KindFunctionGen1:
		svc, err := c.Client.CloudFunctionsV1(ctx)
		if err != nil {
			return nil, err
		}
		return iamengine.NewFunctionV1Target(svc, t.Name), nil
	}
	return nil, fmt.Errorf("target %s has no invoker policy", t.URL)
}
