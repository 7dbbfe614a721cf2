package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

var _ function.Function = (*memberFunction)(nil)

// NewMemberFunction returns the member provider function.
func NewMemberFunction() function.Function { return &memberFunction{} }

type memberFunction struct{}

func (f *memberFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "member"
}

func (f *memberFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	kinds := strings.Join(gcpnames.MemberKinds, ", ")
	mdKinds := "`" + strings.Join(gcpnames.MemberKinds, "`, `") + "`"
	resp.Definition = function.Definition{
		Summary: "Build and validate an IAM member string",
		Description: "Returns the IAM member for a kind and an id, validated and spelled the way IAM stores it " +
			"(emails and domains lower-cased), e.g. member(\"serviceAccount\", \"invoker@my-project.iam.gserviceaccount.com\") " +
			"returns serviceAccount:invoker@my-project.iam.gserviceaccount.com.",
		MarkdownDescription: "Returns the IAM member for a kind and an id, validated and spelled the way IAM stores it " +
			"(emails and domains lower-cased), e.g. `member(\"serviceAccount\", \"invoker@my-project.iam.gserviceaccount.com\")` " +
			"returns `serviceAccount:invoker@my-project.iam.gserviceaccount.com`. " +
			"Using the canonical spelling keeps plans free of spurious diffs.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "kind",
				Description:         "Member kind: " + kinds + ".",
				MarkdownDescription: "Member kind: " + mdKinds + ".",
			},
			function.StringParameter{
				Name: "id",
				Description: "The email (user, serviceAccount, group), the domain (domain), the URI starting with // " +
					"(principal, principalSet), or an empty string (allUsers, allAuthenticatedUsers).",
				MarkdownDescription: "The email (`user`, `serviceAccount`, `group`), the domain (`domain`), the URI starting " +
					"with `//` (`principal`, `principalSet`), or `\"\"` (`allUsers`, `allAuthenticatedUsers`).",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *memberFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var kind, id string
	if resp.Error = req.Arguments.Get(ctx, &kind, &id); resp.Error != nil {
		return
	}
	if _, err := gcpnames.MemberKind(kind); err != nil {
		resp.Error = function.NewArgumentFuncError(0, "kind: "+err.Error())
		return
	}
	m, err := gcpnames.Member(kind, id)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, "id: "+err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, m)
}
