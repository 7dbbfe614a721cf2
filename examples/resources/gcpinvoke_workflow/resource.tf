# A workflow that calls a private Cloud Run service as its own service
# account: the account needs roles/run.invoker on the service (no service
# agent is involved). The http step sets auth with the service's root URL as
# audience; a call to *.run.app without auth, or with type OAuth2, is
# refused at plan time.
resource "gcpinvoke_service_account" "runner" {
  account_id   = "orders-workflow"
  display_name = "Runs the orders workflow"
}

resource "gcpinvoke_run_service_iam_member" "runner" {
  location = "europe-west1"
  service  = "orders"
  member   = gcpinvoke_service_account.runner.member
}

resource "gcpinvoke_workflow" "orders" {
  name            = "process-orders"
  location        = "europe-west1"
  description     = "Fetches pending orders and processes them"
  service_account = gcpinvoke_service_account.runner.email

  source = <<-EOT
    main:
      params: [args]
      steps:
        - fetch:
            call: http.get
            args:
              url: https://orders-abc123-ew.a.run.app/pending
              query:
                limit: $${args.limit}
              auth:
                type: OIDC
                audience: https://orders-abc123-ew.a.run.app
            result: pending
        - done:
            return: $${pending.body}
  EOT
}
