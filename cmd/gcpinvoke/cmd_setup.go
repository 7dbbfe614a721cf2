package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcpclient"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iamengine"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/setup"
)

func init() {
	register("setup", command{
		summary: "put an invocation chain in place (service account, impersonation, invoker binding, job); dry run by default",
		run:     runSetup,
	})
}

// emulatorHostEnv points the CLI (like the provider) at a local emulator.
const emulatorHostEnv = "GCPINVOKE_EMULATOR_HOST"

const setupUsage = `Usage: gcpinvoke setup WALKTHROUGH [flags]

Walkthroughs:
  scheduler-to-run       --service S: Cloud Scheduler calls a private Cloud Run service
  scheduler-to-function  --function F: Cloud Scheduler calls a Cloud Function (gen1 or gen2)
  oauth-to-google-api    --uri URL --job NAME: Cloud Scheduler calls a *.googleapis.com API

Steps: the service account exists; the Cloud Scheduler service agent may mint
its tokens; it holds the invoker role on the target; the job calls the target
with its token (OIDC, audience = the target's root URL; OAuth for Google APIs).

Without --apply nothing is changed: each step is listed as [ok] or [missing].
--apply performs the missing steps in order; running it again changes nothing.
It never repoints an existing job of the same name that acts as another
account or calls another target: it stops before changing anything and says
what would change, unless --force.
--emit-terraform DIR writes DIR/main.tf with the chain and import blocks, so
"terraform plan" in DIR adopts what exists without changes.

Google is called with Application Default Credentials, unless --credentials
(a key file or its JSON) or --access-token is given; either may be used
through --impersonate-service-account. --emulator-host calls a local emulator
instead (with --access-token when it only accepts one token). Unset flags are
read from the environment variables the provider reads (shown below); the
access token and credentials are never printed.

Exit codes: 0 done, 1 a step or API call failed, 2 usage error.

Flags:
`

func runSetup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg setup.Config
	var google googleFlags
	google.register(fs, "project ID holding the target and the job, required")
	fs.StringVar(&cfg.Location, "location", "", "region of the target and the job, e.g. us-central1 (required)")
	fs.StringVar(&cfg.Service, "service", "", "Cloud Run service (scheduler-to-run)")
	fs.StringVar(&cfg.Function, "function", "", "Cloud Function (scheduler-to-function)")
	fs.StringVar(&cfg.URI, "uri", "", "Google API URL to call (oauth-to-google-api)")
	fs.StringVar(&cfg.Scope, "scope", "", "OAuth scope (oauth-to-google-api; default "+setup.DefaultOAuthScope+")")
	fs.StringVar(&cfg.ServiceAccount, "service-account", "", "account ID (or email) of the service account the job's tokens are for; created if missing (required)")
	fs.StringVar(&cfg.Job, "job", "", "job ID (default invoke-SERVICE or invoke-FUNCTION)")
	fs.StringVar(&cfg.Schedule, "schedule", "", "unix-cron schedule of the job (default for a new job: \""+setup.DefaultSchedule+"\"; unset keeps an existing job's)")
	fs.StringVar(&cfg.TimeZone, "time-zone", "", "time zone of the schedule (default "+setup.DefaultTimeZone+")")
	fs.StringVar(&cfg.HTTPMethod, "http-method", "", "HTTP method of the job (default POST)")
	apply := fs.Bool("apply", false, "perform the missing steps (default: dry run)")
	fs.BoolVar(&cfg.Force, "force", false, "with --apply, repoint an existing job that calls another target or acts as another account (default: refuse and say what would change)")
	emitDir := fs.String("emit-terraform", "", "write DIR/main.tf: the chain as Terraform with import blocks")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), setupUsage)
		fs.PrintDefaults()
	}
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	if len(positional) != 1 {
		fmt.Fprintf(stderr, "gcpinvoke setup: want one walkthrough (%s), got %d arguments\n", strings.Join(setup.Walkthroughs, ", "), len(positional))
		return 2
	}
	cfg.Walkthrough = positional[0]

	clientCfg, err := google.clientConfig(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "gcpinvoke setup: %v\n", err)
		return 2
	}
	cfg.Project = clientCfg.Project
	clientCfg.Region, clientCfg.UserAgent = cfg.Location, "gcpinvoke/"+version
	client, err := gcpclient.New(clientCfg)
	if err != nil {
		fmt.Fprintf(stderr, "gcpinvoke setup: %v\n", err)
		return 2
	}
	env := setup.Env{Client: client, Engine: iamengine.New(iamengine.Options{ServiceAccountExists: client.ServiceAccountExists})}
	s, err := setup.New(ctx, env, cfg)
	if err != nil {
		return setupFailed(stderr, err)
	}
	if _, err := s.Run(ctx, stdout, *apply); err != nil {
		return setupFailed(stderr, err)
	}
	if *emitDir != "" {
		path, err := s.EmitTerraform(ctx, *emitDir)
		if err != nil {
			return setupFailed(stderr, err)
		}
		fmt.Fprintf(stdout, "Wrote %s: run `terraform plan` there to adopt the chain.\n", path)
	}
	return 0
}

// setupFailed prints an error (usage-level errors as they are, API errors
// explained) and returns the exit code. The headline says what failed: an
// error that is not Google's answer (a file that cannot be written, a job
// setup refuses to repoint) is printed as it is, never as "Request failed".
func setupFailed(stderr io.Writer, err error) int {
	var usage *setup.ConfigError
	if errors.As(err, &usage) {
		fmt.Fprintf(stderr, "gcpinvoke setup: %v\n", err)
		return 2
	}
	var write *setup.WriteError
	if errors.As(err, &write) {
		fmt.Fprintf(stderr, "gcpinvoke setup: %v\n", write)
		return 1
	}
	var foreign *setup.ForeignJobError
	if errors.As(err, &foreign) {
		fmt.Fprintf(stderr, "gcpinvoke setup: %v\n", foreign)
		return 1
	}
	summary, detail := gcpclient.Describe(err, "", "")
	if summary == "Request failed" {
		summary = err.Error()
		detail = ""
	}
	fmt.Fprintf(stderr, "gcpinvoke setup: %s\n", summary)
	if detail != "" && detail != summary {
		fmt.Fprintf(stderr, "%s\n", detail)
	}
	return 1
}
