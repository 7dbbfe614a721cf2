package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

var _ function.Function = (*oidcAudienceFunction)(nil)

// NewOIDCAudienceFunction returns the oidc_audience provider function.
func NewOIDCAudienceFunction() function.Function { return &oidcAudienceFunction{} }

type oidcAudienceFunction struct{}

func (f *oidcAudienceFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "oidc_audience"
}

func (f *oidcAudienceFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Root URL of a service URL, to use as the audience of an OIDC token",
		Description: "Returns the scheme and host (and a non-default port) of a Cloud Run or Cloud Functions URL, " +
			"without path, query, fragment or user info. Cloud Run rejects OIDC tokens whose audience carries a path " +
			"or query with HTTP 401, so use this as oidc_token.audience when the target URI has a path.",
		MarkdownDescription: "Returns the scheme and host (and a non-default port) of a Cloud Run or Cloud Functions URL, " +
			"without path, query, fragment or user info: " +
			"`https://hello-abc-uc.a.run.app/tasks?x=1` becomes `https://hello-abc-uc.a.run.app`.\n\n" +
			"Cloud Run rejects OIDC tokens whose audience carries a path or query with HTTP 401, " +
			"so use this as `oidc_token.audience` when the target URI has a path.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "url",
				Description:         "Absolute http or https URL of the service, e.g. the uri of a Cloud Run service plus a path.",
				MarkdownDescription: "Absolute `http` or `https` URL of the service, e.g. the `uri` of a Cloud Run service plus a path.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *oidcAudienceFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var rawURL string
	if resp.Error = req.Arguments.Get(ctx, &rawURL); resp.Error != nil {
		return
	}
	aud, err := gcpnames.OIDCAudience(rawURL)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, "url: "+err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, aud)
}
