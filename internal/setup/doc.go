// Package setup implements `gcpinvoke setup`: the walkthroughs that put an
// invocation chain in place in one idempotent command.
//
//	scheduler-to-run       service account, Cloud Scheduler agent impersonation,
//	                       roles/run.invoker on a Cloud Run service, a job with an OIDC token
//	scheduler-to-function  the same for a Cloud Function (gen1: roles/cloudfunctions.invoker
//	                       on the function; gen2: roles/run.invoker on its Cloud Run service)
//	oauth-to-google-api    service account, impersonation, a job with an OAuth token
//	                       calling a *.googleapis.com URL
//
// Each step has a Check (is it in place?) and an Apply. A dry run prints
// "[ok] …" / "[missing] …" per step; an apply performs the missing steps in
// order through the provider's IAM engine (same retries, same group commit)
// and prints its progress. Running it again changes nothing. EmitTerraform
// writes the chain as HCL with `import` blocks, so Terraform adopts what
// setup created without changes.
package setup
