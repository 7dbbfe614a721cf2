//go:build tools

package tools

import (
	_ "github.com/google/cel-go/cel"
	_ "github.com/hashicorp/hcl/v2/hclwrite"
	_ "github.com/hashicorp/terraform-json"
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
	_ "github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	_ "github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	_ "github.com/hashicorp/terraform-plugin-framework/providerserver"
	_ "github.com/hashicorp/terraform-plugin-log/tflog"
	_ "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	_ "golang.org/x/oauth2/google"
	_ "google.golang.org/api/cloudfunctions/v1"
	_ "google.golang.org/api/cloudfunctions/v2"
	_ "google.golang.org/api/cloudresourcemanager/v1"
	_ "google.golang.org/api/cloudscheduler/v1"
	_ "google.golang.org/api/cloudtasks/v2"
	_ "google.golang.org/api/iam/v1"
	_ "google.golang.org/api/iamcredentials/v1"
	_ "google.golang.org/api/run/v2"
	_ "google.golang.org/api/workflowexecutions/v1"
	_ "google.golang.org/api/workflows/v1"
)
