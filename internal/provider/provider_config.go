package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/durationvalidator"
)

// setting is one resolved provider setting and where it came from.
type setting struct {
	value  string
	source string // "" when unset, "configuration" or the environment variable's name
}

func (s setting) from(attr string) string {
	if s.source == "configuration" {
		return fmt.Sprintf("`%s`", attr)
	}
	return fmt.Sprintf("`%s` (from %s)", attr, s.source)
}

// resolve returns the configured value, else the first non-empty environment
// variable of envs. An empty string counts as unset.
func resolve(v types.String, getenv func(string) string, envs ...string) setting {
	if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
		return setting{value: v.ValueString(), source: "configuration"}
	}
	for _, e := range envs {
		if val := strings.TrimSpace(getenv(e)); val != "" {
			return setting{value: val, source: "environment variable " + e}
		}
	}
	return setting{}
}

// unknownAttributes lists attributes whose value is unknown at plan time.
func (m *providerModel) unknownAttributes() []string {
	var out []string
	for attr, v := range map[string]types.String{
		"project": m.Project, "region": m.Region, "credentials": m.Credentials, "access_token": m.AccessToken,
		"impersonate_service_account": m.ImpersonateServiceAccount, "request_timeout": m.RequestTimeout,
		"emulator_host": m.EmulatorHost,
	} {
		if v.IsUnknown() {
			out = append(out, attr)
		}
	}
	for _, e := range endpointSettings {
		if e.value(m).IsUnknown() {
			out = append(out, e.attr)
		}
	}
	slices.Sort(out)
	return out
}

// clientConfig merges the configuration with the environment into a
// gcpclient.Config, reporting each problem on its attribute.
func (m *providerModel) clientConfig(getenv func(string) string) (gcpclient.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	cfg := gcpclient.Config{
		Project:                   resolve(m.Project, getenv, envProject...).value,
		Region:                    resolve(m.Region, getenv, envRegion...).value,
		ImpersonateServiceAccount: resolve(m.ImpersonateServiceAccount, getenv, envImpersonate...).value,
	}

	creds := resolve(m.Credentials, getenv, envCredentials...)
	token := resolve(m.AccessToken, getenv, envAccessToken...)
	switch {
	case creds.source == "configuration" && token.source == "configuration":
		diags.AddAttributeError(path.Root("access_token"), "Conflicting credentials",
			"Set either `credentials` or `access_token`, not both.")
	case creds.source == "configuration":
		token = setting{} // an explicit setting beats the other one's environment variable
	case token.source == "configuration":
		creds = setting{}
	case creds.value != "" && token.value != "":
		diags.AddError("Conflicting credentials",
			fmt.Sprintf("Both %s and %s are set, and only one may be. Unset one of the environment variables, or set "+
				"`credentials` or `access_token` in the provider block (an explicit setting wins over the other's environment variable).",
				creds.from("credentials"), token.from("access_token")))
	}
	cfg.Credentials, cfg.AccessToken = creds.value, token.value

	if rt := resolve(m.RequestTimeout, getenv); rt.value != "" {
		d, err := durationvalidator.Parse(rt.value)
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout",
				fmt.Sprintf("`request_timeout` must be a positive duration such as \"90s\" or \"5m\"; got %q.", rt.value))
		}
		cfg.RequestTimeout = d
	}

	emu := resolve(m.EmulatorHost, getenv, envEmulator...)
	if _, err := gcpclient.NormalizeEmulatorHost(emu.value); err != nil {
		diags.AddAttributeError(path.Root("emulator_host"), "Invalid emulator host", fmt.Sprintf("%s: %s.", emu.from("emulator_host"), err))
	}
	cfg.EmulatorHost = emu.value

	for _, e := range endpointSettings {
		s := resolve(e.value(m), getenv, e.env)
		if _, err := gcpclient.NormalizeEndpoint(s.value); err != nil {
			diags.AddAttributeError(path.Root(e.attr), "Invalid custom endpoint", fmt.Sprintf("%s: %s.", s.from(e.attr), err))
		}
		*e.field(&cfg.Endpoints) = s.value
	}
	return cfg, diags
}

// emulatorHostValidator checks `emulator_host` is HOST:PORT.
type emulatorHostValidator struct{}

var _ validator.String = emulatorHostValidator{}

func (emulatorHostValidator) Description(_ context.Context) string {
	return "value must be HOST:PORT, e.g. 127.0.0.1:8787"
}

func (v emulatorHostValidator) MarkdownDescription(ctx context.Context) string {
	return "value must be `HOST:PORT`, e.g. `127.0.0.1:8787`"
}

func (emulatorHostValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := gcpclient.NormalizeEmulatorHost(req.ConfigValue.ValueString()); err != nil || req.ConfigValue.ValueString() == "" {
		msg := "emulator host is empty; write HOST:PORT, e.g. \"127.0.0.1:8787\""
		if err != nil {
			msg = err.Error()
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid emulator host", msg+".")
	}
}

func envList(envs []string) string {
	quoted := make([]string, len(envs))
	for i, e := range envs {
		quoted[i] = "`" + e + "`"
	}
	return strings.Join(quoted, ", ")
}
