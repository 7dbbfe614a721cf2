package setup

import (
	"context"
	"errors"
	"fmt"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/chain"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
)

// Env is what setup talks to Google with: the provider's client layer and
// IAM engine.
type Env struct {
	Client *gcpclient.Client
	Engine *iamengine.Engine
}

// Setup is a walkthrough resolved against the live project: its steps in
// order.
type Setup struct {
	cfg   Config
	env   Env
	steps []Step
	// labels of the Terraform resources other blocks refer to.
	saRef string
}

// agentName is the caller of every walkthrough.
const agentName = "cloudscheduler"

// New checks cfg and resolves what the steps need (project number, target
// URL and audience). The target must exist: setup does not deploy code.
func New(ctx context.Context, env Env, cfg Config) (*Setup, error) {
	cfg, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	s := &Setup{cfg: cfg, env: env}
	checker := &chain.Checker{Client: env.Client, Engine: env.Engine}
	number, err := projectNumber(ctx, env.Client, cfg.Project)
	if err != nil {
		return nil, err
	}
	agent, _ := gcpnames.LookupAgent(agentName)
	agentEmail, err := gcpnames.ServiceAgentEmail(number, agentName)
	if err != nil {
		return nil, err
	}
	sa := &serviceAccountStep{env: env, project: cfg.Project, accountID: cfg.accountID(), email: cfg.email(),
		displayName: "Invoker for " + cfg.Job + " (gcpinvoke setup)", label: hclLabel(cfg.accountID())}
	s.saRef = "gcpinvoke_service_account." + sa.label
	imp := &impersonationStep{env: env, checker: checker, agent: agent, agentMember: "serviceAccount:" + agentEmail,
		project: cfg.Project, email: sa.email, saRef: s.saRef}
	job := &jobStep{env: env, cfg: cfg, email: sa.email, saRef: s.saRef}
	s.steps = []Step{sa, imp}

	var target *chain.Target
	switch cfg.Walkthrough {
	case SchedulerToRun:
		target, err = checker.ResolveRunService(ctx, cfg.Service, cfg.Project, cfg.Location)
	case SchedulerToFunction:
		target, err = checker.ResolveFunction(ctx, cfg.Function, cfg.Project, cfg.Location)
	}
	var nf *chain.NotFoundError
	if errors.As(err, &nf) {
		return nil, fmt.Errorf("%s: deploy it first (setup wires the IAM chain and the job, it does not deploy code)", nf.Error())
	}
	if err != nil {
		return nil, err
	}
	if target != nil {
		if target.URL == "" {
			return nil, fmt.Errorf("%s has no URL yet; wait until it is deployed", target.Name)
		}
		aud := target.URL
		if len(target.Audiences) > 0 {
			aud = target.Audiences[0]
		}
		if target.Kind != chain.KindFunctionGen1 {
			if root, err := gcpnames.OIDCAudience(target.URL); err == nil {
				aud = root
			}
		}
		job.uri, job.audience = target.URL, aud
		s.steps = append(s.steps, &invokerStep{env: env, checker: checker, target: target, email: sa.email, saRef: s.saRef})
	} else {
		job.uri = cfg.URI
	}
	s.steps = append(s.steps, job)
	return s, nil
}

// Steps returns the steps in order.
func (s *Setup) Steps() []Step { return s.steps }

// projectNumber looks a project's number up.
func projectNumber(ctx context.Context, c *gcpclient.Client, project string) (string, error) {
	n, err := c.ProjectNumber(ctx, project)
	if err != nil {
		return "", fmt.Errorf("reading project %s: %w", project, err)
	}
	return n, nil
}
