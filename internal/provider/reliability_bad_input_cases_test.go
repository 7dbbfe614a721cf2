package provider

// badInputOutcome is when a bad configuration is caught.
type badInputOutcome int

const (
	// badInputAtPlan: terraform plan fails, before any write.
	badInputAtPlan badInputOutcome = iota
	// badInputAtApply: only the API can tell (e.g. an account that does
	// not exist); apply fails and leaves nothing in state.
	badInputAtApply
	// badInputAccepted: plan and apply succeed (a gap the catalogue
	// records so that it is counted).
	badInputAccepted
)

func (o badInputOutcome) phrase() string {
	return [...]string{"at plan", "only at apply", "accepted"}[o]
}

// badInputCase is one bad configuration, with when it is caught, the
// message a user sees and the attribute it points at.
type badInputCase struct {
	name string
	// provider, when set, replaces the default provider block (%s is the
	// emulator host).
	provider string
	// hcl is the rest of the configuration.
	hcl string
	// summary is the diagnostic's title.
	summary string
	// attr is the attribute path of the diagnostic, as the provider
	// returns it ("member", "http_target.uri",
	// `http_target.headers["Host"]`); empty only for a diagnostic that
	// concerns no attribute (environment variables in conflict).
	attr string
	// at is when the configuration is caught (zero value: at plan).
	at badInputOutcome
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
	{name: "members set with a malformed member", summary: "Invalid IAM member", attr: "members[*]", detail: `member "group:": "" is not an email address: write group:NAME@DOMAIN`,
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
	{name: "condition without expression", summary: "Invalid IAM condition expression", attr: "condition.expression", detail: `no expression: write a CEL expression`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc-000"
  member  = "user:alice@example.com"
  condition = {
    title      = "until 2030"
    expression = ""
  }
}`},
	{name: "condition expression that is not CEL", summary: "Invalid IAM condition expression", attr: "condition.expression",
		detail: `"request.time < " is not a valid CEL expression`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc-000"
  member  = "user:alice@example.com"
  condition = {
    title      = "until 2030"
    expression = "request.time < "
  }
}`},
	{name: "predefined role that does not exist", summary: "Invalid IAM role", attr: "role",
		detail: `"roles/run.invokr" is not a predefined role: did you mean "roles/run.invoker"?`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc-000"
  role    = "roles/run.invokr"
  member  = "user:alice@example.com"
}`},
	{name: "predefined role of a misspelt service", summary: "Invalid IAM role", attr: "role",
		detail: `"roles/cloudfunction.invoker" is not a predefined role: did you mean "roles/cloudfunctions.invoker"?`,
		hcl: `resource "gcpinvoke_cloudfunctions_function_iam_members" "bad" {
  function = "fn"
  role     = "roles/cloudfunction.invoker"
  members  = ["user:alice@example.com"]
}`},
	{name: "scheduler role on a service account", summary: "Role does not apply to this target", attr: "role",
		detail: `roles/cloudscheduler.jobRunner does not apply to a service account`,
		hcl: `resource "gcpinvoke_service_account_iam_member" "bad" {
  service_account = "invoker@demo-project.iam.gserviceaccount.com"
  role            = "roles/cloudscheduler.jobRunner"
  member          = "user:alice@example.com"
}`},
	{name: "IAM service name with a path", summary: "Invalid Cloud Run service name", attr: "service",
		detail: `Cloud Run service name "svc1/../svc2" contains "/": write the name alone`,
		hcl: `resource "gcpinvoke_run_service_iam_member" "bad" {
  service = "svc1/../svc2"
  member  = "user:alice@example.com"
}`},
	{name: "IAM function name that is a URL", summary: "Invalid function name", attr: "function",
		detail: `is a URL`,
		hcl: `resource "gcpinvoke_cloudfunctions_function_iam_member" "bad" {
  function = "https://us-central1-demo-project.cloudfunctions.net/legacy-fn"
  member   = "user:alice@example.com"
}`},
	{name: "IAM project with upper case", summary: "Invalid project ID", attr: "project",
		detail: `project ID "Demo-Project"`,
		hcl: `resource "gcpinvoke_run_service_iam_members" "bad" {
  project = "Demo-Project"
  service = "svc-000"
  role    = "roles/run.invoker"
  members = ["user:alice@example.com"]
}`},
	{name: "IAM location that is a zone", summary: "Invalid location", attr: "location",
		detail: `location "us-central1-a" is a zone; use its region "us-central1"`,
		hcl: `resource "gcpinvoke_cloudfunctions_function_iam_members" "bad" {
  location = "us-central1-a"
  function = "fn"
  members  = ["user:alice@example.com"]
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
	{name: "URI with a non-HTTP scheme", summary: "Invalid URL", attr: "http_target.uri", detail: `"ftp://example.com/" has scheme "ftp"; use https:// (or http://)`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = { uri = "ftp://example.com/" }
}`},
	{name: "URI that is not absolute", summary: "Invalid URL", attr: "http_target.uri", detail: `"/run/me" is not an absolute URL; write it with its scheme and host`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = { uri = "/run/me" }
}`},
	{name: "both OIDC and OAuth tokens", summary: "Two kinds of token configured", attr: "http_target.oauth_token", detail: `http_target sets both oidc_token and oauth_token, but a job sends one token at most`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = {
    uri         = "https://hello-abc-uc.a.run.app/"
    oidc_token  = { service_account_email = "caller@demo-project.iam.gserviceaccount.com" }
    oauth_token = { service_account_email = "caller@demo-project.iam.gserviceaccount.com" }
  }
}`},
	{name: "OAuth token to a host that is not a Google API", summary: "OAuth token for a non-Google target", attr: "http_target.oauth_token", detail: `http_target.uri "https://hello-abc-uc.a.run.app/" is not a Google API`,
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
	{name: "OIDC token for an account that is not an email", summary: "Invalid service account email", attr: "http_target.oidc_token.service_account_email", detail: `service account email "caller" looks like an account ID`,
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
	{name: "unknown HTTP method", summary: "Invalid Attribute Value Match", attr: "http_target.http_method", detail: `Attribute http_target.http_method value must be one of`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = {
    uri         = "https://example.com/"
    http_method = "FETCH"
  }
}`},
	{name: "too many retries", summary: "Invalid Attribute Value", attr: "retry_config.retry_count", detail: `Attribute retry_config.retry_count value must be between 0 and 5, got: 9`,
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
	{name: "emulator_host without port", summary: "Invalid emulator host", attr: "emulator_host", detail: `emulator host "localhost" must be HOST:PORT, for example "127.0.0.1:8085".`,
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
	{name: "no project anywhere", summary: "No project for the service account", attr: "project", detail: "Neither the resource nor the provider sets `project`. Set `project` on the resource",
		provider: `provider "gcpinvoke" {
  emulator_host = %q
  region        = "us-central1"
}`, hcl: `resource "gcpinvoke_service_account" "bad" {
  account_id = "scheduler-caller"
}`},

	// Names: Google's formats, no "/", not a URL (issue 12, item 4).
	{name: "data source service name with a path", summary: "Invalid Cloud Run service name", attr: "name",
		detail: `Cloud Run service name "svc1/../svc2" contains "/": write the name alone`,
		hcl: `data "gcpinvoke_run_service" "bad" {
  name = "svc1/../svc2"
}`},
	{name: "data source service name that is a URL", summary: "Invalid Cloud Run service name", attr: "name",
		detail: `Cloud Run service name "https://hello-abc123def4-uc.a.run.app" is a URL; write the name "hello"`,
		hcl: `data "gcpinvoke_run_service" "bad" {
  name = "https://hello-abc123def4-uc.a.run.app"
}`},
	{name: "data source service name too long", summary: "Invalid Cloud Run service name", attr: "name",
		detail: `has 50 characters, want 1-49`,
		hcl: `data "gcpinvoke_run_service" "bad" {
  name = "a-service-name-that-is-fifty-characters-long-xxxxx"
}`},
	{name: "data source location that is a zone", summary: "Invalid location", attr: "location",
		detail: `location "us-central1-a" is a zone; use its region "us-central1"`,
		hcl: `data "gcpinvoke_run_service" "bad" {
  name     = "hello"
  location = "us-central1-a"
}`},
	{name: "job project with upper case", summary: "Invalid project ID", attr: "project",
		detail: `project ID "Demo-Project" must be lower-case; write "demo-project"`,
		hcl: badJobHead + `  project  = "Demo-Project"
  schedule = "0 9 * * *"
  http_target = { uri = "https://example.com/" }
}`},
	{name: "job project too short", summary: "Invalid project ID", attr: "project",
		detail: `project ID "proj" has 4 characters, want 6-30`,
		hcl: badJobHead + `  project  = "proj"
  schedule = "0 9 * * *"
  http_target = { uri = "https://example.com/" }
}`},
	{name: "queue project that is a project number", summary: "Invalid project ID", attr: "project",
		detail: `"123456789012" is a project number; write the project ID`,
		hcl: `resource "gcpinvoke_cloud_tasks_queue" "bad" {
  name    = "orders"
  project = "123456789012"
}`},
	{name: "queue location with a path", summary: "Invalid location", attr: "location",
		detail: `location "us-central1/../europe-west1" contains "/"`,
		hcl: `resource "gcpinvoke_cloud_tasks_queue" "bad" {
  name     = "orders"
  location = "us-central1/../europe-west1"
}`},
	{name: "workflow project with a trailing hyphen", summary: "Invalid project ID", attr: "project",
		detail: `project ID "demo-project-" ends with '-'`,
		hcl: `resource "gcpinvoke_workflow" "bad" {
  name    = "flow"
  project = "demo-project-"
  source  = "main:\n  steps:\n    - done:\n        return: 1\n"
}`},
	{name: "workflow location in upper case", summary: "Invalid location", attr: "location",
		detail: `location "US-CENTRAL1" must be lower-case; write "us-central1"`,
		hcl: `resource "gcpinvoke_workflow" "bad" {
  name     = "flow"
  location = "US-CENTRAL1"
  source   = "main:\n  steps:\n    - done:\n        return: 1\n"
}`},
	{name: "service account project that is a resource name", summary: "Invalid project ID", attr: "project",
		detail: `project ID "projects/demo-project" is a resource name; write only the ID "demo-project"`,
		hcl: `resource "gcpinvoke_service_account" "bad" {
  account_id = "scheduler-caller"
  project    = "projects/demo-project"
}`},
	{name: "impersonation project with an underscore", summary: "Invalid project ID", attr: "project",
		detail: `project ID "demo_project" contains '_'`,
		hcl: `resource "gcpinvoke_service_agent_impersonation" "bad" {
  service_account = "caller@demo-project.iam.gserviceaccount.com"
  agent           = "cloudscheduler"
  project         = "demo_project"
}`},
	{name: "service agent data source project starting with a digit", summary: "Invalid project ID", attr: "project",
		detail: `project ID "9-project" does not start with a letter`,
		hcl: `data "gcpinvoke_service_agent" "bad" {
  project = "9-project"
  agent   = "cloudscheduler"
}`},
	{name: "invocation chain run_service with a path", summary: "Invalid Cloud Run service name", attr: "run_service",
		detail: `location ".." does not start with a letter`,
		hcl: `data "gcpinvoke_invocation_chain" "bad" {
  caller          = "cloudscheduler"
  service_account = "caller@demo-project.iam.gserviceaccount.com"
  run_service     = "demo-project/../svc2"
}`},
	{name: "invocation chain function that is a URL", summary: "Invalid function name", attr: "function",
		detail: `is a URL; write the name "legacy-fn"`,
		hcl: `data "gcpinvoke_invocation_chain" "bad" {
  caller          = "cloudscheduler"
  service_account = "caller@demo-project.iam.gserviceaccount.com"
  function        = "https://us-central1-demo-project.cloudfunctions.net/legacy-fn"
}`},
	{name: "invocation chain target that is not a URL", summary: "Invalid URL", attr: "target_url",
		detail: `"hello-abc-uc.a.run.app" is not an absolute URL; write it with its scheme and host, e.g. "https://hello-abc-uc.a.run.app"`,
		hcl: `data "gcpinvoke_invocation_chain" "bad" {
  caller          = "cloudscheduler"
  service_account = "caller@demo-project.iam.gserviceaccount.com"
  target_url      = "hello-abc-uc.a.run.app"
}`},
	{name: "invocation chain caller that is neither agent nor member", summary: "Invalid caller", attr: "caller",
		detail: `caller "scheduler" is neither a service agent nor an IAM member: unknown service agent "scheduler"; use one of "cloudscheduler", "cloudtasks" or "workflows", or a member such as "serviceAccount:EMAIL"`,
		hcl: `data "gcpinvoke_invocation_chain" "bad" {
  caller          = "scheduler"
  service_account = "caller@demo-project.iam.gserviceaccount.com"
  target_url      = "https://hello-abc-uc.a.run.app"
}`},
	{name: "provider project that is a project number", summary: "Invalid project ID", attr: "project",
		detail: `"123456789012" is a project number; write the project ID`,
		provider: `provider "gcpinvoke" {
  emulator_host = %q
  project       = "123456789012"
}`, hcl: `resource "gcpinvoke_service_account" "ok" {
  account_id = "scheduler-caller"
}`},
	{name: "provider region that is a zone", summary: "Invalid location", attr: "region",
		detail: `location "europe-west1-b" is a zone; use its region "europe-west1"`,
		provider: `provider "gcpinvoke" {
  emulator_host = %q
  project       = "demo-project"
  region        = "europe-west1-b"
}`, hcl: `resource "gcpinvoke_service_account" "ok" {
  account_id = "scheduler-caller"
}`},
	// retry_config: min_backoff at most max_backoff.
	{name: "job min_backoff longer than max_backoff", summary: "min_backoff is longer than max_backoff", attr: "retry_config.min_backoff",
		detail: `retry_config.min_backoff "10m" is longer than retry_config.max_backoff "30s", which Google refuses`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  retry_config = {
    min_backoff = "10m"
    max_backoff = "30s"
  }
  http_target = { uri = "https://example.com/" }
}`},
	{name: "job min_backoff longer than the default max_backoff", summary: "min_backoff is longer than max_backoff", attr: "retry_config.min_backoff",
		detail: `retry_config.min_backoff "2h" is longer than retry_config.max_backoff "3600s" (the default)`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  retry_config = { min_backoff = "2h" }
  http_target = { uri = "https://example.com/" }
}`},
	{name: "queue max_backoff shorter than the default min_backoff", summary: "min_backoff is longer than max_backoff", attr: "retry_config.max_backoff",
		detail: `retry_config.min_backoff "0.1s" (the default) is longer than retry_config.max_backoff "0s"`,
		hcl: `resource "gcpinvoke_cloud_tasks_queue" "bad" {
  name         = "orders"
  retry_config = { max_backoff = "0s" }
}`},
	{name: "queue min_backoff longer than max_backoff", summary: "min_backoff is longer than max_backoff", attr: "retry_config.min_backoff",
		detail: `retry_config.min_backoff "120s" is longer than retry_config.max_backoff "60s"`,
		hcl: `resource "gcpinvoke_cloud_tasks_queue" "bad" {
  name = "orders"
  retry_config = {
    min_backoff = "120s"
    max_backoff = "60s"
  }
}`},
	// OAuth targets: https only, Google API hosts only, scope URLs.
	{name: "OAuth token over http to a Google API", summary: "OAuth token over plain HTTP", attr: "http_target.uri",
		detail: `http_target.uri "http://pubsub.googleapis.com/v1/projects/demo-project/topics/t:publish" uses http, but an OAuth access token may only be sent over https (Google APIs answer only https). Write "https://pubsub.googleapis.com/v1/projects/demo-project/topics/t:publish".`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = {
    uri         = "http://pubsub.googleapis.com/v1/projects/demo-project/topics/t:publish"
    oauth_token = { service_account_email = "caller@demo-project.iam.gserviceaccount.com" }
  }
}`},
	{name: "queue OAuth token over http to a Google API", summary: "OAuth token over plain HTTP", attr: "http_target.uri",
		detail: `Write "https://cloudbuild.googleapis.com/v1/projects/demo-project/builds".`,
		hcl: `resource "gcpinvoke_cloud_tasks_queue" "bad" {
  name = "orders"
  http_target = {
    uri         = "http://cloudbuild.googleapis.com/v1/projects/demo-project/builds"
    oauth_token = { service_account_email = "caller@demo-project.iam.gserviceaccount.com" }
  }
}`},
	{name: "OAuth token over HTTP in capitals: one scheme in the fix", summary: "OAuth token over plain HTTP", attr: "http_target.uri",
		detail: `Write "https://pubsub.googleapis.com/v1/projects/demo-project/topics/t:publish".`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = {
    uri         = "HTTP://pubsub.googleapis.com/v1/projects/demo-project/topics/t:publish"
    oauth_token = { service_account_email = "caller@demo-project.iam.gserviceaccount.com" }
  }
}`},
	{name: "queue OAuth token to a host that is not a Google API", summary: "OAuth token for a non-Google target", attr: "http_target.oauth_token",
		detail: `http_target.uri "https://googleapis.com.evil.example/x" is not a Google API`,
		hcl: `resource "gcpinvoke_cloud_tasks_queue" "bad" {
  name = "orders"
  http_target = {
    uri         = "https://googleapis.com.evil.example/x"
    oauth_token = { service_account_email = "caller@demo-project.iam.gserviceaccount.com" }
  }
}`},
	{name: "OAuth scope that is a bare name", summary: "Invalid OAuth scope", attr: "http_target.oauth_token.scope",
		detail: `scope "cloud-platform" is not a scope URL; write "https://www.googleapis.com/auth/cloud-platform"`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = {
    uri = "https://pubsub.googleapis.com/v1/projects/demo-project/topics/t:publish"
    oauth_token = {
      service_account_email = "caller@demo-project.iam.gserviceaccount.com"
      scope                 = "cloud-platform"
    }
  }
}`},
	{name: "OAuth scope that is an API URL", summary: "Invalid OAuth scope", attr: "http_target.oauth_token.scope",
		detail: `is an API URL, not a scope`,
		hcl: `resource "gcpinvoke_cloud_tasks_queue" "bad" {
  name = "orders"
  http_target = {
    uri = "https://pubsub.googleapis.com/v1/projects/demo-project/topics/t:publish"
    oauth_token = {
      service_account_email = "caller@demo-project.iam.gserviceaccount.com"
      scope                 = "https://pubsub.googleapis.com/v1"
    }
  }
}`},
	// Hints never double the scheme.
	{name: "URI that is only a scheme", summary: "Invalid URL", attr: "http_target.uri",
		detail: `"https://" is not an absolute URL; write it with its scheme and host, e.g. "https://HOST"`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = { uri = "https://" }
}`},
	{name: "URI with one slash after the scheme", summary: "Invalid URL", attr: "http_target.uri",
		detail: `"https:/example.com/run" is not an absolute URL; write it with its scheme and host, e.g. "https://example.com/run"`,
		hcl: `resource "gcpinvoke_cloud_tasks_queue" "bad" {
  name        = "orders"
  http_target = { uri = "https:/example.com/run" }
}`},
	{name: "header the product sets itself", summary: "Header not allowed", attr: `http_target.headers["Host"]`,
		detail: `Header "Host" cannot be set on a Cloud Scheduler job`,
		hcl: badJobHead + `  schedule = "0 9 * * *"
  http_target = {
    uri     = "https://example.com/"
    headers = { Host = "other.example.com" }
  }
}`},
	// Only the API can tell: the account does not exist.
	{name: "impersonation of a service account that does not exist", at: badInputAtApply,
		summary: "Not found while changing the IAM policy of service account projects/demo-project/serviceAccounts/nobody-here@demo-project.iam.gserviceaccount.com",
		attr:    "service_account", detail: `does not exist. Check the project`,
		hcl: `resource "gcpinvoke_service_agent_impersonation" "bad" {
  service_account = "nobody-here@demo-project.iam.gserviceaccount.com"
  agent           = "cloudscheduler"
}`},
}
