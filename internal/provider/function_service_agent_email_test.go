package provider

import "testing"

func TestServiceAgentEmailFunction(t *testing.T) {
	name, def := functionDefinition(NewServiceAgentEmailFunction())
	if name != "service_agent_email" || def.Summary == "" || def.MarkdownDescription == "" || len(def.Parameters) != 2 ||
		def.Parameters[0].GetName() != "project_number" || def.Parameters[1].GetName() != "agent" {
		t.Errorf("definition of %q is incomplete: %+v", name, def)
	}
	runFunctionCases(t, NewServiceAgentEmailFunction(), []functionCase{
		{args: []string{"123456789012", "cloudscheduler"}, want: "service-123456789012@gcp-sa-cloudscheduler.iam.gserviceaccount.com"},
		{args: []string{"123456789012", "cloudtasks"}, want: "service-123456789012@gcp-sa-cloudtasks.iam.gserviceaccount.com"},
		{args: []string{"123456789012", "workflows"}, want: "service-123456789012@gcp-sa-workflows.iam.gserviceaccount.com"},
		{args: []string{"demo-project", "cloudscheduler"}, wantArg: 0,
			wantErr: `project_number: project number "demo-project" must contain only digits`},
		{args: []string{"123456789012", "scheduler"}, wantArg: 1,
			wantErr: `agent: unknown service agent "scheduler"; use one of "cloudscheduler", "cloudtasks" or "workflows"`},
	})
}
