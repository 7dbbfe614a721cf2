# Review scenario "risky" (scripts/review-plans.sh → testdata/plans/real_risky.json):
# every finding our provider's resources can produce in one plan.
# prepare.sh applies gcpinvoke_run_service_iam_members.exclusive first and
# then adds user:foreign@example.com to the role by hand, so this plan
# removes that member.

terraform {
  required_providers {
    gcpinvoke = {
      source = "gcpinvoke/gcpinvoke"
    }
  }
}

provider "gcpinvoke" {
  project = "demo-project"
  region  = "us-central1"
}

data "gcpinvoke_run_service" "hello" {
  name = "hello"
}

data "gcpinvoke_run_service" "hello_fn" {
  name = "hello-fn"
}

resource "gcpinvoke_service_account" "caller" {
  account_id   = "risky-caller"
  display_name = "Calls hello"
}

resource "gcpinvoke_service_account" "deployer" {
  account_id   = "deployer"
  display_name = "Deploys hello-fn"
}

resource "gcpinvoke_service_account" "lonely" {
  account_id   = "lonely-caller"
  display_name = "Calls hello-fn without an invoker binding"
}

# public-invoker (high): anyone on the internet can call hello.
resource "gcpinvoke_run_service_iam_member" "public" {
  service      = data.gcpinvoke_run_service.hello.name
  member       = "allUsers"
  allow_public = true
}

# authoritative-removal (medium): exclusive members drop the member added
# out of band.
resource "gcpinvoke_run_service_iam_members" "exclusive" {
  service   = "hello-fn"
  role      = "roles/run.developer"
  members   = [gcpinvoke_service_account.deployer.member]
  exclusive = true
}

# broad-impersonation (high): a whole domain may mint tokens as the caller.
resource "gcpinvoke_service_account_iam_member" "domain" {
  service_account       = gcpinvoke_service_account.caller.email
  role                  = "roles/iam.serviceAccountTokenCreator"
  member                = "domain:example.com"
  allow_broad_principal = true
}

resource "gcpinvoke_service_agent_impersonation" "scheduler" {
  service_account = gcpinvoke_service_account.caller.email
  agent           = "cloudscheduler"
}

resource "gcpinvoke_service_agent_impersonation" "scheduler_lonely" {
  service_account = gcpinvoke_service_account.lonely.email
  agent           = "cloudscheduler"
}

# audience-path (medium): Cloud Run accepts only the root URL as audience.
resource "gcpinvoke_scheduler_job" "audience_path" {
  name     = "audience-with-path"
  schedule = "0 * * * *"

  http_target = {
    uri = "${data.gcpinvoke_run_service.hello.uri}/reports/daily"
    oidc_token = {
      service_account_email = gcpinvoke_service_account.caller.email
      audience              = "${data.gcpinvoke_run_service.hello.uri}/reports/daily"
    }
  }
}

# no-invoker-binding (info): nothing grants lonely-caller run.invoker on
# hello-fn.
resource "gcpinvoke_scheduler_job" "no_invoker" {
  name     = "no-invoker"
  schedule = "30 * * * *"

  http_target = {
    uri = data.gcpinvoke_run_service.hello_fn.uri
    oidc_token = {
      service_account_email = gcpinvoke_service_account.lonely.email
    }
  }
}
