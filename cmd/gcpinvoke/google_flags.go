package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
)

// Environment variables read for a flag left unset: the names the provider
// reads for the matching provider attribute, in the same order.
var (
	envProject      = []string{"GOOGLE_PROJECT", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"}
	envCredentials  = []string{"GOOGLE_CREDENTIALS"}
	envAccessToken  = []string{"GOOGLE_OAUTH_ACCESS_TOKEN"}
	envImpersonate  = []string{"GOOGLE_IMPERSONATE_SERVICE_ACCOUNT"}
	envEmulatorHost = []string{emulatorHostEnv}
)

// googleFlags are the flags choosing the project, the credentials and the
// endpoint of the Google APIs a command calls. Environment variables are read
// after parsing, never as flag defaults, so -h cannot print a secret.
type googleFlags struct {
	project      string
	credentials  string
	accessToken  string
	impersonate  string
	emulatorHost string
}

// register adds --project, --credentials, --access-token,
// --impersonate-service-account and --emulator-host to fs.
func (g *googleFlags) register(fs *flag.FlagSet, projectUsage string) {
	fs.StringVar(&g.project, "project", "", projectUsage+" (default $"+strings.Join(envProject, ", $")+")")
	fs.StringVar(&g.credentials, "credentials", "", "path to a credentials JSON file, or the JSON itself (default $GOOGLE_CREDENTIALS; else Application Default Credentials)")
	fs.StringVar(&g.accessToken, "access-token", "", "OAuth 2.0 access token used as is (default $GOOGLE_OAUTH_ACCESS_TOKEN); conflicts with --credentials")
	fs.StringVar(&g.impersonate, "impersonate-service-account", "", "email of a service account whose short-lived tokens are used for every call (default $GOOGLE_IMPERSONATE_SERVICE_ACCOUNT)")
	fs.StringVar(&g.emulatorHost, "emulator-host", "", "HOST:PORT of a local emulator instead of Google (default $"+emulatorHostEnv+")")
}

// setting is one resolved value and where it came from.
type setting struct {
	value  string
	source string // "" when unset, "flag" or the environment variable's name
}

// describe names the setting for a message, e.g. "--credentials (from
// GOOGLE_CREDENTIALS)". It never includes the value.
func (s setting) describe(flagName string) string {
	if s.source == "flag" || s.source == "" {
		return "--" + flagName
	}
	return fmt.Sprintf("--%s (from %s)", flagName, s.source)
}

// resolveSetting returns the flag's value, else the first non-empty
// environment variable of envs. An empty or blank string counts as unset.
func resolveSetting(flagValue string, getenv func(string) string, envs ...string) setting {
	if v := strings.TrimSpace(flagValue); v != "" {
		return setting{value: v, source: "flag"}
	}
	for _, e := range envs {
		if v := strings.TrimSpace(getenv(e)); v != "" {
			return setting{value: v, source: e}
		}
	}
	return setting{}
}

// clientConfig merges the flags with the environment into a gcpclient.Config.
// As in the provider, a flag beats the other credential's environment
// variable; --credentials and --access-token both set (by flags, or both by
// the environment) is an error naming both, never their values.
func (g *googleFlags) clientConfig(getenv func(string) string) (gcpclient.Config, error) {
	creds := resolveSetting(g.credentials, getenv, envCredentials...)
	token := resolveSetting(g.accessToken, getenv, envAccessToken...)
	switch {
	case creds.source == "flag" && token.source == "flag":
		return gcpclient.Config{}, fmt.Errorf("--credentials and --access-token are both set: use one of them")
	case creds.source == "flag":
		token = setting{}
	case token.source == "flag":
		creds = setting{}
	case creds.value != "" && token.value != "":
		return gcpclient.Config{}, fmt.Errorf("%s and %s are both set: unset one of the environment variables, or pass --credentials or --access-token (a flag wins over the other's environment variable)",
			creds.describe("credentials"), token.describe("access-token"))
	}
	return gcpclient.Config{
		Project:                   resolveSetting(g.project, getenv, envProject...).value,
		Credentials:               creds.value,
		AccessToken:               token.value,
		ImpersonateServiceAccount: resolveSetting(g.impersonate, getenv, envImpersonate...).value,
		EmulatorHost:              resolveSetting(g.emulatorHost, getenv, envEmulatorHost...).value,
	}, nil
}
