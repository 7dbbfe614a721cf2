package iamengine

import (
	"context"
	"strings"
)

// accountState is what a lookup of a service account found.
type accountState int

const (
	accountUnknown accountState = iota // no lookup configured, or it failed (e.g. 403)
	accountExists                      // the account exists: IAM will see it soon
	accountMissing                     // the account does not exist
)

// lookupAccount asks Options.ServiceAccountExists once whether email exists.
// Only an account of a user project (ID@PROJECT.iam.gserviceaccount.com)
// can be looked up: Google answers 403 rather than 404 for a missing account
// addressed without its project, so other emails stay unknown (and keep the
// propagation wait).
func (e *Engine) lookupAccount(ctx context.Context, email string) accountState {
	if e.opts.ServiceAccountExists == nil || projectOfAccount(email) == "" {
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

// projectOfAccount returns PROJECT of a user-managed service account email
// ID@PROJECT.iam.gserviceaccount.com, else "".
func projectOfAccount(email string) string {
	_, domain, ok := strings.Cut(email, "@")
	if !ok {
		return ""
	}
	project, ok := strings.CutSuffix(domain, ".iam.gserviceaccount.com")
	if !ok || project == "" || strings.Contains(project, ".") {
		return ""
	}
	return project
}
