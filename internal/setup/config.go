package setup

import (
	"fmt"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpnames"
)

// Walkthroughs setup knows.
const (
	SchedulerToRun      = "scheduler-to-run"
	SchedulerToFunction = "scheduler-to-function"
	OAuthToGoogleAPI    = "oauth-to-google-api"
)

// Walkthroughs lists the walkthrough names in a stable order.
var Walkthroughs = []string{SchedulerToRun, SchedulerToFunction, OAuthToGoogleAPI}

// Defaults of a new job.
const (
	DefaultSchedule   = "0 * * * *"
	DefaultTimeZone   = "Etc/UTC"
	DefaultHTTPMethod = "POST"
	DefaultOAuthScope = "https://www.googleapis.com/auth/cloud-platform"
)

// Config is what the user asked for.
type Config struct {
	// Walkthrough is one of Walkthroughs.
	Walkthrough string
	// Project and Location hold the target and the job.
	Project, Location string
	// Service is the Cloud Run service (scheduler-to-run).
	Service string
	// Function is the Cloud Function (scheduler-to-function).
	Function string
	// URI is the Google API URL called (oauth-to-google-api).
	URI string
	// Scope is the OAuth scope (oauth-to-google-api); DefaultOAuthScope when empty.
	Scope string
	// ServiceAccount is the account ID ("invoker") or email of the account
	// the job's tokens are minted for; it is created in Project if missing.
	ServiceAccount string
	// Job is the job's ID; derived from the target when empty.
	Job string
	// Schedule is the job's unix-cron schedule. Empty keeps an existing
	// job's schedule and uses DefaultSchedule for a new one.
	Schedule string
	// TimeZone of the schedule; DefaultTimeZone when empty.
	TimeZone string
	// HTTPMethod of the job; DefaultHTTPMethod when empty.
	HTTPMethod string
	// Force lets Apply repoint an existing job that calls another target or
	// sends another account's token (someone else's job, most likely).
	Force bool
}

// ConfigError is an invalid or incomplete Config (a usage error).
type ConfigError struct{ msg string }

func (e *ConfigError) Error() string { return e.msg }

func configErrorf(format string, args ...any) error {
	return &ConfigError{msg: fmt.Sprintf(format, args...)}
}

// normalize checks c and fills in defaults.
func (c Config) normalize() (Config, error) {
	var missing []string
	need := func(v, flag string) {
		if strings.TrimSpace(v) == "" {
			missing = append(missing, "--"+flag)
		}
	}
	need(c.Project, "project")
	need(c.Location, "location")
	need(c.ServiceAccount, "service-account")
	switch c.Walkthrough {
	case SchedulerToRun:
		need(c.Service, "service")
		if c.Job == "" {
			c.Job = "invoke-" + c.Service
		}
	case SchedulerToFunction:
		need(c.Function, "function")
		if c.Job == "" {
			c.Job = "invoke-" + c.Function
		}
	case OAuthToGoogleAPI:
		need(c.URI, "uri")
		need(c.Job, "job")
		if c.URI != "" && !gcpnames.IsGoogleAPIURL(c.URI) {
			return c, configErrorf("--uri %q is not a Google API URL (*.googleapis.com): OAuth tokens are only sent to Google APIs; use scheduler-to-run or scheduler-to-function with an OIDC token for anything else", c.URI)
		}
	default:
		return c, configErrorf("unknown walkthrough %q; use one of %s", c.Walkthrough, strings.Join(Walkthroughs, ", "))
	}
	if len(missing) > 0 {
		return c, configErrorf("%s needs %s", c.Walkthrough, strings.Join(missing, ", "))
	}
	if c.Scope == "" {
		c.Scope = DefaultOAuthScope
	}
	if c.TimeZone == "" {
		c.TimeZone = DefaultTimeZone
	}
	if c.HTTPMethod == "" {
		c.HTTPMethod = DefaultHTTPMethod
	}
	c.HTTPMethod = strings.ToUpper(c.HTTPMethod)
	if strings.Contains(c.ServiceAccount, "@") {
		if p := gcpnames.ProjectFromServiceAccountEmail(c.ServiceAccount); p != c.Project {
			return c, configErrorf("--service-account %s is not a service account of project %s; pass the account ID to create it there", c.ServiceAccount, c.Project)
		}
	} else if err := gcpnames.AccountIDValid(c.ServiceAccount); err != nil {
		return c, configErrorf("--service-account: %v", err)
	}
	return c, nil
}

// accountID and email of the service account.
func (c Config) accountID() string {
	id, _, _ := strings.Cut(c.ServiceAccount, "@")
	return strings.ToLower(id)
}

func (c Config) email() string {
	return c.accountID() + "@" + c.Project + ".iam.gserviceaccount.com"
}
