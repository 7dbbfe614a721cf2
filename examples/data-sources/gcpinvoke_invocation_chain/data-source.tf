# Warn on every plan and apply when Cloud Scheduler could not call the
# service: the check reads the live IAM policies (and, with probe, calls the
# service once with a fresh ID token of the account).
check "nightly_job_can_invoke" {
  data "gcpinvoke_invocation_chain" "nightly" {
    caller          = "cloudscheduler"
    service_account = "invoker@my-project.iam.gserviceaccount.com"
    target_url      = "https://reports-abc123xyz-uc.a.run.app/nightly"
    audience        = "https://reports-abc123xyz-uc.a.run.app"
    probe           = true
  }

  assert {
    condition     = data.gcpinvoke_invocation_chain.nightly.ok
    error_message = data.gcpinvoke_invocation_chain.nightly.summary
  }
}

# Outside a check block, a broken chain does not fail the run either: use the
# findings as you like, e.g. as an output.
data "gcpinvoke_invocation_chain" "legacy" {
  caller          = "cloudtasks"
  service_account = "tasks-invoker@my-project.iam.gserviceaccount.com"
  function        = "projects/my-project/locations/us-central1/functions/legacy-fn"
}

output "legacy_chain_findings" {
  value = [for f in data.gcpinvoke_invocation_chain.legacy.findings : "${f.link}: ${f.problem}"]
}
