package provider

// badInputCase is one configuration Terraform must reject at plan time,
// with the message a user sees and the attribute it points at.
type badInputCase struct {
	name string
	// provider, when set, replaces the default provider block (%s is the
	// emulator host).
	provider string
	// hcl is the rest of the configuration.
	hcl string
	// summary is the diagnostic's title.
	summary string
	// attr is the attribute whose configuration line the diagnostic
	// quotes ("member", "schedule"). Empty: the diagnostic is on a nested
	// attribute (or on the whole resource) and Terraform quotes the
	// block's first line; the detail then names the path (e.g.
	// http_target.uri).
	attr string
	// detail is literal text of the diagnostic's detail; a space matches
	// any run of white space, since Terraform wraps long lines.
	detail string
}

const badJobHead = `resource "gcpinvoke_scheduler_job" "bad" {
  name     = "bad-job"
`

var badInputCases = []badInputCase{
	// Members.
	{name: "member without type prefix", summary: "Invalid IAM member", attr: "member", detail: `member "alice@example.com" has no type prefix: write "user:alice@example.com"`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc-000"
  member  = "alice@example.com"
}`},
	{name: "member with empty email", summary: "Invalid IAM member", attr: "member", detail: `member "user:": "" is not an email address: write user:NAME@DOMAIN`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc-000"
  member  = "user:"
}`},
	{name: "service account member that is not an email", summary: "Invalid IAM member", attr: "member", detail: `"not-an-email" is not an email address: write serviceAccount:NAME@DOMAIN`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc-000"
  member  = "serviceAccount:not-an-email"
}`},
	{name: "unknown member type", summary: "Invalid IAM member", attr: "member", detail: `member "robot:alice@example.com" has unknown type "robot": use one of user:EMAIL, serviceAccount:EMAIL`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc-000"
  member  = "robot:alice@example.com"
}`},
	{name: "public member without allow_public", summary: "Public access needs allow_public = true", attr: "member", detail: `Granting the invoker role to allUsers makes the Cloud Run service publicly invocable`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc-000"
  member  = "allUsers"
}`},
	{name: "members set with a malformed member", summary: "Invalid IAM member", attr: "members", detail: `member "group:": "" is not an email address: write group:NAME@DOMAIN`,
		hcl: `resource "gcpinvoke_run_service_iam_members" "bad" {
  service = "svc-000"
  role    = "roles/run.invoker"
  members = ["user:ok@example.com", "group:"]
}`},
	{name: "empty members set", summary: "Invalid Attribute Value", attr: "members", detail: `Attribute members set must contain at least 1 elements, got: 0`,
		hcl: `resource "gcpinvoke_run_service_iam_members" "bad" {
  service = "svc-000"
  role    = "roles/run.invoker"
  members = []
}`},
	{name: "function member with an empty domain", summary: "Invalid IAM member", attr: "member", detail: `member "domain:": "" is not a domain name: write domain:example.com`,
		hcl: `resource "gcpinvoke_cloudfunctions_function_iam_member" "bad" {
  function = "fn"
  member   = "domain:"
}`},
	{name: "service account IAM member that is malformed", summary: "Invalid IAM member", attr: "member", detail: `member "user:alice": "alice" is not an email address`,
		hcl: `resource "gcpinvoke_service_account_iam_member" "bad" {
  service_account = "caller@demo-project.iam.gserviceaccount.com"
  role            = "roles/iam.serviceAccountTokenCreator"
  member          = "user:alice"
}`},
	{name: "broad principal on a service account without allow_broad_principal", summary: "Broad principal would be able to act as the service account", attr: "member", detail: `set allow_broad_principal = true to acknowledge it`,
		hcl: `resource "gcpinvoke_service_account_iam_member" "bad" {
  service_account = "caller@demo-project.iam.gserviceaccount.com"
  role            = "roles/iam.serviceAccountTokenCreator"
  member          = "allAuthenticatedUsers"
}`},
	// Roles and conditions.
	{name: "role without roles/ prefix", summary: "Invalid IAM role", attr: "role", detail: `role "run.invoker" has no prefix: write "roles/run.invoker" (predefined)`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc-000"
  role    = "run.invoker"
  member  = "user:alice@example.com"
}`},
	{name: "empty predefined role", summary: "Invalid IAM role", attr: "role", detail: `role "roles/" is not valid: use "roles/NAME"`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc-000"
  role    = "roles/"
  member  = "user:alice@example.com"
}`},
	{name: "custom role without id", summary: "Invalid IAM role", attr: "role", detail: `role "projects/demo-project/roles/" is not valid`,
		hcl: `resource "gcpinvoke_run_service_iam_members" "bad" {
  service = "svc-000"
  role    = "projects/demo-project/roles/"
  members = ["user:alice@example.com"]
}`},
	{name: "role with a space", summary: "Invalid IAM role", attr: "role", detail: `role "roles/cloudfunctions invoker" is not valid`,
		hcl: `resource "gcpinvoke_cloudfunctions_function_iam_members" "bad" {
  function = "fn"
  role     = "roles/cloudfunctions invoker"
  members  = ["user:alice@example.com"]
}`},
	{name: "condition without title", summary: "Invalid IAM condition", attr: "condition", detail: `has no title: Google requires a title on every IAM condition`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc-000"
  member  = "user:alice@example.com"
  condition = {
    title      = ""
    expression = "request.time < timestamp(\"2030-01-01T00:00:00Z\")"
  }
}`},
	{name: "condition without expression", summary: "Invalid IAM condition", attr: "condition", detail: `condition "until 2030" has no expression: set expression to a CEL expression`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc-000"
  member  = "user:alice@example.com"
  condition = {
    title      = "until 2030"
    expression = ""
  }
}`},
	// Service accounts and impersonation.
	{name: "account id too short", summary: "Invalid service account ID", attr: "account_id", detail: `account ID "ab" has 2 characters; it must be 6-30 characters`,
		hcl: `resource "gcpinvoke_service_account" "bad" {
  account_id = "ab"
}`},
	{name: "account id with upper case and underscore", summary: "Invalid service account ID", attr: "account_id", detail: `account ID "Bad_Account" does not start with a lower-case letter`,
		hcl: `resource "gcpinvoke_service_account" "bad" {
  account_id = "Bad_Account"
}`},
	{name: "account id starting with a digit", summary: "Invalid service account ID", attr: "account_id", detail: `account ID "1scheduler" does not start with a lower-case letter`,
		hcl: `resource "gcpinvoke_service_account" "bad" {
  account_id = "1scheduler"
}`},
	{name: "service account that is not an email", summary: "Invalid service account", attr: "service_account", detail: `service account email "caller" looks like an account ID; write the email`,
		hcl: `resource "gcpinvoke_service_account_iam_member" "bad" {
  service_account = "caller"
  role            = "roles/iam.serviceAccountTokenCreator"
  member          = "user:alice@example.com"
}`},
	{name: "unknown service agent", summary: "Invalid Attribute Value Match", attr: "agent", detail: `Attribute agent value must be one of: ["cloudscheduler" "cloudtasks" "workflows"], got: "cloudrun"`,
		hcl: `resource "gcpinvoke_service_agent_impersonation" "bad" {
  service_account = "caller@demo-project.iam.gserviceaccount.com"
  agent           = "cloudrun"
}`},
	{name: "impersonation of a user, not a service account", summary: "Invalid service account", attr: "service_account", detail: `"alice@example.com" is not a service account email`,
		hcl: `resource "gcpinvoke_service_agent_impersonation" "bad" {
  service_account = "alice@example.com"
  agent           = "cloudscheduler"
}`},
	// Scheduler jobs: cron, time zones, URIs, tokens.
	{name: "cron with three fields", summary: "Invalid cron schedule", attr: "schedule", detail: `schedule "* * *" has 3 fields, want 5 (minute hour day-of-month month day-of-week)`,
		hcl: badJobHead + `  schedule = "* * *"
  http_target = { uri = "https://example.com/" }
}`},
	{name: "cron minute out of range", summary: "Invalid cron schedule", attr: "schedule", detail: `field 1 (minute) value 61 is out of range 0-59`,
		hcl: badJobHead + `  schedule = "61 * * * *"
  http_target = { uri = "https://example.com/" }
}`},
	{name: "cron with an unknown month name", summary: "Invalid cron schedule", attr: "schedule", detail: `field 4 (month) value "foo" is not a number or a name (1-12 or JAN-DEC)`,
		hcl: badJobHead + `  schedule = "0 9 * foo *"
  http_target = { uri = "https://example.com/" }
}`},
	{name: "unknown time zone", summary: "Invalid time zone", attr: "time_zone", detail: `unknown time zone "Mars/Olympus_Mons"; use an IANA name such as "Europe/Berlin"`,
		hcl: badJobHead + `  schedule  = "0 9 * * *"
  time_zone = "Mars/Olympus_Mons"
  http_target = { uri = "https://example.com/" }
}`},
	{name: "UTC offset instead of a time zone", summary: "Invalid time zone", attr: "time_zone", detail: `unknown time zone "UTC+2"; use an IANA name`,
		hcl: badJobHead + `  schedule  = "0 9 * * *"
  time_zone = "UTC+2"
  http_target = { uri = "https://example.com/" }
}`},
	{name: "URI with a non-HTTP scheme", summary: "Invalid URL", attr: "", detail: `"ftp://example.com/" has scheme "ftp"; use https:// (or http://)`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = { uri = "ftp://example.com/" }
}`},
	{name: "URI that is not absolute", summary: "Invalid URL", attr: "", detail: `"/run/me" is not an absolute URL; write it with its scheme and host`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = { uri = "/run/me" }
}`},
	{name: "both OIDC and OAuth tokens", summary: "Two kinds of token configured", attr: "", detail: `http_target sets both oidc_token and oauth_token, but a job sends one token at most`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = {
    uri         = "https://hello-abc-uc.a.run.app/"
    oidc_token  = { service_account_email = "caller@demo-project.iam.gserviceaccount.com" }
    oauth_token = { service_account_email = "caller@demo-project.iam.gserviceaccount.com" }
  }
}`},
	{name: "OAuth token to a host that is not a Google API", summary: "OAuth token for a non-Google target", attr: "", detail: `http_target.uri "https://hello-abc-uc.a.run.app/" is not a Google API`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = {
    uri         = "https://hello-abc-uc.a.run.app/"
    oauth_token = { service_account_email = "caller@demo-project.iam.gserviceaccount.com" }
  }
}`},
	{name: "public member on a function without allow_public", summary: "Public access needs allow_public = true", attr: "member", detail: `allAuthenticatedUsers`,
		hcl: `resource "gcpinvoke_cloudfunctions_function_iam_member" "bad" {
  function = "fn"
  member   = "allAuthenticatedUsers"
}`},
	{name: "OIDC token for an account that is not an email", summary: "Invalid service account email", attr: "", detail: `service account email "caller" looks like an account ID`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = {
    uri        = "https://hello-abc-uc.a.run.app/"
    oidc_token = { service_account_email = "caller" }
  }
}`},
	{name: "attempt deadline below 15s", summary: "Invalid duration", attr: "attempt_deadline", detail: `duration "5s" (5s) is outside the allowed range 15s to 30m`,
		hcl: badJobHead + `  schedule         = "0 9 * * *"
  attempt_deadline = "5s"
  http_target = { uri = "https://example.com/" }
}`},
	{name: "unknown HTTP method", summary: "Invalid Attribute Value Match", attr: "", detail: `Attribute http_target.http_method value must be one of`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = {
    uri         = "https://example.com/"
    http_method = "FETCH"
  }
}`},
	{name: "too many retries", summary: "Invalid Attribute Value", attr: "", detail: `Attribute retry_config.retry_count value must be between 0 and 5, got: 9`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  retry_config = { retry_count = 9 }
  http_target = { uri = "https://example.com/" }
}`},
	{name: "job name with spaces", summary: "Invalid Attribute Value Match", attr: "name", detail: `Attribute name must be 1 to 500 letters`,
		hcl: `resource "gcpinvoke_scheduler_job" "bad" {
  name     = "nightly job"
  schedule = "0 9 * * *"
  http_target = { uri = "https://example.com/" }
}`},
	// Provider settings and missing project.
	{name: "access_token and credentials together", summary: "Invalid Attribute Combination", attr: "credentials", detail: `These attributes cannot be configured together: [credentials,access_token]`,
		provider: `provider "gcpinvoke" {
  emulator_host = %q
  project       = "demo-project"
  access_token  = "t"
  credentials   = "{}"
}`, hcl: `resource "gcpinvoke_service_account" "ok" {
  account_id = "scheduler-caller"
}`},
	{name: "emulator_host without port", summary: "Invalid emulator host", attr: "emulator_host", detail: `emulator host "localhost" must be HOST:PORT, for example "127.0.0.1:8787".`,
		provider: `provider "gcpinvoke" {
  emulator_host = "localhost" # %q
  project       = "demo-project"
}`, hcl: `resource "gcpinvoke_service_account" "ok" {
  account_id = "scheduler-caller"
}`},
	{name: "request_timeout out of range", summary: "Invalid duration", attr: "request_timeout", detail: `duration "100ms" (0.1s) is outside the allowed range 1s to 1h`,
		provider: `provider "gcpinvoke" {
  emulator_host   = %q
  project         = "demo-project"
  request_timeout = "100ms"
}`, hcl: `resource "gcpinvoke_service_account" "ok" {
  account_id = "scheduler-caller"
}`},
	{name: "custom endpoint that is not a URL", summary: "Invalid URL", attr: "run_custom_endpoint", detail: `"run.example.com" is not an absolute URL`,
		provider: `provider "gcpinvoke" {
  emulator_host       = %q
  project             = "demo-project"
  run_custom_endpoint = "run.example.com"
}`, hcl: `resource "gcpinvoke_service_account" "ok" {
  account_id = "scheduler-caller"
}`},
	{name: "no project anywhere", summary: "No project for the service account", attr: "", detail: "Neither the resource nor the provider sets `project`. Set `project` on the resource",
		provider: `provider "gcpinvoke" {
  emulator_host = %q
  region        = "us-central1"
}`, hcl: `resource "gcpinvoke_service_account" "bad" {
  account_id = "scheduler-caller"
}`},
}
