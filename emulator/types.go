package emulator

import (
	iemu "github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/emulator"
)

// Seed declares what exists when the emulator starts without a state file:
// projects, service accounts, Cloud Run services and Cloud Functions. Its
// JSON form (the --seed file of `gcpinvoke emulator`) is documented in
// docs/emulator-seed.md and described by seed.schema.json:
//
//	{
//	  "projects": [{"projectId": "demo-project", "projectNumber": "123456789012"}],
//	  "serviceAccounts": [{"project": "demo-project", "accountId": "invoker"}],
//	  "runServices": [{"project": "demo-project", "location": "us-central1", "name": "hello"}],
//	  "functions": [{"project": "demo-project", "location": "us-central1", "name": "fn", "generation": "GEN_2"}]
//	}
type Seed = iemu.Seed

// SeedProject is a project (projectId, projectNumber). Unless
// WithoutServiceAgentGrants is set, the Cloud Scheduler, Cloud Tasks and
// Workflows service agents hold their roles/SERVICE.serviceAgent role on
// it, as Google grants when the API is enabled.
type SeedProject = iemu.SeedProject

// SeedServiceAccount is a service account that exists from the start.
type SeedServiceAccount = iemu.SeedServiceAccount

// SeedRunService is a Cloud Run service (ingress, invokerIamDisabled,
// customAudiences and serviceAccount as in the Cloud Run v2 API).
type SeedRunService = iemu.SeedRunService

// SeedFunction is a Cloud Function; generation GEN_1 (the default) or
// GEN_2. A GEN_2 function also gets its Cloud Run service, named like the
// function, which holds its invoker bindings, as on Google.
type SeedFunction = iemu.SeedFunction

// Faults injects failures and latency into API calls (not into calls the
// emulated services make to targets): Latency and Jitter, ErrorRate with
// ErrorCodes, MethodErrorRates per method ("run.services.setIamPolicy") or
// method suffix ("*.setIamPolicy"), ConcurrentWriterRate (another writer
// changes a policy right after a getIamPolicy), FailNext (fail the next
// calls of a method with a given code) and Seed (repeatable draws).
type Faults = iemu.Faults

// FailSpec fails the next Count calls of a method with HTTP Code and
// Message.
type FailSpec = iemu.FailSpec

// Attempt is one call an emulated Cloud Scheduler, Cloud Tasks or Workflows
// made to a target: who called (Caller, Source), what (Method, URL), with
// which token (TokenType "oidc" or "oauth", Identity, Audience — never the
// token itself), and the outcome (StatusCode, 0 when nothing was sent;
// Error; the first bytes of the Response).
type Attempt = iemu.Attempt

// DefaultSeed is what the emulator holds without a seed: project
// demo-project (number 123456789012) with a Cloud Run service "hello", a
// gen2 function "hello-fn" (and its Cloud Run service "hello-fn") and a gen1
// function "legacy-fn", all in us-central1.
func DefaultSeed() *Seed { return iemu.DefaultSeed() }

// ParseSeed decodes the JSON form of a seed. Keys the format does not define
// are rejected, naming the key by its path and the keys allowed there, e.g.
//
//	unknown field "runServices[0].nmae" (allowed there: project, location, name, …)
func ParseSeed(data []byte) (*Seed, error) { return iemu.ParseSeed(data) }

// LoadSeed reads and parses a seed file; errors name the file.
func LoadSeed(path string) (*Seed, error) { return iemu.LoadSeed(path) }
