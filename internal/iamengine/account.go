package iamengine

import "context"

// accountState is what a lookup of a service account found.
type accountState int

const (
	accountUnknown accountState = iota // no lookup configured, or it failed (e.g. 403)
	accountExists                      // the account exists: IAM will see it soon
	accountMissing                     // the account does not exist
)

// lookupAccount asks Options.ServiceAccountExists whether email exists (the
// writer asks once per account). An error (e.g. a service agent's email,
// which has no project to look it up in, or 403) leaves it unknown, and the
// propagation wait applies as before.
func (e *Engine) lookupAccount(ctx context.Context, email string) accountState {
	if e.opts.ServiceAccountExists == nil {
		return accountUnknown
	}
	exists, err := e.opts.ServiceAccountExists(ctx, email)
	switch {
	case err != nil:
		return accountUnknown
	case exists:
		return accountExists
	default:
		return accountMissing
	}
}
