package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// oidcTokenModel is http_target.oidc_token.
type oidcTokenModel struct {
	ServiceAccountEmail types.String `tfsdk:"service_account_email"`
	Audience            types.String `tfsdk:"audience"`
}

// oauthTokenModel is http_target.oauth_token.
type oauthTokenModel struct {
	ServiceAccountEmail types.String `tfsdk:"service_account_email"`
	Scope               types.String `tfsdk:"scope"`
}

// oidcTokenFromAPI is the oidc_token the API answered.
func oidcTokenFromAPI(email, audience string) *oidcTokenModel {
	return &oidcTokenModel{ServiceAccountEmail: types.StringValue(email), Audience: nullIfEmpty(audience)}
}

// oauthTokenFromAPI is the oauth_token the API answered; an empty scope is
// Google's default.
func oauthTokenFromAPI(email, scope string) *oauthTokenModel {
	return &oauthTokenModel{ServiceAccountEmail: types.StringValue(email), Scope: types.StringValue(orDefault(scope, defaultOAuthScope))}
}

// sameOIDCToken reports whether two oidc_token blocks are equal.
func sameOIDCToken(a, b *oidcTokenModel) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.ServiceAccountEmail.Equal(b.ServiceAccountEmail) && a.Audience.Equal(b.Audience)
}

// sameOAuthToken reports whether two oauth_token blocks are equal.
func sameOAuthToken(a, b *oauthTokenModel) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.ServiceAccountEmail.Equal(b.ServiceAccountEmail) && a.Scope.Equal(b.Scope)
}
