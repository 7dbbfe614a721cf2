terraform {
  required_providers {
    gcpinvoke = {
      source = "gcpinvoke/gcpinvoke"
    }
  }
}

provider "gcpinvoke" {
  project = "my-project"
  region  = "us-central1"
}

# The workflow runs as this account and mints its own ID tokens for the
# calls marked auth: {type: OIDC}; no service agent is involved.
resource "gcpinvoke_service_account" "flow" {
  account_id = "orders-flow"
}

# The service: private (IAM) and internal ingress. Workflows in the same
# project (or VPC Service Controls perimeter) counts as internal traffic.
data "gcpinvoke_run_service" "orders" {
  name = "orders"
}

resource "gcpinvoke_run_service_iam_member" "flow" {
  service = data.gcpinvoke_run_service.orders.name
  member  = gcpinvoke_service_account.flow.member
}

resource "gcpinvoke_workflow" "orders" {
  name            = "orders"
  service_account = gcpinvoke_service_account.flow.email
  source          = <<-EOT
    main:
      steps:
        - call_orders:
            call: http.post
            args:
              url: ${data.gcpinvoke_run_service.orders.uri}/process
              auth:
                type: OIDC
                audience: ${data.gcpinvoke_run_service.orders.uri}
              body:
                source: workflow
            result: resp
        - done:
            return: $${resp.body}
  EOT
  depends_on      = [gcpinvoke_run_service_iam_member.flow]
}

check "workflow_can_invoke" {
  data "gcpinvoke_invocation_chain" "orders" {
    caller          = "workflows"
    service_account = gcpinvoke_service_account.flow.email
    run_service     = data.gcpinvoke_run_service.orders.name
  }
  assert {
    condition     = data.gcpinvoke_invocation_chain.orders.ok
    error_message = data.gcpinvoke_invocation_chain.orders.summary
  }
  assert {
    condition     = data.gcpinvoke_run_service.orders.ingress == "INGRESS_TRAFFIC_INTERNAL_ONLY"
    error_message = "The orders service should only accept internal traffic (Workflows counts as internal)."
  }
}
