// Package review turns the JSON form of a Terraform plan (the output of
// `terraform show -json PLANFILE`) into a report of every change to who can
// invoke what and who can impersonate whom: IAM grants and revocations on
// Cloud Run services, Cloud Functions, service accounts and projects, and the
// Cloud Scheduler jobs / Cloud Tasks queues / workflow http calls that call
// those targets with an OIDC or OAuth token.
//
// It understands this provider's resources (gcpinvoke_*) and the Google
// provider's equivalents (google_*), because real configurations mix both.
// Our nested objects appear in plan JSON as objects, the Google provider's
// blocks as single-element lists; the readers here accept either shape.
//
// Plans are decoded with hashicorp/terraform-json (its Validate checks the
// format version); review adds only action_reason, which terraform-json does
// not decode. Changes that touch only Terraform's state (forget, import,
// moved) are reported as neutral, values marked sensitive are never shown,
// and a change that breaks the chain of a caller that stays is a high
// finding (chain.go).
//
// The flow is ReadPlan (bytes → *Plan, or an error saying what input was
// expected) → Analyze (*Plan → *Report: bindings, jobs, findings) →
// WriteMarkdown / WriteJSON / WriteSARIF (with Locate mapping addresses to
// the files and lines of the configuration). The JSON schema is documented
// in SCHEMA.md.
//
// The golden tests read testdata/plans: hand-written plans, and real_*.json
// plans the Terraform CLI wrote from examples/scheduler-to-cloud-run and
// testdata/configs/NAME against the emulator (`make review-plans`).
package review
