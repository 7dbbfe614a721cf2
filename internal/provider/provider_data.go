package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
)

// providerData is what Configure hands to every resource, data source and
// function: the shared dependencies, never built by a resource itself.
type providerData struct {
	// Client builds the Google API services (lazily authenticated).
	Client *gcpclient.Client
	// IAM is the one read-modify-write engine for every IAM policy this
	// provider instance touches (shared reads, group commit, retries).
	IAM *iamengine.Engine
}

// providerDataFrom converts the ProviderData a resource or data source gets
// in its Configure. It returns (nil, nil) while the provider is not yet
// configured (the framework calls Configure early with nil); callers then
// return without error.
func providerDataFrom(data any) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if data == nil {
		return nil, diags
	}
	pd, ok := data.(*providerData)
	if !ok || pd == nil {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the gcpinvoke provider; please report it.", data))
		return nil, diags
	}
	return pd, diags
}
