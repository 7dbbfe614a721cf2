// Package chain checks the invocation chain that lets a caller (Cloud
// Scheduler, Cloud Tasks, Workflows or any IAM member) call a target (a Cloud
// Run service, a Cloud Function or a Google API) with a service account's
// token, against the live IAM policies:
//
//	caller ──impersonation──▶ service account ──token (audience)──▶ target (invoker binding)
//
// Check reads the service account, its policy and its project's policy, the
// target and its policy (all reads go through iamengine.Engine.Read, so they
// are shared and cached with the provider's other reads), and answers a list
// of findings, each naming the broken link, the problem and the fix. With
// Input.Probe it also mints a token for the account (IAM Credentials) and
// calls the target, as the caller would.
//
// The package is used by the gcpinvoke_invocation_chain data source and by
// `gcpinvoke setup`.
package chain
