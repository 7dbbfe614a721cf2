package iamengine

import (
	"fmt"
	"strings"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/iampolicy"
)

// RejectedError is the error Apply returns to a caller whose own change
// Google refused: setIamPolicy answered 400 naming a member or a role that
// this caller's mutation introduced. The other changes batched into the same
// write were written without it (one extra write per rejected change), so
// only this caller fails.
//
// Callers put the error on the attribute that holds the offender: Member set
// means the member (`member` / `members`), otherwise the role (`role`).
type RejectedError struct {
	// Target names the resource whose policy was written (Target.String()).
	Target string
	// Member is the member Google named, spelled as in the caller's
	// mutation; "" when the role is at fault.
	Member string
	// Role is the role of the operation that introduced the member, or the
	// role Google refused.
	Role string
	// AccountMissing is true when Member is a service account that the
	// engine looked up (iam serviceAccounts.get answered 404): it does not
	// exist, as opposed to "created moments ago and not visible to IAM yet".
	AccountMissing bool
	// Err is Google's answer (a *googleapi.Error is in its chain).
	Err error
}

// Error says which member or role was refused, why, and what to do.
func (e *RejectedError) Error() string {
	var b strings.Builder
	switch {
	case e.AccountMissing:
		fmt.Fprintf(&b, "IAM change on %s: member %s names a service account that does not exist "+
			"(looked up with iam serviceAccounts.get: not found), so Google refused to grant it %s. "+
			"Create the account or fix the member; the other changes to this policy were written",
			e.Target, e.Member, e.Role)
	case e.Member != "":
		fmt.Fprintf(&b, "IAM change on %s: Google refused member %s for role %s. Fix or remove the member; "+
			"the other changes to this policy were written", e.Target, e.Member, e.Role)
	default:
		fmt.Fprintf(&b, "IAM change on %s: Google refused role %s on this resource. Use a role this kind of "+
			"resource supports; the other changes to this policy were written", e.Target, e.Role)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap exposes Google's error and, for a missing account,
// gcperr.ErrServiceAccountMissing.
func (e *RejectedError) Unwrap() []error {
	out := []error{e.Err}
	if e.AccountMissing {
		out = append(out, gcperr.ErrServiceAccountMissing)
	}
	return out
}

// ConflictError is the error Apply returns to both callers when two changes
// batched into one write contradict each other on the same role binding: an
// Add of a member and an authoritative set (exclusive members) that leaves
// it out, or two different authoritative sets. Whichever came second would
// silently undo the first, so neither is written (the rest of the batch is)
// and each caller is told about the other. (A Remove never conflicts: it
// leaves out a member another change in the batch grants, so renaming a
// resource or moving a member between resources keeps the member.)
type ConflictError struct {
	// Target names the resource whose policy it is (Target.String()).
	Target string
	// Role and Condition identify the binding both changes touch.
	Role      string
	Condition *iampolicy.Condition
	// Change describes this caller's change, Other the one it conflicts
	// with (each prefixed by the caller label set with WithCaller, if any).
	Change, Other string
}

// Error names both changes and the fix.
func (e *ConflictError) Error() string {
	binding := e.Role
	if e.Condition != nil {
		binding += fmt.Sprintf(" (condition %q)", e.Condition.Title)
	}
	return fmt.Sprintf("IAM change on %s conflicts with another change in the same apply on %s: this change (%s) "+
		"and the other (%s) cannot both hold, and whichever is written second undoes the first, so neither was written. "+
		"Manage each member of a role from one resource: drop the member from one of them, or set `exclusive = false` "+
		"on the resource that lists the role's members", e.Target, binding, e.Change, e.Other)
}

// waitError explains why an Apply gave up when its context ended, from the
// last retryable error its batch saw. Both errors stay in the chain
// (errors.Is(err, context.DeadlineExceeded), gcperr classification).
// accountExists tells whether a missing-account answer was checked against
// iam serviceAccounts.get and the account exists.
func waitError(t Target, lastErr, ctxErr error, accountExists bool) error {
	if lastErr == nil {
		return fmt.Errorf("IAM change on %s did not complete: %w", t, ctxErr)
	}
	if account, ok := gcperr.MissingServiceAccount(lastErr); ok {
		if accountExists {
			return fmt.Errorf("IAM change on %s: service account %s exists but IAM did not see it before the wait ended "+
				"(a new account can take a minute to become visible to IAM); raise the timeout and apply again: %w; last error: %w",
				t, account, ctxErr, lastErr)
		}
		return fmt.Errorf("IAM change on %s: service account %s is not visible to IAM yet or does not exist. "+
			"Google kept answering that it does not exist until the wait ended; an account created moments ago "+
			"can take a minute to appear (raise the timeout), otherwise create the account or fix the member: %w; last error: %w",
			t, account, ctxErr, lastErr)
	}
	if gcperr.IsConcurrentPolicyChange(lastErr) {
		return fmt.Errorf("IAM change on %s: every write was refused because another writer changed the policy "+
			"after it was read (etag changed between read and write), until the wait ended; retry, or raise the timeout: %w; last error: %w",
			t, ctxErr, lastErr)
	}
	return fmt.Errorf("IAM change on %s did not complete before the wait ended: %w; last error: %w", t, ctxErr, lastErr)
}
