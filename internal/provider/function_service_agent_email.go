package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

var _ function.Function = (*serviceAgentEmailFunction)(nil)

// NewServiceAgentEmailFunction returns the service_agent_email provider function.
func NewServiceAgentEmailFunction() function.Function { return &serviceAgentEmailFunction{} }

type serviceAgentEmailFunction struct{}

func (f *serviceAgentEmailFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "service_agent_email"
}

func (f *serviceAgentEmailFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	agents := strings.Join(gcpnames.AgentNames(), ", ")
	mdAgents := "`" + strings.Join(gcpnames.AgentNames(), "`, `") + "`"
	resp.Definition = function.Definition{
		Summary: "Email of a project's Cloud Scheduler, Cloud Tasks or Workflows service agent",
		Description: "Returns the email of the Google-managed service agent that calls targets on the project's behalf, " +
			"e.g. service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com. That agent must be allowed to mint tokens as " +
			"the service account a job or queue authenticates as: by its own role (roles/cloudscheduler.serviceAgent, ...; Google " +
			"grants it on the project when the API is enabled, gcpinvoke_service_agent_impersonation grants it on the account by " +
			"default) or by roles/iam.serviceAccountTokenCreator.",
		MarkdownDescription: "Returns the email of the Google-managed service agent that calls targets on the project's behalf, " +
			"e.g. `service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com`. That agent must be allowed to mint tokens as " +
			"the service account a job or queue authenticates as: by its own role (`roles/cloudscheduler.serviceAgent`, …; Google " +
			"grants it on the project when the API is enabled, `gcpinvoke_service_agent_impersonation` grants it on the account by " +
			"default) or by `roles/iam.serviceAccountTokenCreator`.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "project_number",
				Description:         "Numeric project number (not the project ID), e.g. 123456789012.",
				MarkdownDescription: "Numeric project number (not the project ID), e.g. `123456789012`.",
			},
			function.StringParameter{
				Name:                "agent",
				Description:         "Which service agent: " + agents + ".",
				MarkdownDescription: "Which service agent: " + mdAgents + ".",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *serviceAgentEmailFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var number, agent string
	if resp.Error = req.Arguments.Get(ctx, &number, &agent); resp.Error != nil {
		return
	}
	if err := gcpnames.ValidateProjectNumber(number); err != nil {
		resp.Error = function.NewArgumentFuncError(0, "project_number: "+err.Error())
		return
	}
	if _, err := gcpnames.LookupAgent(agent); err != nil {
		resp.Error = function.NewArgumentFuncError(1, "agent: "+err.Error())
		return
	}
	email, err := gcpnames.ServiceAgentEmail(number, agent)
	if err != nil {
		resp.Error = function.NewFuncError(err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, email)
}
